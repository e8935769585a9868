/**
 * When invitations, reminders and deadlines fall: pure functions of their inputs (no clock read here; the
 * caller passes "now" from `Clock`). All local-time reasoning goes through luxon in the organisation's
 * time zone, so 10:00 stays 10:00 local across daylight-saving changes.
 *
 * Holidays: every function that looks at public holidays takes an optional `holidayRegion` (see
 * `holidays.ts`); by default it is derived from the time zone (overseas zones → their department's
 * holidays, every other zone → metropolitan France). Pass `holidayRegionFor({ timeZone, departement })`
 * for Alsace-Moselle organisations, whose extra holidays a time zone cannot reveal.
 */
import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import {
  waveAppliesTo,
  type LocalTime,
  type OrganisationSettings,
  type ParentRole,
  type QuietHoursSetting,
  type WaveSetting,
} from '@lien/shared';
import { holidayRegionForTimeZone, isPublicHoliday } from './holidays.js';

export interface PlannedWave {
  /** The wave's key, e.g. "day7". */
  wave: string;
  /** When the invitation is to be sent (always an allowed send time). */
  dueAt: Date;
  /** The instant it would have been sent without quiet hours / Sundays / holidays; null when it did not move. */
  deferredFrom: Date | null;
}

export interface PlanWavesInput {
  /** Child's birth date, a local calendar date "YYYY-MM-DD". */
  birthDate: string;
  enrolledAt: Date;
  settings: Pick<OrganisationSettings, 'waves' | 'sendTime' | 'quietHours'>;
  timeZone: string;
  /**
   * When the plan is made, if later than `enrolledAt` (e.g. the birth date of an antenatal enrolment is
   * recorded days after birth). Waves whose nominal time is already past are treated as late from here.
   */
  now?: Date;
  /** Defaults to the region implied by `timeZone`. */
  holidayRegion?: string;
  /** The parent's role: waves that target other roles are left out (without a role, no wave is left out). */
  role?: ParentRole;
}

/** Days searched for the next allowed send time before giving up (a year of holidays cannot block more). */
const MAX_SEARCH_DAYS = 400;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface HourMinute {
  hour: number;
  minute: number;
}

