import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { debounceTime } from 'rxjs';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  type AlertListQuery,
  type AlertSeverity,
  type AlertStatus,
  type AlertSummary,
} from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { SEVERITY_ICON, alertStatusKey, reasonKey, severityKey } from '../ui/labels';
import { currentDeadline, sortAlerts } from './alert-workflow';
import { AlertStream, isNewUrgent } from './alert-stream.service';
import { AlertsApi } from './alerts-api';
import { LienIcon } from '../ui/icon';
import { DataTable } from '../ui/data-table';
import { ListPaginator } from '../ui/list-paginator';

type StatusFilter = 'active' | AlertStatus | 'all';
type AssigneeFilter = 'all' | 'me' | 'none';

/** The query sent to the API for the dashboard's filters. */
export function alertQuery(filters: {
  severity: AlertSeverity | 'all';
  status: StatusFilter;
  assignee: AssigneeFilter;
  overdue: boolean;
  page: number;
  pageSize: number;
}): AlertListQuery {
  return {
    ...(filters.severity !== 'all' ? { severity: filters.severity } : {}),
    ...(filters.status === 'all'
      ? { status: ALERT_STATUSES.join(',') }
      : filters.status !== 'active'
        ? { status: filters.status }
        : {}),
    ...(filters.assignee !== 'all' ? { assignee: filters.assignee } : {}),
    ...(filters.overdue ? { overdue: 'true' as const } : {}),
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

@Component({
  selector: 'lien-alerts-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [AlertStream],
  imports: [
    RouterLink,
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatFormFieldModule,
    LienIcon,
    DataTable,
    ListPaginator,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
    FormatPipe,
  ],
  template: `
    <div class="page-header">
      <h1>{{ 'alerts.title' | t }}</h1>
      <p class="stream-state" data-testid="stream-state">
        <span class="dot" [class.live]="stream.state() === 'live'" aria-hidden="true"></span>
        {{ streamLabel() | t }}
      </p>
    </div>

    <div
      class="live-announcement"
      [class.shown]="announcement()"
      aria-live="polite"
      role="status"
      data-testid="alerts-live-region"
    >
      {{ announcement() }}
    </div>

    <section class="filters" [attr.aria-label]="'alerts.filters' | t">
      <mat-button-toggle-group
        [value]="severity()"
        (change)="setSeverity($event.value)"
        [attr.aria-label]="'alerts.severityFilter' | t"
        hideSingleSelectionIndicator
        data-testid="filter-severity"
      >
        <mat-button-toggle value="all" data-testid="filter-severity-all">
          {{ 'alerts.allSeverities' | t }} ({{ totalCount() | fmt: 'number' }})
        </mat-button-toggle>
        @for (level of severities; track level) {
          <mat-button-toggle [value]="level" [attr.data-testid]="'filter-severity-' + level">
            {{ severityKey(level) | t }} ({{ counts()[level] | fmt: 'number' }})
          </mat-button-toggle>
        }
      </mat-button-toggle-group>

      <div class="filter-row">
        <mat-form-field>
          <mat-label>{{ 'alerts.statusFilter' | t }}</mat-label>
          <mat-select [value]="status()" (valueChange)="setStatus($event)" data-testid="filter-status">
            <mat-option value="active">{{ 'alerts.statusActive' | t }}</mat-option>
            @for (value of statuses; track value) {
              <mat-option [value]="value">{{ alertStatusKey(value) | t }}</mat-option>
            }
            <mat-option value="all">{{ 'alerts.statusAll' | t }}</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'alerts.assigneeFilter' | t }}</mat-label>
          <mat-select [value]="assignee()" (valueChange)="setAssignee($event)" data-testid="filter-assignee">
            <mat-option value="all">{{ 'alerts.assigneeAll' | t }}</mat-option>
            <mat-option value="me">{{ 'alerts.assigneeMe' | t }}</mat-option>
            <mat-option value="none">{{ 'alerts.assigneeNone' | t }}</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-checkbox
          [checked]="overdue()"
          (change)="setOverdue($event.checked)"
          data-testid="filter-overdue"
        >
          {{ 'alerts.overdueOnly' | t }}
        </mat-checkbox>
      </div>
    </section>

    @if (list.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (list.error()) {
      <p role="alert" class="error-text" data-testid="alerts-error">
        {{ 'alerts.loadFailed' | t }}
        <button mat-button type="button" (click)="list.reload()">{{ 'common.retry' | t }}</button>
      </p>
    } @else if (list.hasValue()) {
      @if (rows().length === 0) {
        <div class="empty" data-testid="alerts-empty">
          <p>{{ 'alerts.empty' | t }}</p>
          @if (canEnrol()) {
            <!-- An empty dashboard leads somewhere: enrolling the first parent. -->
            <p class="muted">{{ 'alerts.emptyEnrolHint' | t }}</p>
            <a mat-flat-button routerLink="/parents/new" data-testid="alerts-empty-enrol">
              <lien-icon name="add" />{{ 'parents.enrol' | t }}
            </a>
          }
        </div>
      } @else {
        <lien-data-table
          [caption]="'alerts.tableCaption' | t"
          [columns]="columns"
          testId="alerts-table"
          tableClass="alerts-table"
          [cards]="true"
        >
          <tbody>
            @for (alert of rows(); track alert.id) {
              <tr
                data-testid="alert-row"
                [attr.data-alert-id]="alert.id"
                [attr.data-severity]="alert.severity"
                [class.row-overdue]="alert.overdue"
              >
                <td [attr.data-label]="'alerts.colSeverity' | t">
                  <a [routerLink]="['/alerts', alert.id]" class="row-link" data-testid="alert-link">
                    <span class="severity" [class]="'severity severity-' + alert.severity">
                      <lien-icon [name]="severityIcon[alert.severity]" />
                      {{ severityKey(alert.severity) | t }}
                    </span>
                    <span class="visually-hidden">{{ 'alerts.open' | t }}</span>
                  </a>
                </td>
                <td [attr.data-label]="'alerts.colReason' | t">
                  @for (reason of alert.reasons; track reason; let last = $last) {
                    {{ reasonKey(reason) | t }}
                    @if (!last) {
                      ,
                    }
                  }
                </td>
                <td [attr.data-label]="'alerts.colStatus' | t">
                  <span class="status-pill">{{ alertStatusKey(alert.status) | t }}</span>
                </td>
                <td [attr.data-label]="'alerts.colDeadline' | t">
                  @if (deadlineOf(alert); as deadline) {
                    <span class="deadline">
                      {{ (deadline.kind === 'acknowledge' ? 'alerts.ackBy' : 'alerts.contactBy') | t }}
                      {{ deadline.dueAt | fmt }}
                    </span>
                  } @else {
                    <span class="muted">—</span>
                  }
                  @if (alert.overdue) {
                    <span class="overdue" data-testid="alert-overdue">
                      <lien-icon name="schedule" />
                      {{ 'alerts.overdue' | t }}
                    </span>
                  }
                </td>
                <td [attr.data-label]="'alerts.colAssignee' | t">{{ assigneeLabel(alert) | t }}</td>
                <td [attr.data-label]="'alerts.colCreated' | t">{{ alert.createdAt | fmt }}</td>
              </tr>
            }
          </tbody>
        </lien-data-table>
        <lien-list-paginator
          [length]="total()"
          [(page)]="page"
          [(pageSize)]="pageSize"
          testId="alerts-paginator"
        />
      }
    }
  `,
  styles: `
    .stream-state {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      border: 2px solid var(--mat-sys-outline);
    }
    .dot.live {
      background: var(--lien-ok);
      border-color: var(--lien-ok);
    }
    .live-announcement.shown {
      padding: 8px 12px;
      margin-bottom: 12px;
      border-radius: 8px;
      background: var(--lien-urgent-container);
      color: var(--lien-urgent);
      font-weight: 600;
    }
    .filters {
      display: flex;
      flex-direction: column;
      gap: 12px;
      margin-bottom: 8px;
    }
    mat-button-toggle-group {
      flex-wrap: wrap;
    }
    .filter-row mat-form-field {
      min-width: 260px;
    }
    .filter-row {
      display: flex;
      flex-wrap: wrap;
      gap: 12px 16px;
      align-items: center;
    }
    .row-link {
      text-decoration: none;
      display: inline-block;
    }
    .row-overdue {
      background: var(--lien-urgent-container);
    }
    .deadline {
      display: block;
    }
    .empty {
      padding: 24px 0;
    }
  `,
})
export class AlertsDashboardPage {
  private readonly api = inject(AlertsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  protected readonly stream = inject(AlertStream);
  protected readonly canEnrol = computed(() => this.auth.permissions().has('parents.write'));

  protected readonly severities = ALERT_SEVERITIES;
  protected readonly statuses = ALERT_STATUSES;
  protected readonly severityIcon = SEVERITY_ICON;
  protected readonly severityKey = severityKey;
  protected readonly reasonKey = reasonKey;
  protected readonly alertStatusKey = alertStatusKey;
  protected readonly columns = [
    'alerts.colSeverity',
    'alerts.colReason',
    'alerts.colStatus',
    'alerts.colDeadline',
    'alerts.colAssignee',
    'alerts.colCreated',
  ] as const;

  protected readonly severity = signal<AlertSeverity | 'all'>('all');
  protected readonly status = signal<StatusFilter>('active');
  protected readonly assignee = signal<AssigneeFilter>('all');
  protected readonly overdue = signal(false);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(25);
  protected readonly announcement = signal('');
  private readonly knownUrgent = new Set<string>();

  protected readonly list = rxResource({
    params: () =>
      alertQuery({
        severity: this.severity(),
        status: this.status(),
        assignee: this.assignee(),
        overdue: this.overdue(),
        page: this.page(),
        pageSize: this.pageSize(),
      }),
    stream: ({ params }) => this.api.list(params),
  });

  protected readonly rows = computed(() => {
    const items = this.list.hasValue() ? (this.list.value()?.items ?? []) : [];
    for (const alert of items) if (alert.severity === 'urgent') this.knownUrgent.add(alert.id);
    return sortAlerts(items);
  });
  protected readonly total = computed(() => (this.list.hasValue() ? (this.list.value()?.total ?? 0) : 0));
  protected readonly counts = computed<Record<AlertSeverity, number>>(
    () =>
      (this.list.hasValue() ? this.list.value()?.countsBySeverity : undefined) ?? {
        urgent: 0,
        high: 0,
        moderate: 0,
        low: 0,
      },
  );
  protected readonly totalCount = computed(() =>
    Object.values(this.counts()).reduce((sum, count) => sum + count, 0),
  );
  protected readonly streamLabel = computed(() => {
    switch (this.stream.state()) {
      case 'live':
        return 'alerts.streamLive' as const;
      case 'connecting':
        return 'alerts.streamConnecting' as const;
      case 'reconnecting':
        return 'alerts.streamReconnecting' as const;
      default:
        return 'alerts.streamUnavailable' as const;
    }
  });

  constructor() {
    // Every feed message refreshes the list (batched); new urgent alerts are announced politely.
    this.stream.messages.pipe(takeUntilDestroyed()).subscribe((message) => {
      const announce = isNewUrgent(message, this.knownUrgent);
      if (message.alert.severity === 'urgent') this.knownUrgent.add(message.alert.id);
      if (announce) {
        this.announcement.set(
          this.i18n.t('alerts.newUrgent', { time: this.formatter.format(message.alert.createdAt, 'time') }),
        );
      }
    });
    this.stream.messages.pipe(debounceTime(300), takeUntilDestroyed()).subscribe(() => this.list.reload());
  }

  protected deadlineOf(alert: AlertSummary): { kind: 'acknowledge' | 'contact'; dueAt: string } | null {
    return currentDeadline(alert);
  }

  protected assigneeLabel(
    alert: AlertSummary,
  ): 'alerts.assignedToMe' | 'alerts.assignedToOther' | 'alerts.unassigned' {
    if (!alert.assigneeId) return 'alerts.unassigned';
    return alert.assigneeId === this.auth.me()?.id ? 'alerts.assignedToMe' : 'alerts.assignedToOther';
  }

  protected setSeverity(value: AlertSeverity | 'all'): void {
    this.severity.set(value);
    this.page.set(1);
  }

  protected setStatus(value: StatusFilter): void {
    this.status.set(value);
    this.page.set(1);
  }

  protected setAssignee(value: AssigneeFilter): void {
    this.assignee.set(value);
    this.page.set(1);
  }

  protected setOverdue(value: boolean): void {
    this.overdue.set(value);
    this.page.set(1);
  }
}
