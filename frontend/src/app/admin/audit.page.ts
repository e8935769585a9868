import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import type { AuditQuery } from '@lien/shared';
import { LienDateField } from '../core/date-fields';
import { FormatService } from '../i18n/format.service';
import { FR, type TranslationKey } from '../i18n/fr';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { AdminApi } from './admin-api';
import { dayIn } from '../parents/enrolment-form';

/** The actions the log names in words (the keys `auditAction.<action>`); any other shows as its code. */
export const AUDIT_ACTIONS: readonly string[] = Object.keys(FR)
  .filter((key) => key.startsWith('auditAction.'))
  .map((key) => key.slice('auditAction.'.length));

/**
 * The instant a calendar day starts in a time zone ("2026-03-29" in Europe/Paris: 2026-03-28T23:00:00Z), so
 * that the filters mean the organisation's days, as the dates of the table do.
 */
export function dayStart(day: string, timeZone: string): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  const offsetAt = (instant: number): number => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(instant));
    const part = (type: string) => Number(parts.find((each) => each.type === type)?.value);
    const wall = Date.UTC(
      part('year'),
      part('month') - 1,
      part('day'),
      part('hour'),
      part('minute'),
      part('second'),
    );
    return wall - instant;
  };
  // Twice: the offset at the first guess may differ from the offset at the answer (a change of time that day).
  const first = midnightUtc - offsetAt(midnightUtc);
  return new Date(midnightUtc - offsetAt(first)).toISOString();
}

/** The audit query for the filters: whole calendar days of the organisation's zone, as a half-open range. */
export function auditQuery(
  filters: { action: string; from: string; to: string; page: number; pageSize: number },
  timeZone: string,
): AuditQuery {
  const nextDay = (day: string): string => {
    const date = new Date(`${day}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  };
  return {
    ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.from ? { from: dayStart(filters.from, timeZone) } : {}),
    ...(filters.to ? { to: dayStart(nextDay(filters.to), timeZone) } : {}),
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

@Component({
  selector: 'lien-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    LienDateField,
    TranslatePipe,
    FormatPipe,
  ],
  template: `
    <h2>{{ 'admin.audit' | t }}</h2>
    <p class="muted">{{ 'audit.help' | t }}</p>
    <form
      class="filters"
      (submit)="$event.preventDefault(); apply(action.value ?? '', from.value, to.value)"
      data-testid="audit-filters"
    >
      <mat-form-field class="action">
        <mat-label>{{ 'audit.action' | t }}</mat-label>
        <mat-select #action value="" data-testid="audit-action">
          <mat-option value="">{{ 'audit.allActions' | t }}</mat-option>
          @for (option of actionOptions(); track option.action) {
            <mat-option [value]="option.action">{{ option.label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <lien-date-field #from [label]="'audit.from' | t" [max]="today" testId="audit-from" />
      <lien-date-field #to [label]="'audit.to' | t" [max]="today" testId="audit-to" />
      <button mat-stroked-button type="submit">{{ 'audit.apply' | t }}</button>
    </form>
    @if (events.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (events.error()) {
      <p role="alert" class="error-text">{{ 'audit.loadFailed' | t }}</p>
    } @else if (events.hasValue()) {
      <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
        <table class="data-table" data-testid="audit-table">
          <caption class="visually-hidden">
            {{
              'admin.audit' | t
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">{{ 'audit.when' | t }}</th>
              <th scope="col">{{ 'audit.actor' | t }}</th>
              <th scope="col">{{ 'audit.action' | t }}</th>
              <th scope="col">{{ 'audit.target' | t }}</th>
              <th scope="col">{{ 'audit.ip' | t }}</th>
              <th scope="col">{{ 'audit.requestId' | t }}</th>
            </tr>
          </thead>
          <tbody>
            @for (event of events.value().items; track event.id) {
              <tr data-testid="audit-row">
                <td class="nowrap">{{ event.createdAt | fmt }}</td>
                <td>{{ event.actorDisplayName ?? ('audit.system' | t) }}</td>
                <td data-testid="audit-action-label">{{ actionLabel(event.action) }}</td>
                <td>
                  @if (event.targetType) {
                    {{ targetLabel(event.targetType) }} <code class="id">{{ event.targetId }}</code>
                  }
                </td>
                <td>{{ event.ip ?? '—' }}</td>
                <td>
                  <code class="id">{{ event.requestId ?? '—' }}</code>
                </td>
              </tr>
            } @empty {
              <tr>
                <td colspan="6">{{ 'audit.empty' | t }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      <mat-paginator
        [length]="events.value().total"
        [pageIndex]="page() - 1"
        [pageSize]="pageSize()"
        [pageSizeOptions]="[50, 100]"
        (page)="onPage($event)"
      />
    }
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
    }
    .action {
      min-width: min(20rem, 100%);
    }
    .nowrap {
      white-space: nowrap;
    }
    .id {
      font-size: 0.8rem;
      word-break: break-all;
    }
  `,
})
export class AuditPage {
  private readonly api = inject(AdminApi);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  protected readonly today = dayIn(this.formatter.timeZone(), new Date());
  protected readonly filters = signal({ action: '', from: '', to: '' });
  protected readonly page = signal(1);
  protected readonly pageSize = signal(50);
  protected readonly events = rxResource({
    params: () =>
      auditQuery(
        { ...this.filters(), page: this.page(), pageSize: this.pageSize() },
        this.formatter.timeZone(),
      ),
    stream: ({ params }) => this.api.audit(params),
  });

  /** Every known action in words, alphabetically in the current language. */
  protected readonly actionOptions = computed(() =>
    AUDIT_ACTIONS.map((action) => ({ action, label: this.actionLabel(action) })).sort((a, b) =>
      a.label.localeCompare(b.label, this.i18n.locale()),
    ),
  );

  protected actionLabel(action: string): string {
    const key = `auditAction.${action}`;
    return key in FR ? this.i18n.t(key as TranslationKey) : action;
  }

  protected targetLabel(targetType: string): string {
    const key = `auditTarget.${targetType}`;
    return key in FR ? this.i18n.t(key as TranslationKey) : targetType;
  }

  protected apply(action: string, from: string, to: string): void {
    this.filters.set({ action, from, to });
    this.page.set(1);
  }

  protected onPage(event: PageEvent): void {
    this.pageSize.set(event.pageSize);
    this.page.set(event.pageIndex + 1);
  }
}
