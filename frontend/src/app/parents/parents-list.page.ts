import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { debounceTime, distinctUntilChanged } from 'rxjs';
import { NAME_SEARCH_MIN_LENGTH, PARENT_STATUSES, type ParentStatus } from '@lien/shared';
import { allowed } from '../core/auth/auth.service';
import { TranslationService } from '../i18n/translation.service';
import { waveLabel, LABELS } from '../ui/labels';
import { displayPhone } from './phone-format';
import { ParentsApi } from './parents-api';
import { LienIcon } from '../ui/icon';
import { LIST_PAGE } from '../ui/list-page';

/**
 * What the list searches for as the professional types: a name search needs 2 letters (the API answers 400
 * below that), so one letter lists everyone rather than an error; digits are a phone search.
 */
export function searchTerm(typed: string): string {
  const term = typed.trim();
  return /\d/.test(term) || [...term].length >= NAME_SEARCH_MIN_LENGTH ? term : '';
}

@Component({
  selector: 'lien-parents-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE, RouterLink, LienIcon, MatInputModule],
  template: `
    <div class="page-header">
      <h1>{{ 'parents.title' | t }}</h1>
      @if (canEnrol()) {
        <a mat-flat-button routerLink="/parents/new" data-testid="enrol-parent">
          <lien-icon name="add" />{{ 'parents.enrol' | t }}
        </a>
      }
    </div>

    <form
      class="filters"
      role="search"
      (submit)="$event.preventDefault()"
      [attr.aria-label]="'parents.searchLabel' | t"
    >
      <mat-form-field class="search">
        <mat-label>{{ 'parents.search' | t }}</mat-label>
        <input
          matInput
          type="search"
          [value]="query()"
          (input)="query.set($any($event.target).value)"
          data-testid="parents-search"
        />
        <mat-hint>{{ 'parents.searchHint' | t }}</mat-hint>
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'parents.statusFilter' | t }}</mat-label>
        <mat-select [value]="status()" (valueChange)="setStatus($event)" data-testid="parents-status">
          <mat-option value="">{{ 'parents.statusAll' | t }}</mat-option>
          @for (value of statuses; track value) {
            <mat-option [value]="value">{{ labels.parentStatus(value) | t }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </form>

    <lien-load-state [resource]="list" failed="parents.loadFailed" />
    <p role="status" class="visually-hidden">{{ resultCount() }}</p>
    @if (!list.error() && list.hasValue()) {
      @if (list.value().items.length === 0) {
        <p data-testid="parents-empty">{{ 'parents.empty' | t }}</p>
      } @else {
        <lien-data-table
          [caption]="'parents.tableCaption' | t"
          [columns]="columns"
          testId="parents-table"
          [cards]="true"
        >
          <tbody>
            @for (parent of list.value().items; track parent.id) {
              <tr data-testid="parent-row" [attr.data-parent-id]="parent.id">
                <td [attr.data-label]="'parents.name' | t">
                  <a [routerLink]="['/parents', parent.id]" data-testid="parent-link"
                    >{{ parent.lastName }} {{ parent.firstName }}</a
                  >
                </td>
                <td [attr.data-label]="'parents.phone' | t" class="phone">{{ phone(parent.phone) }}</td>
                <td [attr.data-label]="'parents.role' | t">{{ labels.parentRole(parent.role) | t }}</td>
                <td [attr.data-label]="'parents.status' | t">
                  <span class="status-pill">{{ labels.parentStatus(parent.status) | t }}</span>
                </td>
                <td [attr.data-label]="'parents.nextInvitation' | t">
                  @if (parent.nextInvitation; as next) {
                    {{ wave(next.wave) }} — {{ next.dueAt | fmt }}
                    @if (next.deferredFrom) {
                      <span class="muted">({{ 'parents.deferred' | t }})</span>
                    }
                  } @else {
                    <span class="muted">—</span>
                  }
                </td>
              </tr>
            }
          </tbody>
        </lien-data-table>
        <lien-list-paginator
          [length]="list.value().total"
          [(page)]="page"
          [(pageSize)]="pageSize"
          testId="parents-paginator"
        />
      }
    }
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: flex-start;
      margin-bottom: 8px;
    }
    .search {
      flex: 1 1 320px;
    }
    .phone {
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class ParentsListPage {
  private readonly api = inject(ParentsApi);
  private readonly i18n = inject(TranslationService);

  protected readonly statuses = PARENT_STATUSES;
  protected readonly labels = LABELS;
  protected readonly columns = [
    'parents.name',
    'parents.phone',
    'parents.role',
    'parents.status',
    'parents.nextInvitation',
  ] as const;
  protected readonly query = signal('');
  private readonly debouncedQuery = signal('');
  protected readonly status = signal<ParentStatus | ''>('');
  protected readonly page = signal(1);
  protected readonly pageSize = signal(25);
  protected readonly canEnrol = allowed('parents.write');

  protected readonly list = rxResource({
    params: () => ({
      q: this.debouncedQuery(),
      status: this.status(),
      page: this.page(),
      pageSize: this.pageSize(),
    }),
    stream: ({ params }) => this.api.list(params),
  });
  protected readonly resultCount = computed(() =>
    this.list.hasValue() ? this.i18n.t('parents.resultCount', { count: this.list.value().total }) : '',
  );

  constructor() {
    toObservable(this.query)
      .pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((value) => {
        this.debouncedQuery.set(searchTerm(value));
        this.page.set(1);
      });
  }

  protected phone(value: string): string {
    return displayPhone(value);
  }

  protected wave(value: string): string {
    return waveLabel(value, this.i18n.t);
  }

  protected setStatus(value: ParentStatus | ''): void {
    this.status.set(value);
    this.page.set(1);
  }
}
