import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AuditEventView, AuditQuery } from '@lien/shared';
import { LienDateField } from '../core/date-fields';
import { FormatService } from '../i18n/format.service';
import { FR, type TranslationKey } from '../i18n/fr';
import { TranslationService } from '../i18n/translation.service';
import { AdminApi } from './admin-api';
import { dayIn } from '../parents/enrolment-form';
import { LIST_PAGE } from '../ui/list-page';

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

/** How many parents a list read named (`metadata.parentIds`), or null for an event that is no list read. */
export function listedParents(event: Pick<AuditEventView, 'metadata'>): number | null {
  const ids = event.metadata['parentIds'];
  return Array.isArray(ids) ? ids.length : null;
}

/**
 * A row of the log: its target (left out when it is the parent the row names, or the parents of a list read),
 * then its parents (named when the API names them, else pseudonymised by their id), then a list read's count.
 */
export interface AuditRow {
  event: AuditEventView;
  target: { label: string; id: string | null } | null;
  listed: number | null;
}

@Component({
  selector: 'lien-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE, MatInputModule, MatProgressBarModule, LienDateField],
  templateUrl: './audit.page.html',
  styleUrl: './audit.page.css',
})
export class AuditPage {
  private readonly api = inject(AdminApi);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  protected readonly today = dayIn(this.formatter.timeZone(), new Date());
  protected readonly columns: readonly TranslationKey[] = [
    'audit.when',
    'audit.actor',
    'audit.action',
    'audit.target',
    'audit.ip',
    'audit.requestId',
  ];
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

  protected readonly rows = computed((): AuditRow[] =>
    this.events.hasValue()
      ? this.events.value().items.map((event) => {
          const listed = listedParents(event);
          const shownAsParents =
            event.targetType === 'parent' && (event.parents.length > 0 || listed !== null);
          return {
            event,
            target:
              event.targetType && !shownAsParents
                ? { label: this.targetLabel(event.targetType), id: event.targetId }
                : null,
            listed,
          };
        })
      : [],
  );

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
}
