import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { RouterLink } from '@angular/router';
import { debounceTime } from 'rxjs';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  type AlertListItem,
  type AlertListQuery,
  type AlertSeverity,
  type AlertStatus,
  type AlertSummary,
} from '@lien/shared';
import { AuthService, allowed } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import { TranslationService } from '../i18n/translation.service';
import { SEVERITY_ICON, bandKey, waveLabel, LABELS } from '../ui/labels';
import { currentDeadline, sortAlerts } from './alert-workflow';
import { AlertStream, isNewUrgent } from './alert-stream.service';
import { AlertsApi } from './alerts-api';
import { RevealedIdentities } from './revealed-identities';
import { LienIcon } from '../ui/icon';
import { LIST_PAGE } from '../ui/list-page';

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
  imports: [LIST_PAGE, RouterLink, FormsModule, MatButtonToggleModule, MatCheckboxModule, LienIcon],
  templateUrl: './alerts-dashboard.page.html',
  styleUrl: './alerts-dashboard.page.css',
})
export class AlertsDashboardPage {
  private readonly api = inject(AlertsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  private readonly revealed = inject(RevealedIdentities);
  protected readonly stream = inject(AlertStream);
  protected readonly canEnrol = allowed('parents.write');

  protected readonly severities = ALERT_SEVERITIES;
  protected readonly statuses = ALERT_STATUSES;
  protected readonly severityIcon = SEVERITY_ICON;
  protected readonly labels = LABELS;
  protected readonly columns = [
    'alerts.colSeverity',
    'alerts.colParent',
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
    return sortAlerts(items, this.auth.me()?.id);
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

  /** The colleague's actual name when someone else holds it; "Moi" when it is mine. */
  protected assigneeLabel(alert: AlertListItem): string {
    if (!alert.assigneeId) return this.i18n.t('alerts.unassigned');
    if (alert.assigneeId === this.auth.me()?.id) return this.i18n.t('alerts.assignedToMe');
    return alert.assigneeName ?? this.i18n.t('alerts.assignedToOther');
  }

  /** The list's initials or name, or the full name once revealed in this session (audited when revealed). */
  protected parentName(alert: AlertListItem): string | null {
    const revealed = this.revealed.get(alert.parentId);
    return revealed ? `${revealed.firstName} ${revealed.lastName}` : alert.parentLabel;
  }

  /** "J42 : score 14 (élevé)": the latest answer behind the alert. */
  protected answerLine(alert: AlertListItem): string | null {
    if (alert.wave === null || alert.score === null || alert.band === null) return null;
    const t = this.i18n.t;
    return t('alerts.answer', {
      wave: waveLabel(alert.wave, t),
      score: alert.score,
      band: t(bandKey(alert.band)),
    });
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
