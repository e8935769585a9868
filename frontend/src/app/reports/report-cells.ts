import type { ReportCell, ReportCellKind } from '@lien/shared';

/** What a hidden small count (1 to 4) is shown as, everywhere (tables, tiles, chart tables). */
export const SMALL_CELL = '<5';

export interface CellFormatters {
  number: (value: number) => string;
  percent: (value: number) => string;
  minutes: (value: number) => string;
}

/**
 * One report figure as text: "<5" when suppressed, "—" when undefined, else the count / rate / duration.
 * A count from 1 to 4 that arrives unsuppressed is still shown as "<5" (defence in depth: the console never
 * prints a small count, whatever the API sends).
 */
export function renderCell(
  cell: ReportCell | null | undefined,
  kind: ReportCellKind,
  format: CellFormatters,
): string {
  if (!cell) return '—';
  if (cell.suppressed) return SMALL_CELL;
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

/** "2 h 05" / "3 j 4 h" style durations from minutes. */
export function formatMinutes(minutes: number, units: { day: string; hour: string; minute: string }): string {
  const total = Math.round(minutes);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const rest = total % 60;
  if (days > 0) return `${days} ${units.day} ${hours} ${units.hour}`;
  if (hours > 0) return `${hours} ${units.hour} ${String(rest).padStart(2, '0')}`;
  return `${rest} ${units.minute}`;
}
