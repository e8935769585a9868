import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AuditQuery } from '@lien/shared';
import { FormatService } from '../i18n/format.service';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { AdminApi } from './admin-api';
import { dayIn } from '../parents/enrolment-form';

/** The audit query for the filters: whole calendar days (UTC) as a half-open instant range. */
export function auditQuery(filters: {
  action: string;
  from: string;
  to: string;
  page: number;
  pageSize: number;
}): AuditQuery {
  const nextDay = (day: string): string => {
    const date = new Date(`${day}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  };
  return {
    ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.from ? { from: `${filters.from}T00:00:00Z` } : {}),
    ...(filters.to ? { to: `${nextDay(filters.to)}T00:00:00Z` } : {}),
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
    TranslatePipe,
    FormatPipe,
  ],
  template: `
    <h2>{{ 'admin.audit' | t }}</h2>
    <p class="muted">{{ 'audit.help' | t }}</p>
    <form
      class="filters"
      (submit)="$event.preventDefault(); apply(action.value, from.value, to.value)"
      data-testid="audit-filters"
    >
      <mat-form-field>
        <mat-label>{{ 'audit.action' | t }}</mat-label>
        <input matInput #action placeholder="parent.read" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'audit.from' | t }}</mat-label>
        <input matInput type="date" #from [max]="today" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>{{ 'audit.to' | t }}</mat-label>
        <input matInput type="date" #to [max]="today" />
      </mat-form-field>
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
                <td>
                  <code>{{ event.action }}</code>
                </td>
                <td>
                  @if (event.targetType) {
                    {{ event.targetType }} <code class="id">{{ event.targetId }}</code>
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
  protected readonly today = dayIn(inject(FormatService).timeZone(), new Date());
  protected readonly filters = signal({ action: '', from: '', to: '' });
  protected readonly page = signal(1);
  protected readonly pageSize = signal(50);
  protected readonly events = rxResource({
    params: () => auditQuery({ ...this.filters(), page: this.page(), pageSize: this.pageSize() }),
    stream: ({ params }) => this.api.audit(params),
  });

  protected apply(action: string, from: string, to: string): void {
    this.filters.set({ action, from, to });
    this.page.set(1);
  }

  protected onPage(event: PageEvent): void {
    this.pageSize.set(event.pageSize);
    this.page.set(event.pageIndex + 1);
  }
}
