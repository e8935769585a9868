import { DateTime } from 'luxon';
import type { ApiErrorDetail } from '@lien/shared';

/** Minutes in a week, Monday 00:00 = 0 (local time of the organisation). */
const WEEK = 7 * 1440;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const MAX_ROTA_ENTRIES = 50;
export const ACK_MINUTES = { min: 1, max: 120 } as const;

export interface RotaEntry {
  userId: string;
  weekdays: number[];
  start: string;
  end: string;
}

/** A stretch of the week nobody covers, one per weekday it touches. */
export interface RotaGap {
  weekday: number;
  start: string;
  /** "24:00" when the gap runs to the end of the day. */
  end: string;
}

export function minutesOf(time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new Error(`not a time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The week minutes an entry covers: [from, to) ranges, an overnight entry running into the next day. */
function coveredRanges(entry: RotaEntry): Array<[number, number]> {
  const start = minutesOf(entry.start);
  const end = minutesOf(entry.end);
  const length = end > start ? end - start : 1440 - start + end;
  return entry.weekdays.map((weekday) => {
    const from = (weekday - 1) * 1440 + start;
    return [from, from + length];
  });
}

function covers(entry: RotaEntry, weekMinute: number): boolean {
  return coveredRanges(entry).some(
    ([from, to]) =>
      (weekMinute >= from && weekMinute < to) || (weekMinute + WEEK >= from && weekMinute + WEEK < to),
  );
}

/** Where nobody is on call, per weekday, in local time. */
export function rotaGaps(entries: readonly RotaEntry[]): RotaGap[] {
  const covered = new Uint8Array(WEEK);
  for (const entry of entries)
    for (const [from, to] of coveredRanges(entry))
      for (let minute = from; minute < to; minute += 1) covered[minute % WEEK] = 1;
  const gaps: RotaGap[] = [];
  for (let day = 0; day < 7; day += 1) {
    let minute = 0;
    while (minute < 1440) {
      if (covered[day * 1440 + minute]) {
        minute += 1;
        continue;
      }
      const start = minute;
      while (minute < 1440 && !covered[day * 1440 + minute]) minute += 1;
      gaps.push({ weekday: day + 1, start: hhmm(start), end: minute === 1440 ? '24:00' : hhmm(minute) });
    }
  }
  return gaps;
}

/** The entries on call at `at` (in the organisation's zone), in paging order, one per professional. */
export function onCallAt<T extends RotaEntry>(entries: readonly T[], at: Date, timeZone: string): T[] {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const weekMinute = (local.weekday - 1) * 1440 + local.hour * 60 + local.minute;
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.userId) || !covers(entry, weekMinute)) return false;
    seen.add(entry.userId);
    return true;
  });
}

export interface RotaInput {
  ackMinutes: number;
  voice: boolean;
  entries: Array<RotaEntry & { phone: string }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The shape of a rota PUT body; every problem is named by its field path. Phones and users are checked by the
 * service (numbering plan, membership of the organisation).
 */
export function readRota(body: unknown): { rota: RotaInput | null; problems: ApiErrorDetail[] } {
  const problems: ApiErrorDetail[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field, message: `${field} ${message}` });
  };
  if (!isRecord(body)) {
    add('body', 'must be an object');
    return { rota: null, problems };
  }
  for (const key of Object.keys(body))
    if (!['ackMinutes', 'voice', 'entries'].includes(key)) add(key, 'is not a rota field');
  const ackMinutes = body['ackMinutes'] ?? 10;
  if (
    typeof ackMinutes !== 'number' ||
    !Number.isInteger(ackMinutes) ||
    ackMinutes < ACK_MINUTES.min ||
    ackMinutes > ACK_MINUTES.max
  )
    add('ackMinutes', `must be a whole number of minutes from ${ACK_MINUTES.min} to ${ACK_MINUTES.max}`);
  const voice = body['voice'] ?? false;
  if (typeof voice !== 'boolean') add('voice', 'must be true or false');
  const rawEntries = body['entries'];
  const entries: RotaInput['entries'] = [];
  if (!Array.isArray(rawEntries)) add('entries', 'must be an array');
  else if (rawEntries.length > MAX_ROTA_ENTRIES)
    add('entries', `must have at most ${MAX_ROTA_ENTRIES} entries`);
  else
    rawEntries.forEach((raw: unknown, index) => {
      const at = `entries[${index}]`;
      if (!isRecord(raw)) return add(at, 'must be an object');
      for (const key of Object.keys(raw))
        if (!['userId', 'weekdays', 'start', 'end', 'phone'].includes(key))
          add(`${at}.${key}`, 'is not a rota entry field');
      const { userId, weekdays, start, end, phone } = raw;
      const before = problems.length;
      const fail = (field: string, message: string): void => add(`${at}.${field}`, message);
      if (
        typeof userId !== 'string' ||
        !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)
      )
        fail('userId', 'must be a user id');
      if (
        !Array.isArray(weekdays) ||
        weekdays.length === 0 ||
        weekdays.length > 7 ||
        !weekdays.every((day) => Number.isInteger(day) && (day as number) >= 1 && (day as number) <= 7) ||
        new Set(weekdays).size !== weekdays.length
      )
        fail('weekdays', 'must be distinct weekdays from 1 (Monday) to 7 (Sunday)');
      if (typeof start !== 'string' || !TIME.test(start)) fail('start', 'must be a time HH:MM');
      if (typeof end !== 'string' || !TIME.test(end)) fail('end', 'must be a time HH:MM');
      else if (start === end) fail('end', 'must differ from the start');
      if (typeof phone !== 'string' || phone.length > 32) fail('phone', 'must be a mobile number');
      if (problems.length === before)
        entries.push({
          userId: userId as string,
          weekdays: weekdays as number[],
          start: start as string,
          end: end as string,
          phone: phone as string,
        });
    });
  if (problems.length > 0) return { rota: null, problems };
  return { rota: { ackMinutes: ackMinutes as number, voice: voice as boolean, entries }, problems };
}
