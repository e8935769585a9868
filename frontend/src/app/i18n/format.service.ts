import { Injectable, inject, signal } from '@angular/core';
import { TranslationService } from './translation.service';

export type FormatKind = 'dateTime' | 'date' | 'time' | 'day' | 'number' | 'percent' | 'month';

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/**
 * Dates, times and numbers with Intl: the user's language decides the format, the organisation's time zone
 * decides the wall-clock time (a nurse in Cayenne sees Cayenne times, whatever the browser's zone).
 * Calendar days (birth dates, "YYYY-MM-DD") are formatted as such, never shifted by a time zone.
 */
@Injectable({ providedIn: 'root' })
export class FormatService {
  private readonly i18n = inject(TranslationService);
  private readonly zone = signal(DEFAULT_TIME_ZONE);
  private readonly cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

  readonly timeZone = this.zone.asReadonly();

  setTimeZone(timeZone: string | null | undefined): void {
    this.zone.set(timeZone && isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE);
  }

  format(value: string | number | Date | null | undefined, kind: FormatKind = 'dateTime'): string {
    if (value === null || value === undefined || value === '') return '—';
    const locale = this.i18n.locale();
    const timeZone = this.zone();
    switch (kind) {
      case 'number':
        return this.numberFormat(locale, {}).format(Number(value));
      case 'percent':
        return this.numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(
          Number(value),
        );
      case 'day': {
        const day = parseDay(value);
        return day ? this.dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(day) : '—';
      }
      case 'month': {
        const day = parseDay(
          typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value,
        );
        return day
          ? this.dateFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(day)
          : '—';
      }
      default: {
        const date = value instanceof Date ? value : new Date(value);
        if (Number.isNaN(date.getTime())) return '—';
        const options: Intl.DateTimeFormatOptions =
          kind === 'date'
            ? { dateStyle: 'medium', timeZone }
            : kind === 'time'
              ? { timeStyle: 'short', timeZone }
              : { dateStyle: 'medium', timeStyle: 'short', timeZone };
        return this.dateFormat(locale, options).format(date);
      }
    }
  }

  /** "dans 3 heures" / "il y a 2 jours", for deadlines. */
  relative(value: string | Date, now: Date = new Date()): string {
    const date = value instanceof Date ? value : new Date(value);
    const minutes = Math.round((date.getTime() - now.getTime()) / 60_000);
    const format = new Intl.RelativeTimeFormat(this.i18n.locale(), { numeric: 'auto' });
    if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
    const hours = Math.round(minutes / 60);
    if (Math.abs(hours) < 48) return format.format(hours, 'hour');
    return format.format(Math.round(hours / 24), 'day');
  }

  private dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    return this.cached(`d|${locale}`, options, () => new Intl.DateTimeFormat(locale, options));
  }

  private numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    return this.cached(`n|${locale}`, options, () => new Intl.NumberFormat(locale, options));
  }

  /** A formatter is costly to build: one per kind, locale and options, kept. */
  private cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(
    kindAndLocale: string,
    options: object,
    build: () => F,
  ): F {
    const key = `${kindAndLocale}|${JSON.stringify(options)}`;
    let format = this.cache.get(key) as F | undefined;
    if (!format) {
      format = build();
      this.cache.set(key, format);
    }
    return format;
  }
}

function parseDay(value: string | number | Date): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (match) return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
