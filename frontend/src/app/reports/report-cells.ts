import { SUPPRESSED_COUNT_LABEL, suppressedLabel, type ReportCell, type ReportCellKind } from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';

/** What a hidden small count (1 to 4) is shown as, everywhere (tables, tiles, chart tables). */
export const SMALL_CELL = SUPPRESSED_COUNT_LABEL;

export interface CellFormatters {
  number: (value: number) => string;
  percent: (value: number) => string;
  minutes: (value: number) => string;
}

/**
 * One report figure as text: "<5" for a hidden count from 1 to 4, "s" for any other hidden figure (a count
 * hidden as a complement, a rate or a duration: never "<5"), "—" when undefined, else the count / rate /
 * duration. A count from 1 to 4 that arrives unsuppressed is still shown as "<5" (defence in depth: the
 * console never prints a small count, whatever the API sends).
 */
export function renderCell(
  cell: ReportCell | null | undefined,
  kind: ReportCellKind,
  format: CellFormatters,
): string {
  if (!cell) return '—';
  if (cell.suppressed) return suppressedLabel(cell, kind);
  const value = cell.value;
  if (value === null || Number.isNaN(value)) return '—';
  switch (kind) {
    case 'count':
      return value >= 1 && value <= 4 ? SMALL_CELL : format.number(value);
    case 'rate':
      return format.percent(value);
    case 'minutes':
      return format.minutes(value);
  }
}

/** The value to plot: null (a gap) for a hidden or undefined figure, never the small count. */
export function plotValue(
  cell: ReportCell | null | undefined,
  kind: ReportCellKind = 'count',
): number | null {
  if (!cell || cell.suppressed || cell.value === null) return null;
  if (kind === 'count' && cell.value >= 1 && cell.value <= 4) return null;
  return cell.value;
}

/** Durations with a unit on every part: "45 min", "2 h 5 min", "5 h", "3 j 4 h", "1 j". */
export function formatMinutes(minutes: number, units: { day: string; hour: string; minute: string }): string {
  const total = Math.round(minutes);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const rest = total % 60;
  if (days > 0) return hours > 0 ? `${days} ${units.day} ${hours} ${units.hour}` : `${days} ${units.day}`;
  if (hours > 0)
    return rest > 0 ? `${hours} ${units.hour} ${rest} ${units.minute}` : `${hours} ${units.hour}`;
  return `${rest} ${units.minute}`;
}

/** Why a figure is hidden, as a translation key (null when it is shown). */
export function suppressionReasonKey(cell: ReportCell | null | undefined): TranslationKey | null {
  if (!cell?.suppressed) return null;
  switch (cell.reason) {
    case 'complementary':
      return 'reports.reason.complementary';
    case 'count_suppressed':
      return 'reports.reason.countSuppressed';
    case 'small_sample':
      return 'reports.reason.smallSample';
    default:
      return 'reports.reason.smallCount';
  }
}

/**
 * The short label of a figure the chart leaves out on purpose (null when it is plotted, or simply undefined):
 * « masqué (< 5) » for a count from 1 to 4, « masqué (s) » for a count hidden as a complement, « non calculé »
 * for a rate or a duration (never "<5").
 */
export function gapLabelKey(
  cell: ReportCell | null | undefined,
  kind: ReportCellKind,
): TranslationKey | null {
  if (!cell || plotValue(cell, kind) !== null) return null;
  if (kind !== 'count') return cell.suppressed ? 'reports.gap.notComputed' : null;
  if (cell.suppressed)
    return cell.reason === 'complementary' ? 'reports.gap.complementary' : 'reports.gap.smallCount';
  return cell.value === null ? null : 'reports.gap.smallCount';
}
