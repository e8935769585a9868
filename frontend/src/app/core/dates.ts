import { Injectable, type Provider, effect, inject } from '@angular/core';
import { registerLocaleData } from '@angular/common';
import localeEnGb from '@angular/common/locales/en-GB';
import localeFr from '@angular/common/locales/fr';
import {
  DateAdapter,
  MAT_DATE_FORMATS,
  MAT_DATE_LOCALE,
  NativeDateAdapter,
  type MatDateFormats,
} from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';
import { TranslationService } from '../i18n/translation.service';

// Angular's own formatting data for the console's languages (LOCALE_ID is one of them).
registerLocaleData(localeFr);
registerLocaleData(localeEnGb);

/**
 * Dates as people here write them: day first ("04/12/2026", both in French and British English), 24-hour times
 * ("14:30", "14h30"), weeks starting on Monday. The calendar follows the console's language.
 */
export const LIEN_DATE_FORMATS: MatDateFormats = {
  parse: { dateInput: null, timeInput: null },
  display: {
    dateInput: { day: '2-digit', month: '2-digit', year: 'numeric' },
    monthLabel: { month: 'short' },
    monthYearLabel: { year: 'numeric', month: 'short' },
    dateA11yLabel: { year: 'numeric', month: 'long', day: 'numeric' },
    monthYearA11yLabel: { year: 'numeric', month: 'long' },
    timeInput: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    timeOptionLabel: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  },
};

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FRENCH_TIME = /^(\d{1,2})\s*h\s*(\d{2})?$/i;

@Injectable()
export class LienDateAdapter extends NativeDateAdapter {
  constructor() {
    super();
    // The calendar speaks the console's language, and switches with it.
    const i18n = inject(TranslationService);
    effect(() => this.setLocale(i18n.locale()));
  }

  /** "04/12/2026", "4.12.26" or "2026-12-04"; anything else is invalid (never read month first). */
  override parse(value: unknown, parseFormat?: unknown): Date | null {
    if (typeof value !== 'string') return super.parse(value, parseFormat);
    const text = value.trim();
    if (text === '') return null;
    const dayFirst = DAY_FIRST.exec(text);
    const iso = ISO_DAY.exec(text);
    const [day, month, year] = dayFirst
      ? [Number(dayFirst[1]), Number(dayFirst[2]), Number(dayFirst[3])]
      : iso
        ? [Number(iso[3]), Number(iso[2]), Number(iso[1])]
        : [Number.NaN, Number.NaN, Number.NaN];
    const fullYear = year < 100 ? 2000 + year : year;
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return this.invalid();
    const date = new Date(fullYear, month - 1, day);
    date.setFullYear(fullYear);
    return date.getMonth() === month - 1 && date.getDate() === day ? date : this.invalid();
  }

  /** "14:30", and the French "14h30" or "14h". */
  override parseTime(value: unknown, parseFormat?: unknown): Date | null {
    const french = typeof value === 'string' ? FRENCH_TIME.exec(value.trim()) : null;
    return super.parseTime(french ? `${french[1]}:${french[2] ?? '00'}` : value, parseFormat);
  }

  /** Monday, whatever the browser says, for the languages of the console. */
  override getFirstDayOfWeek(): number {
    return 1;
  }
}

/** Calendar and time picker labels in the console's language. */
@Injectable()
export class TranslatedDatepickerIntl extends MatDatepickerIntl {
  private readonly i18n = inject(TranslationService);

  constructor() {
    super();
    effect(() => {
      const t = this.i18n.t;
      this.calendarLabel = t('datepicker.calendar');
      this.openCalendarLabel = t('datepicker.open');
      this.closeCalendarLabel = t('datepicker.close');
      this.prevMonthLabel = t('datepicker.previousMonth');
      this.nextMonthLabel = t('datepicker.nextMonth');
      this.prevYearLabel = t('datepicker.previousYear');
      this.nextYearLabel = t('datepicker.nextYear');
      this.prevMultiYearLabel = t('datepicker.previousYears');
      this.nextMultiYearLabel = t('datepicker.nextYears');
      this.switchToMonthViewLabel = t('datepicker.chooseDate');
      this.switchToMultiYearViewLabel = t('datepicker.chooseMonthYear');
      this.changes.next();
    });
  }
}

/** "2026-12-04" of a local date (the calendar day the person picked), or '' for none or invalid. */
export function isoDay(date: Date | null | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${String(date.getFullYear()).padStart(4, '0')}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local date of "2026-12-04", or null. */
export function dateOfIsoDay(day: string | null | undefined): Date | null {
  const match = day ? ISO_DAY.exec(day) : null;
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  date.setFullYear(Number(match[1]));
  return date;
}

/** "14:30" of a time picker's value, or ''. */
export function hhmm(date: Date | null | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return '';
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Today's date at "14:30", or null. */
export function dateOfHhmm(time: string | null | undefined): Date | null {
  const match = time ? /^(\d{2}):(\d{2})$/.exec(time) : null;
  if (!match) return null;
  const date = new Date();
  date.setHours(Number(match[1]), Number(match[2]), 0, 0);
  return date;
}

/** What a date or time field needs, also given by the fields themselves (they work on any page and in specs). */
export const DATE_FIELD_PROVIDERS: Provider[] = [
  { provide: MAT_DATE_LOCALE, useFactory: () => inject(TranslationService).locale() },
  { provide: DateAdapter, useClass: LienDateAdapter },
  { provide: MAT_DATE_FORMATS, useValue: LIEN_DATE_FORMATS },
  { provide: MatDatepickerIntl, useClass: TranslatedDatepickerIntl },
];
