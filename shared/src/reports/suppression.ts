import type { ReportCell, ReportCellKind } from '../api/reports.js';

/**
 * Small-cell suppression, shared by the API (which suppresses) and the console and CSV (which render):
 * a count from 1 to 4 could single out a parent, so it is never shown; 0 stays 0.
 */
export const SMALL_CELL_THRESHOLD = 5;
/** How a suppressed count reads everywhere. */
export const SUPPRESSED_COUNT_LABEL = '<5';
/** How a suppressed rate or statistic reads (its sample has fewer than 5 people). */
export const SUPPRESSED_DERIVED_LABEL = 'n<5';

/** True for the counts that must be hidden: 1 to 4. */
export function isSmallCell(count: number): boolean {
  return count > 0 && count < SMALL_CELL_THRESHOLD;
}

export function countCell(count: number): ReportCell {
  return isSmallCell(count) ? { value: null, suppressed: true } : { value: count, suppressed: false };
}

/**
 * numerator / denominator (0..1, 4 decimals). Hidden when either count is a small cell (a rate over a
 * large denominator would give the hidden numerator back); null, not hidden, when the denominator is 0.
 */
export function rateCell(numerator: number, denominator: number): ReportCell {
  if (isSmallCell(numerator) || isSmallCell(denominator)) return { value: null, suppressed: true };
  if (denominator <= 0) return { value: null, suppressed: false };
  return { value: Math.round((numerator / denominator) * 10_000) / 10_000, suppressed: false };
}

/** A statistic (median, p90…) computed over `sampleSize` people: hidden for 1 to 4, null for none. */
export function statisticCell(value: number | null, sampleSize: number): ReportCell {
  if (isSmallCell(sampleSize)) return { value: null, suppressed: true };
  if (sampleSize <= 0 || value === null) return { value: null, suppressed: false };
  return { value: Math.round(value * 10) / 10, suppressed: false };
}

/**
 * A value derived from one count (e.g. SMS segments of `count` messages): hidden whenever that count is.
 */
export function derivedCountCell(value: number, count: number): ReportCell {
  if (isSmallCell(count) || isSmallCell(value)) return { value: null, suppressed: true };
  return { value, suppressed: false };
}

export interface FormatReportCellOptions {
  kind?: ReportCellKind;
  /** BCP 47 locale for numbers ("fr-FR" writes 12,5 %). Default "fr-FR". */
  locale?: string;
  /** Text for an undefined value (no data). Default "—". */
  empty?: string;
}

/** The one way to print a cell: "<5" for a hidden count, "n<5" for a hidden rate, "12,5 %", "1 234", "95 min". */
export function formatReportCell(cell: ReportCell, options: FormatReportCellOptions = {}): string {
  const kind = options.kind ?? 'count';
  const locale = options.locale ?? 'fr-FR';
  if (cell.suppressed) return kind === 'count' ? SUPPRESSED_COUNT_LABEL : SUPPRESSED_DERIVED_LABEL;
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
