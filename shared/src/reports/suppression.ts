import type { ReportCell, ReportCellKind, ReportSuppressionReason } from '../api/reports.js';

/**
 * Statistical secrecy of report cells, shared by the API (which decides what is hidden) and the console and
 * CSV (which render). The complementary suppression and rounding of whole tables live in the backend
 * (reports/report-disclosure.ts); these are the cell-level rules and the one way to print a cell.
 */
export const SMALL_CELL_THRESHOLD = 5;
/** The rounding base of coordinators' and organisation admins' reports. */
export const REPORT_ROUNDING_BASE = 5;
/** How a count from 1 to 4 reads everywhere. */
export const SUPPRESSED_COUNT_LABEL = '<5';
/** How a count hidden by complementary suppression reads ("s": secret, as in INSEE tables). */
export const SUPPRESSED_COMPLEMENTARY_LABEL = 's';
/** How a hidden rate or statistic reads: never "<5", which is about counts. */
export const SUPPRESSED_DERIVED_LABEL = 's';

/** True for the counts that must be hidden: 1 to 4. */
export function isSmallCell(count: number): boolean {
  return count > 0 && count < SMALL_CELL_THRESHOLD;
}

export function hiddenCell(reason: ReportSuppressionReason): ReportCell {
  return { value: null, suppressed: true, reason };
}

/** A count on its own: hidden from 1 to 4 (`small_count`), 0 stays 0. */
export function countCell(count: number): ReportCell {
  return isSmallCell(count) ? hiddenCell('small_count') : { value: count, suppressed: false };
}

/** The nearest multiple of `base` (halves up); 1 leaves the count as it is. */
export function roundToBase(count: number, base: number): number {
  return base <= 1 ? count : Math.round(count / base) * base;
}

/**
 * numerator / (sum of denominators), 0..1 with 4 decimals, from cells as published: hidden
 * (`count_suppressed`) when any of them is hidden, so a rate never gives a hidden count back; null, not
 * hidden, when the denominator is 0.
 */
export function rateOfCells(numerator: ReportCell, denominators: readonly ReportCell[]): ReportCell {
  if (numerator.suppressed || denominators.some((cell) => cell.suppressed))
    return hiddenCell('count_suppressed');
  const denominator = denominators.reduce((sum, cell) => sum + (cell.value ?? 0), 0);
  if (denominator <= 0 || numerator.value === null) return { value: null, suppressed: false };
  return { value: Math.round((numerator.value / denominator) * 10_000) / 10_000, suppressed: false };
}

/** A statistic (median, p90…) computed over `sampleSize` people: hidden for 1 to 4, null for none. */
export function statisticCell(value: number | null, sampleSize: number): ReportCell {
  if (isSmallCell(sampleSize)) return hiddenCell('small_sample');
  if (sampleSize <= 0 || value === null) return { value: null, suppressed: false };
  return { value: Math.round(value * 10) / 10, suppressed: false };
}

export interface FormatReportCellOptions {
  kind?: ReportCellKind;
  /** BCP 47 locale for numbers ("fr-FR" writes 12,5 %). Default "fr-FR". */
  locale?: string;
  /** Text for an undefined value (no data). Default "—". */
  empty?: string;
}

/** The label of a hidden cell: "<5" only for a count from 1 to 4, "s" for every other hidden figure. */
export function suppressedLabel(cell: ReportCell, kind: ReportCellKind = 'count'): string {
  if (kind === 'count' && cell.reason !== 'complementary') return SUPPRESSED_COUNT_LABEL;
  return kind === 'count' ? SUPPRESSED_COMPLEMENTARY_LABEL : SUPPRESSED_DERIVED_LABEL;
}

/** The one way to print a cell: "<5" for a small count, "s" for another hidden figure, "12,5 %", "1 234", "95 min". */
export function formatReportCell(cell: ReportCell, options: FormatReportCellOptions = {}): string {
  const kind = options.kind ?? 'count';
  const locale = options.locale ?? 'fr-FR';
  if (cell.suppressed) return suppressedLabel(cell, kind);
  if (cell.value === null) return options.empty ?? '—';
  switch (kind) {
    case 'rate':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(cell.value);
    case 'minutes':
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(cell.value)} min`;
    default:
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(cell.value);
  }
}
