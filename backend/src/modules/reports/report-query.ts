import { DateTime } from 'luxon';
import {
  REPORT_GROUP_BY,
  REPORT_MAX_SPAN_YEARS,
  parseTerritoryItem,
  type ReportGroupBy,
  type ReportPeriodUnit,
  type ReportQuery,
  type TerritoryItem,
} from '@lien/shared';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { invalid } from '../../common/errors.js';

/** A validated report request: local calendar days (inclusive) and filters. */
export interface ReportFilter {
  from: string;
  to: string;
  territory: TerritoryItem[];
  organisationId: string | null;
  groupBy: ReportGroupBy | null;
}

/** The zone in which "today" is read for the default period. */
export const REPORT_DEFAULT_ZONE = 'Europe/Paris';
const MAX_TERRITORY_ITEMS = 120;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function calendarDay(field: 'from' | 'to', value: string): DateTime {
  const day = DATE.test(value) ? DateTime.fromISO(value, { zone: 'UTC' }) : null;
  if (!day?.isValid) throw invalid(field, 'must be a calendar date written YYYY-MM-DD');
  return day;
}

/**
 * Checks and completes a report query. Defaults: `to` = today (Europe/Paris), `from` = the first day of
 * the month 11 months before `to`. Every problem is a 400 naming its field. With `periodUnit: 'month'`
 * (every caller but platform admins, see report-disclosure.ts) the period is widened to whole calendar
 * months: `from` to the first day of its month, `to` to the last day of its month, so that two requests a
 * day apart read the same rollups.
 */
export function parseReportQuery(
  query: ReportQuery,
  now: Date,
  periodUnit: ReportPeriodUnit = 'day',
): ReportFilter {
  const today = DateTime.fromJSDate(now, { zone: REPORT_DEFAULT_ZONE }).toISODate()!;
  const to = calendarDay('to', query.to ?? today);
  const from =
    query.from !== undefined ? calendarDay('from', query.from) : to.startOf('month').minus({ months: 11 });
  if (from > to) throw invalid('from', 'must be on or before to');
  if (from.plus({ years: REPORT_MAX_SPAN_YEARS }) < to) {
    throw invalid('to', `the period may cover at most ${REPORT_MAX_SPAN_YEARS} years`);
  }

  const [first, last] = periodUnit === 'month' ? [from.startOf('month'), to.endOf('month')] : [from, to];

  const territory: TerritoryItem[] = [];
  const items = (query.territory ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length > MAX_TERRITORY_ITEMS) throw invalid('territory', `at most ${MAX_TERRITORY_ITEMS} items`);
  for (const text of items) {
    const item = parseTerritoryItem(text);
    if (!item)
      throw invalid(
        'territory',
        `"${text.slice(0, 40)}" is neither a département code ("62") nor "region:<name>"`,
      );
    const duplicate = territory.some((other) =>
      other.kind === 'departement'
        ? item.kind === 'departement' && item.code === other.code
        : item.kind === 'region' && item.name === other.name,
    );
    if (!duplicate) territory.push(item);
  }

  if (query.organisationId !== undefined && !isUuid(query.organisationId))
    throw invalid('organisationId', 'must be a UUID');
  if (query.groupBy !== undefined && !(REPORT_GROUP_BY as readonly string[]).includes(query.groupBy)) {
    throw invalid('groupBy', `must be one of ${REPORT_GROUP_BY.join(', ')}`);
  }

  return {
    from: first.toISODate()!,
    to: last.toISODate()!,
    territory,
    organisationId: query.organisationId?.toLowerCase() ?? null,
    groupBy: query.groupBy ?? null,
  };
}

/**
 * How a period reads the rollups: whole months from the monthly table ([monthsFrom, monthsTo), empty
 * when monthsFrom = monthsTo), the days before and after from the daily table.
 */
export interface PeriodSplit {
  from: string;
  to: string;
  monthsFrom: string;
  monthsTo: string;
}

export function splitPeriod(from: string, to: string): PeriodSplit {
  const start = DateTime.fromISO(from, { zone: 'UTC' });
  const dayAfter = DateTime.fromISO(to, { zone: 'UTC' }).plus({ days: 1 });
  const monthsFrom = start.day === 1 ? start : start.startOf('month').plus({ months: 1 });
  const monthsTo = dayAfter.startOf('month');
  if (monthsFrom >= monthsTo)
    return { from, to, monthsFrom: dayAfter.toISODate()!, monthsTo: dayAfter.toISODate()! };
  return { from, to, monthsFrom: monthsFrom.toISODate()!, monthsTo: monthsTo.toISODate()! };
}

/** Every month ("YYYY-MM") the period touches, in order. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  const last = DateTime.fromISO(to, { zone: 'UTC' }).startOf('month');
  for (
    let month = DateTime.fromISO(from, { zone: 'UTC' }).startOf('month');
    month <= last;
    month = month.plus({ months: 1 })
  ) {
    months.push(month.toFormat('yyyy-MM'));
  }
  return months;
}