function parseLocalTime(value: LocalTime, label: string): HourMinute {
  const match = LOCAL_TIME.exec(value);
  if (!match) throw new RangeError(`${label} must be "HH:MM", got "${value}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function minutesOf(time: HourMinute): number {
  return time.hour * 60 + time.minute;
}

interface QuietWindow {
  start: HourMinute;
  startMinute: number;
  endMinute: number;
}

function sendWindow(quietHours: QuietHoursSetting): QuietWindow {
  const start = parseLocalTime(quietHours.start, 'quietHours.start');
  const end = parseLocalTime(quietHours.end, 'quietHours.end');
  if (minutesOf(start) >= minutesOf(end)) {
    throw new RangeError(
      `quietHours.start (${quietHours.start}) must be before quietHours.end (${quietHours.end})`,
    );
  }
  return { start, startMinute: minutesOf(start), endMinute: minutesOf(end) };
}

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * An IANA zone whose UTC offsets are remembered per quarter of an hour. Luxon asks the zone for offsets many
 * times per computation and IANAZone answers each through Intl (formatToParts, the bulk of the schedule's
 * cost). Offsets only change at transitions, and every transition of the tz database since 1970 falls on a
 * quarter hour (UTC), so an offset is constant within each quarter: caching is exact.
 */
class CachedZone extends Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly inner: IANAZone) {
    super();
  }
  override get type(): string {
    return this.inner.type;
  }
  override get name(): string {
    return this.inner.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.inner.isValid;
  }
  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    return this.inner.offsetName(ts, options) ?? '';
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.inner.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      if (this.offsets.size > 100_000) this.offsets.clear();
      offset = this.inner.offset(quarter * QUARTER_HOUR_MS);
      this.offsets.set(quarter, offset);
    }
    return offset;
  }
  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }
}

const cachedZones = new Map<string, Zone>();

/** The zone luxon computes in: cached for valid IANA names; an invalid name stays a string (invalid DateTime). */
function zoneOf(timeZone: string): Zone | string {
  const known = cachedZones.get(timeZone);
  if (known) return known;
  if (!IANAZone.isValidZone(timeZone)) return timeZone;
  const zone = new CachedZone(IANAZone.create(timeZone));
  cachedZones.set(timeZone, zone);
  return zone;
}

function zoned(instant: Date, timeZone: string): DateTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid date');
  const local = DateTime.fromJSDate(instant, { zone: zoneOf(timeZone) });
  if (!local.isValid) throw new RangeError(`Invalid time zone "${timeZone}"`);
  return local;
}

/** A local calendar date as a UTC-midnight DateTime: pure date arithmetic, no DST. */
function calendarDate(local: DateTime): DateTime {
  return DateTime.utc(local.year, local.month, local.day);
}

function parseBirthDate(value: string): DateTime {
  const date = ISO_DATE.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (!date?.isValid) throw new RangeError(`birthDate must be a date "YYYY-MM-DD", got "${value}"`);
  return date;
}

/** The instant at `time` local on a calendar date (a time inside a DST gap moves forward, as clocks do). */
function atLocalTime(date: DateTime, time: HourMinute, timeZone: string): DateTime {
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute },
    { zone: zoneOf(timeZone) },
  );
}

function isoDate(date: DateTime): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Days since birth of the local calendar date of `local`. */
function dayIndex(birth: DateTime, local: DateTime): number {
  return Math.round((Date.UTC(local.year, local.month - 1, local.day) - birth.toMillis()) / MS_PER_DAY);
}

function isSendingDay(local: DateTime, quietHours: QuietHoursSetting, holidayRegion: string): boolean {
  if (quietHours.noSundays && local.weekday === 7) return false;
  if (quietHours.noPublicHolidays && isPublicHoliday(isoDate(local), holidayRegion)) return false;
  return true;
}

/**
 * Whether an SMS may go out at `instant`: local time inside [start, end), not on a Sunday when `noSundays`,
 * not on a public holiday when `noPublicHolidays`.
 */
export function isAllowedSendTime(
  instant: Date,
  timeZone: string,
  quietHours: QuietHoursSetting,
  holidayRegion: string = holidayRegionForTimeZone(timeZone),
): boolean {
  const window = sendWindow(quietHours);
  const local = zoned(instant, timeZone);
  const minute = local.hour * 60 + local.minute;
  if (minute < window.startMinute || minute >= window.endMinute) return false;
  return isSendingDay(local, quietHours, holidayRegion);
}

/**
 * `candidate` itself when allowed; otherwise the start of quiet-hours-free time on the same day (if before
 * the start and the day is a sending day) or on the next sending day.
 */
export function nextAllowedSendTime(
  candidate: Date,
  timeZone: string,
  quietHours: QuietHoursSetting,
  holidayRegion: string = holidayRegionForTimeZone(timeZone),
): Date {
  if (isAllowedSendTime(candidate, timeZone, quietHours, holidayRegion)) return new Date(candidate.getTime());
  const window = sendWindow(quietHours);
  const local = zoned(candidate, timeZone);
  const day = calendarDate(local);
  for (let offset = 0; offset <= MAX_SEARCH_DAYS; offset += 1) {
    const start = atLocalTime(day.plus({ days: offset }), window.start, timeZone).toJSDate();
    if (start.getTime() <= candidate.getTime()) continue;
    if (isAllowedSendTime(start, timeZone, quietHours, holidayRegion)) return start;
  }
  throw new RangeError(`No allowed send time within ${MAX_SEARCH_DAYS} days of ${candidate.toISOString()}`);
}

function checkWave(wave: WaveSetting): void {
  const { key, offsetDays, windowStartDay, windowEndDay } = wave;
  const integers = [offsetDays, windowStartDay, windowEndDay].every((n) => Number.isInteger(n) && n >= 0);
  if (!integers || windowStartDay > offsetDays || offsetDays > windowEndDay) {
    throw new RangeError(
      `Wave "${key}": expected integers 0 <= windowStartDay <= offsetDays <= windowEndDay, got ` +
        `${windowStartDay} <= ${offsetDays} <= ${windowEndDay}`,
    );
  }
}

/**
 * The invitations of a birth, one per wave that can still be sent:
 * - nominal time: birth date + offsetDays, at `sendTime` local;
 * - enrolled (or planned, see `now`) after the nominal time: still planned if the local day of enrolment
 *   (days since birth) is within [windowStartDay, windowEndDay], at the next allowed time from then;
 *   skipped after windowEndDay;
 * - then moved out of quiet hours, Sundays and holidays (`deferredFrom` keeps the instant it moved from);
 * - skipped if that falls after the last day of the window.
 * Results follow the order of `settings.waves`.
 */
export function planWaves(input: PlanWavesInput): PlannedWave[] {
  const { settings, timeZone } = input;
  const birth = parseBirthDate(input.birthDate);
  const sendTime = parseLocalTime(settings.sendTime, 'sendTime');
  const holidayRegion = input.holidayRegion ?? holidayRegionForTimeZone(timeZone);
  const reference =
    input.now && input.now.getTime() > input.enrolledAt.getTime() ? input.now : input.enrolledAt;
  const referenceDay = dayIndex(birth, zoned(reference, timeZone));

  const planned: PlannedWave[] = [];
  for (const wave of settings.waves) {
    checkWave(wave);
    if (input.role && !waveAppliesTo(wave, input.role)) continue;
    const nominal = atLocalTime(birth.plus({ days: wave.offsetDays }), sendTime, timeZone).toJSDate();
    let candidate: Date;
    if (nominal.getTime() >= reference.getTime()) {
      candidate = nominal;
    } else if (referenceDay > wave.windowEndDay) {
      continue;
    } else {
      candidate = new Date(reference.getTime());
    }
    const dueAt = nextAllowedSendTime(candidate, timeZone, settings.quietHours, holidayRegion);
    if (dayIndex(birth, zoned(dueAt, timeZone)) > wave.windowEndDay) continue;
    planned.push({
      wave: wave.key,
      dueAt,
      deferredFrom: dueAt.getTime() === candidate.getTime() ? null : candidate,
    });
  }
  return planned;
}

/** When the reminder goes: `afterHours` (elapsed hours) after the last send, moved out of quiet hours. */
export function planReminder(
  lastSentAt: Date,
  afterHours: number,
  timeZone: string,
  quietHours: QuietHoursSetting,
  holidayRegion: string = holidayRegionForTimeZone(timeZone),
): Date {
  if (!Number.isFinite(afterHours) || afterHours < 0) {
    throw new RangeError(`afterHours must be a non-negative number, got ${afterHours}`);
  }
  const candidate = new Date(lastSentAt.getTime() + afterHours * MS_PER_HOUR);
  return nextAllowedSendTime(candidate, timeZone, quietHours, holidayRegion);
}

/** The local calendar date ("YYYY-MM-DD") of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return isoDate(zoned(instant, timeZone));
}

/**
 * When an invitation link expires: `days` after it was sent. Without a time zone these are 24-hour days;
 * with one, calendar days in that zone (same local time of day across a DST change).
 */
export function linkExpiry(sentAt: Date, days: number, timeZone?: string): Date {
  if (!Number.isFinite(days) || days < 0)
    throw new RangeError(`days must be a non-negative number, got ${days}`);
  if (Number.isNaN(sentAt.getTime())) throw new RangeError('Invalid date');
  const nominal = sentAt.getTime() + days * MS_PER_DAY;
  if (timeZone === undefined) return new Date(nominal);
  // The result differs from `days` × 24 h by the change of UTC offset in between, which is the same for every
  // instant of a minute (offsets change on minute boundaries): computed once per minute (an SMS burst is
  // accepted within a few minutes, and luxon's zone arithmetic is the costly part of an acceptance).
  const minute = Math.floor(sentAt.getTime() / 60_000);
  const key = `${timeZone} ${days} ${minute}`;
  let shift = expiryShifts.get(key);
  if (shift === undefined) {
    const start = minute * 60_000;
    shift = zoned(new Date(start), timeZone).plus({ days }).toMillis() - (start + days * MS_PER_DAY);
    if (expiryShifts.size >= 1_000) expiryShifts.clear();
    expiryShifts.set(key, shift);
  }
  return new Date(nominal + shift);
}

/** linkExpiry's offset change by zone, days and minute of the send. */
const expiryShifts = new Map<string, number>();

/**
 * `days` working days after `from`, at the same local time of day: each following calendar day counts
 * unless it is a Saturday, a Sunday or a public holiday (so Friday 15:00 + 1 is Monday 15:00, and a
 * Saturday + 1 is Monday too). 0 returns `from`. Used for alert deadlines.
 */
export function addWorkingDays(
  from: Date,
  days: number,
  timeZone: string,
  holidayRegion: string = holidayRegionForTimeZone(timeZone),
): Date {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const start = zoned(from, timeZone);
  const time = { hour: start.hour, minute: start.minute };
  let day = calendarDate(start);
  let counted = 0;
  while (counted < days) {
    day = day.plus({ days: 1 });
    if (day.weekday >= 6 || isPublicHoliday(isoDate(day), holidayRegion)) continue;
    counted += 1;
  }
  if (days === 0) return new Date(from.getTime());
  return atLocalTime(day, time, timeZone)
    .set({ second: start.second, millisecond: start.millisecond })
    .toJSDate();
}
