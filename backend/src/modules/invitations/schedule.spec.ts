import {
  DEFAULT_ORGANISATION_SETTINGS,
  FATHERS_WAVE_EXAMPLE,
  type OrganisationSettings,
  type QuietHoursSetting,
} from '@lien/shared';
import {
  holidayRegionFor,
  holidayRegionForTimeZone,
  isPublicHoliday,
  publicHolidayName,
  publicHolidays,
} from './holidays.js';
import {
  addWorkingDays,
  isAllowedSendTime,
  linkExpiry,
  nextAllowedSendTime,
  planReminder,
  planWaves,
  type PlannedWave,
} from './schedule.js';
import { expectMapsEach } from '../../testing/jest/tables.js';

const PARIS = 'Europe/Paris';
const CAYENNE = 'America/Cayenne'; // UTC-3, no DST
const REUNION = 'Indian/Reunion'; // UTC+4, no DST
const QUIET: QuietHoursSetting = DEFAULT_ORGANISATION_SETTINGS.quietHours; // 09:00-20:00, no Sundays nor holidays
const SETTINGS: OrganisationSettings = DEFAULT_ORGANISATION_SETTINGS;

const at = (iso: string): Date => new Date(iso);
const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
/** The instant functions under test, read and answered as ISO strings (the instants the comments explain). */
const nextAllowedIso = (candidate: string, zone: string, quiet: QuietHoursSetting, region?: string) =>
  nextAllowedSendTime(at(candidate), zone, quiet, region).toISOString();
const reminderIso = (lastSentAt: string, hours: number, zone: string, quiet: QuietHoursSetting) =>
  planReminder(at(lastSentAt), hours, zone, quiet).toISOString();
const expiryIso = (sentAt: string, days: number, zone?: string) =>
  linkExpiry(at(sentAt), days, zone).toISOString();
const workingDaysIso = (from: string, days: number, zone: string) =>
  addWorkingDays(at(from), days, zone).toISOString();
/** A planned wave as `simplify` reads it: sent at `dueAt`, deferred from its nominal time when `deferredFrom` is given. */
const planned = (wave: string, dueAt: string, deferredFrom: string | null = null) => ({
  wave,
  dueAt,
  deferredFrom,
});
const simplify = (plan: PlannedWave[]): Array<{ wave: string; dueAt: string; deferredFrom: string | null }> =>
  plan.map((p) => ({ wave: p.wave, dueAt: p.dueAt.toISOString(), deferredFrom: iso(p.deferredFrom) }));

describe('holidays', () => {
  it('maps overseas time zones to their department and the rest to metropolitan France', () => {
    expectMapsEach(holidayRegionForTimeZone, {
      'Europe/Paris': 'FR',
      'America/Cayenne': 'FR-GF',
      'Indian/Reunion': 'FR-RE',
      'America/Guadeloupe': 'FR-GP',
      'America/Martinique': 'FR-MQ',
      'Indian/Mayotte': 'FR-YT',
    });
  });

  it('prefers the département when it has holidays of its own (Moselle)', () => {
    expect(holidayRegionFor({ timeZone: PARIS, departement: '57' })).toBe('FR-57');
    expect(holidayRegionFor({ timeZone: PARIS, departement: '62' })).toBe('FR');
    expect(holidayRegionFor({ timeZone: REUNION, departement: null })).toBe('FR-RE');
    expect(holidayRegionFor({ timeZone: PARIS, departement: '973' })).toBe('FR-GF');
  });

  it('lists public holidays only, not observances', () => {
    const fr2026 = publicHolidays(2026);
    expect(fr2026.size).toBe(11);
    expect(fr2026.get('2026-07-14')).toBe('Fête Nationale de la France');
    expect(isPublicHoliday('2026-05-24')).toBe(false); // Pentecost Sunday: observance
    expect(isPublicHoliday('2026-05-31')).toBe(false); // Mother's Day: observance
    expect(isPublicHoliday('2026-05-25')).toBe(true); // Whit Monday
  });

  it('knows regional holidays', () => {
    expect(publicHolidayName('2026-12-20', 'FR-RE')).toBe('Abolition de l’esclavage');
    expect(publicHolidayName('2026-12-20', 'FR')).toBeNull();
    expect(isPublicHoliday('2026-06-10', 'FR-GF')).toBe(true);
    expect(isPublicHoliday('2026-12-26', 'FR-57')).toBe(true);
    expect(isPublicHoliday('2026-04-03', 'FR-57')).toBe(true); // Good Friday in Alsace-Moselle
    expect(isPublicHoliday('2026-04-03', 'FR')).toBe(false);
  });

  it('rejects unknown regions and malformed dates', () => {
    expect(() => isPublicHoliday('2026-01-01', 'FR-XX')).toThrow(RangeError);
    expect(() => isPublicHoliday('2026-1-1')).toThrow(RangeError);
  });
});

describe('isAllowedSendTime', () => {
  it('allows [start, end) local time on a working day', () => {
    // Tuesday 10 March 2026, Paris is UTC+1.
    expect(isAllowedSendTime(at('2026-03-10T07:59:59Z'), PARIS, QUIET)).toBe(false); // 08:59:59
    expect(isAllowedSendTime(at('2026-03-10T08:00:00Z'), PARIS, QUIET)).toBe(true); // 09:00
    expect(isAllowedSendTime(at('2026-03-10T18:59:59Z'), PARIS, QUIET)).toBe(true); // 19:59:59
    expect(isAllowedSendTime(at('2026-03-10T19:00:00Z'), PARIS, QUIET)).toBe(false); // 20:00
  });

  it('uses summer time after the spring change', () => {
    // Monday 30 March 2026, Paris is UTC+2.
    expect(isAllowedSendTime(at('2026-03-30T06:59:00Z'), PARIS, QUIET)).toBe(false); // 08:59
    expect(isAllowedSendTime(at('2026-03-30T07:00:00Z'), PARIS, QUIET)).toBe(true); // 09:00
    expect(isAllowedSendTime(at('2026-03-30T17:59:00Z'), PARIS, QUIET)).toBe(true); // 19:59
    expect(isAllowedSendTime(at('2026-03-30T18:00:00Z'), PARIS, QUIET)).toBe(false); // 20:00
  });

  it('refuses Sundays and public holidays unless allowed', () => {
    const sunday = at('2026-03-08T10:00:00Z'); // 11:00
    const bastilleDay = at('2026-07-14T10:00:00Z'); // 12:00, Tuesday
    expect(isAllowedSendTime(sunday, PARIS, QUIET)).toBe(false);
    expect(isAllowedSendTime(bastilleDay, PARIS, QUIET)).toBe(false);
    expect(isAllowedSendTime(sunday, PARIS, { ...QUIET, noSundays: false })).toBe(true);
    expect(isAllowedSendTime(bastilleDay, PARIS, { ...QUIET, noPublicHolidays: false })).toBe(true);
    // Saturdays are sending days.
    expect(isAllowedSendTime(at('2026-03-07T10:00:00Z'), PARIS, QUIET)).toBe(true);
  });

  it('judges local time in overseas time zones', () => {
    const instant = at('2026-03-10T11:30:00Z'); // Paris 12:30, Cayenne 08:30, Réunion 15:30
    expect(isAllowedSendTime(instant, PARIS, QUIET)).toBe(true);
    expect(isAllowedSendTime(instant, CAYENNE, QUIET)).toBe(false);
    expect(isAllowedSendTime(instant, REUNION, QUIET)).toBe(true);
    const evening = at('2026-03-10T16:30:00Z'); // Paris 17:30, Réunion 20:30
    expect(isAllowedSendTime(evening, PARIS, QUIET)).toBe(true);
    expect(isAllowedSendTime(evening, REUNION, QUIET)).toBe(false);
  });

  it('uses the local date for holidays near midnight UTC', () => {
    // 14 July 2026 06:00 UTC is 10:00 on 14 July in Réunion: a holiday.
    expect(isAllowedSendTime(at('2026-07-14T06:00:00Z'), REUNION, QUIET)).toBe(false);
    // 15 July 06:00 UTC = 10:00 Réunion on the 15th: allowed.
    expect(isAllowedSendTime(at('2026-07-15T06:00:00Z'), REUNION, QUIET)).toBe(true);
  });

  it('rejects bad settings and bad zones', () => {
    const instant = at('2026-03-10T10:00:00Z');
    expect(() => isAllowedSendTime(instant, 'Mars/Olympus', QUIET)).toThrow(RangeError);
    expect(() => isAllowedSendTime(instant, PARIS, { ...QUIET, start: '9:00' })).toThrow(RangeError);
    expect(() => isAllowedSendTime(instant, PARIS, { ...QUIET, start: '20:00', end: '09:00' })).toThrow(
      RangeError,
    );
    expect(() => isAllowedSendTime(new Date(Number.NaN), PARIS, QUIET)).toThrow(RangeError);
  });
});

describe('nextAllowedSendTime', () => {
  it('returns an allowed candidate unchanged (a copy)', () => {
    const candidate = at('2026-03-10T12:34:56.789Z');
    const next = nextAllowedSendTime(candidate, PARIS, QUIET);
    expect(next.toISOString()).toBe('2026-03-10T12:34:56.789Z');
    expect(next).not.toBe(candidate);
  });

  it('moves an early-morning candidate to the start of the same day', () => {
    expect(nextAllowedIso('2026-03-10T05:00:00Z', PARIS, QUIET)).toBe('2026-03-10T08:00:00.000Z');
  });

  it('moves an evening candidate to the next morning', () => {
    expect(nextAllowedIso('2026-03-10T20:30:00Z', PARIS, QUIET)).toBe('2026-03-11T08:00:00.000Z');
    // Just after midnight local (23:30 UTC the day before) is the same local day, before the start.
    expect(nextAllowedIso('2026-03-10T23:30:00Z', PARIS, QUIET)).toBe('2026-03-11T08:00:00.000Z');
  });

  it('skips Sunday to Monday, across the spring DST change', () => {
    // Saturday 28 March 21:00 CET → (Sunday 29 is the change day) → Monday 30 March 09:00 CEST.
    expect(nextAllowedIso('2026-03-28T20:00:00Z', PARIS, QUIET)).toBe('2026-03-30T07:00:00.000Z');
  });

  it('skips Sunday to Monday, across the autumn DST change', () => {
    // Saturday 24 October 20:30 CEST → Monday 26 October 09:00 CET.
    expect(nextAllowedIso('2026-10-24T18:30:00Z', PARIS, QUIET)).toBe('2026-10-26T08:00:00.000Z');
  });

  it('skips chains of Sundays and holidays', () => {
    // Thursday 24 December 2026 20:30 → Friday 25 Christmas → Saturday 26 09:00 (metropolitan France).
    expect(nextAllowedIso('2026-12-24T19:30:00Z', PARIS, QUIET)).toBe('2026-12-26T08:00:00.000Z');
    // In Moselle 26 December is a holiday too, and 27 is a Sunday → Monday 28.
    expect(nextAllowedIso('2026-12-24T19:30:00Z', PARIS, QUIET, 'FR-57')).toBe('2026-12-28T08:00:00.000Z');
  });

  it('works in overseas time zones', () => {
    // 08:30 Cayenne → 09:00 Cayenne (12:00 UTC).
    expect(nextAllowedIso('2026-03-10T11:30:00Z', CAYENNE, QUIET)).toBe('2026-03-10T12:00:00.000Z');
    // 20:30 Réunion → next day 09:00 Réunion (05:00 UTC).
    expect(nextAllowedIso('2026-03-10T16:30:00Z', REUNION, QUIET)).toBe('2026-03-11T05:00:00.000Z');
  });

  it('honours custom quiet hours', () => {
    const custom: QuietHoursSetting = {
      start: '08:30',
      end: '18:00',
      noSundays: false,
      noPublicHolidays: false,
    };
    // Saturday 18:00 → Sunday 08:30 (allowed here).
    expect(nextAllowedIso('2026-03-07T17:00:00Z', PARIS, custom)).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('planWaves', () => {
  const plan = (
    birthDate: string,
    enrolledAt: string,
    overrides: Partial<OrganisationSettings> = {},
    tz = PARIS,
  ) =>
    simplify(
      planWaves({
        birthDate,
        enrolledAt: at(enrolledAt),
        settings: { ...SETTINGS, ...overrides },
        timeZone: tz,
      }),
    );

  it('plans day 7 and day 42 at 10:00 Paris', () => {
    // Born Monday 2 March 2026: day 7 = Monday 9 March (CET), day 42 = Monday 13 April (CEST).
    expect(plan('2026-03-02', '2026-03-02T15:00:00Z')).toEqual([
      planned('day7', '2026-03-09T09:00:00.000Z'),
      planned('day42', '2026-04-13T08:00:00.000Z'),
    ]);
  });

  it('keeps 10:00 local across the spring-forward change', () => {
    // Born Wednesday 25 March 2026; clocks go forward on Sunday 29 March. Day 7 = Wednesday 1 April, 10:00 CEST.
    expect(plan('2026-03-25', '2026-03-25T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-04-01T08:00:00.000Z'),
    );
    // Born Friday 20 March: day 7 = Friday 27 March 10:00 CET; day 42 = Friday 1 May (holiday) → Saturday 2 May 09:00 CEST.
    expect(plan('2026-03-20', '2026-03-20T12:00:00Z')).toEqual([
      planned('day7', '2026-03-27T09:00:00.000Z'),
      planned('day42', '2026-05-02T07:00:00.000Z', '2026-05-01T08:00:00.000Z'),
    ]);
  });

  it('defers a day 7 falling on the spring-forward Sunday to Monday 09:00 CEST', () => {
    // Born Sunday 22 March: day 7 = Sunday 29 March 10:00 CEST (08:00 UTC) → Monday 30 March 09:00 CEST.
    expect(plan('2026-03-22', '2026-03-22T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-03-30T07:00:00.000Z', '2026-03-29T08:00:00.000Z'),
    );
  });

  it('keeps 10:00 local across the fall-back change', () => {
    // Born Tuesday 20 October 2026 (CEST); clocks go back on Sunday 25 October. Day 7 = Tuesday 27, 10:00 CET.
    expect(plan('2026-10-20', '2026-10-20T12:00:00Z')).toEqual([
      planned('day7', '2026-10-27T09:00:00.000Z'),
      planned('day42', '2026-12-01T09:00:00.000Z'),
    ]);
    // Born Sunday 18 October: day 7 = Sunday 25 October (change day) 10:00 CET → Monday 26, 09:00 CET.
    expect(plan('2026-10-18', '2026-10-18T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-10-26T08:00:00.000Z', '2026-10-25T09:00:00.000Z'),
    );
  });

  it('sends a late enrolment inside the window at once when allowed', () => {
    // Born 2 March; enrolled Wednesday 11 March 14:00 (day 9, window until day 14): day 7 goes now.
    expect(plan('2026-03-02', '2026-03-11T13:00:00Z')).toEqual([
      planned('day7', '2026-03-11T13:00:00.000Z'),
      planned('day42', '2026-04-13T08:00:00.000Z'),
    ]);
  });

  it('sends a late enrolment at the next allowed time when enrolled in quiet hours', () => {
    // Enrolled Wednesday 11 March 21:30 → Thursday 12 March 09:00, deferred from the enrolment instant.
    expect(plan('2026-03-02', '2026-03-11T20:30:00Z')[0]).toEqual(
      planned('day7', '2026-03-12T08:00:00.000Z', '2026-03-11T20:30:00.000Z'),
    );
  });

  it('treats an enrolment on the nominal day but after the send time as late', () => {
    // Day 7 = Monday 9 March 10:00; enrolled 11:15 → sent 11:15.
    expect(plan('2026-03-02', '2026-03-09T10:15:00Z')[0]).toEqual(
      planned('day7', '2026-03-09T10:15:00.000Z'),
    );
    // Enrolled 09:30, before the send time: nominal 10:00.
    expect(plan('2026-03-02', '2026-03-09T08:30:00Z')[0]?.dueAt).toBe('2026-03-09T09:00:00.000Z');
  });

  it('skips a wave once the enrolment is past its window', () => {
    // Born 2 March; enrolled 17 March (day 15): day 7 skipped, day 42 kept.
    expect(plan('2026-03-02', '2026-03-17T10:00:00Z')).toEqual([
      planned('day42', '2026-04-13T08:00:00.000Z'),
    ]);
    // Enrolled on day 57: nothing left.
    expect(plan('2026-03-02', '2026-04-28T10:00:00Z')).toEqual([]);
  });

  it('plans day 42 from a late enrolment inside its window (day 35-56)', () => {
    // Born 2 March; enrolled Tuesday 14 April 2026 16:00 CEST (day 43) → now.
    expect(plan('2026-03-02', '2026-04-14T14:00:00Z')).toEqual([
      planned('day42', '2026-04-14T14:00:00.000Z'),
    ]);
  });

  it('skips a wave whose next allowed time falls after the last day of its window', () => {
    // Born 2 March; day 14 = Monday 16 March. Enrolled 16 March 20:30 → next allowed is day 15: skipped.
    expect(plan('2026-03-02', '2026-03-16T19:30:00Z').map((p) => p.wave)).toEqual(['day42']);
    // Born 1 March; day 14 = Sunday 15 March. Enrolled Saturday 14 March 21:00 → Monday 16 = day 15: skipped.
    expect(plan('2026-03-01', '2026-03-14T20:00:00Z').map((p) => p.wave)).toEqual(['day42']);
    // Enrolled on day 14 within hours: still planned.
    expect(plan('2026-03-02', '2026-03-16T15:00:00Z')[0]).toEqual(
      planned('day7', '2026-03-16T15:00:00.000Z'),
    );
  });

  it('defers a send time inside quiet hours to the next morning', () => {
    // sendTime 21:00: day 7 = Monday 9 March 21:00 → Tuesday 10 March 09:00.
    expect(plan('2026-03-02', '2026-03-02T12:00:00Z', { sendTime: '21:00' })[0]).toEqual(
      planned('day7', '2026-03-10T08:00:00.000Z', '2026-03-09T20:00:00.000Z'),
    );
    // sendTime 07:00 → same day 09:00.
    expect(plan('2026-03-02', '2026-03-02T12:00:00Z', { sendTime: '07:00' })[0]).toEqual(
      planned('day7', '2026-03-09T08:00:00.000Z', '2026-03-09T06:00:00.000Z'),
    );
  });

  it('moves Sunday to Monday', () => {
    // Born Sunday 1 March: day 7 = Sunday 8 March → Monday 9 March 09:00.
    expect(plan('2026-03-01', '2026-03-01T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-03-09T08:00:00.000Z', '2026-03-08T09:00:00.000Z'),
    );
  });

  it('moves 14 July, 1 May and Christmas to the next day', () => {
    // 14 July 2026 is a Tuesday.
    expect(plan('2026-07-07', '2026-07-07T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-07-15T07:00:00.000Z', '2026-07-14T08:00:00.000Z'),
    );
    // 1 May 2026 is a Friday.
    expect(plan('2026-04-24', '2026-04-24T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-05-02T07:00:00.000Z', '2026-05-01T08:00:00.000Z'),
    );
    // Christmas 2026 is a Friday (CET).
    expect(plan('2026-12-18', '2026-12-18T12:00:00Z')[0]).toEqual(
      planned('day7', '2026-12-26T08:00:00.000Z', '2026-12-25T09:00:00.000Z'),
    );
  });

  it('plans at 10:00 local in Cayenne (UTC-3), with its own holidays', () => {
    expect(plan('2026-03-02', '2026-03-02T15:00:00Z', {}, CAYENNE)).toEqual([
      planned('day7', '2026-03-09T13:00:00.000Z'),
      planned('day42', '2026-04-13T13:00:00.000Z'),
    ]);
    // 10 June (abolition of slavery in Guyane) 2026 is a Wednesday → Thursday 11 June 09:00 Cayenne.
    expect(plan('2026-06-03', '2026-06-03T15:00:00Z', {}, CAYENNE)[0]).toEqual(
      planned('day7', '2026-06-11T12:00:00.000Z', '2026-06-10T13:00:00.000Z'),
    );
    // Not a holiday in Paris.
    expect(plan('2026-06-03', '2026-06-03T15:00:00Z')[0]?.deferredFrom).toBeNull();
  });

  it('plans at 10:00 local in Réunion (UTC+4), with its own holidays', () => {
    expect(plan('2026-03-02', '2026-03-02T06:00:00Z', {}, REUNION)[0]).toEqual(
      planned('day7', '2026-03-09T06:00:00.000Z'),
    );
    // 20 December (abolition of slavery in Réunion) 2027 is a Monday → Tuesday 21 December 09:00 Réunion.
    expect(plan('2027-12-13', '2027-12-13T06:00:00Z', {}, REUNION)[0]).toEqual(
      planned('day7', '2027-12-21T05:00:00.000Z', '2027-12-20T06:00:00.000Z'),
    );
    // Same birth in Paris: sent on the 20th.
    expect(plan('2027-12-13', '2027-12-13T06:00:00Z')[0]?.deferredFrom).toBeNull();
  });

  it('counts the enrolment day in the local time zone', () => {
    // Born 2 March in Réunion; 16 March 21:00 UTC is already 17 March 01:00 in Réunion = day 15: day 7 skipped.
    expect(plan('2026-03-02', '2026-03-16T21:00:00Z', {}, REUNION).map((p) => p.wave)).toEqual(['day42']);
    // The same instant in Cayenne is 16 March 18:00 (day 14) and allowed: sent at once.
    expect(plan('2026-03-02', '2026-03-16T21:00:00Z', {}, CAYENNE)[0]).toEqual(
      planned('day7', '2026-03-16T21:00:00.000Z'),
    );
  });

  it('plans a wave that targets roles only for those roles', () => {
    const settings = {
      ...SETTINGS,
      waves: [...SETTINGS.waves, FATHERS_WAVE_EXAMPLE],
    };
    const waves = (role: 'mother' | 'father' | 'co_parent') =>
      planWaves({
        birthDate: '2026-03-02',
        enrolledAt: at('2026-03-02T15:00:00Z'),
        settings,
        timeZone: PARIS,
        role,
      }).map((p) => p.wave);
    expect(waves('mother')).toEqual(['day7', 'day42']);
    expect(waves('father')).toEqual(['day7', 'day42', 'day120']);
    expect(waves('co_parent')).toEqual(['day7', 'day42', 'day120']);
  });

  it('plans from `now` when later than the enrolment (antenatal enrolment)', () => {
    // Enrolled before birth; birth date recorded on day 10 (Thursday 12 March, 14:00): day 7 goes then.
    const plans = planWaves({
      birthDate: '2026-03-02',
      enrolledAt: at('2026-02-01T10:00:00Z'),
      now: at('2026-03-12T13:00:00Z'),
      settings: SETTINGS,
      timeZone: PARIS,
    });
    expect(simplify(plans)[0]).toEqual(planned('day7', '2026-03-12T13:00:00.000Z'));
    // Without `now`, an antenatal enrolment gets the nominal times.
    const nominal = planWaves({
      birthDate: '2026-03-02',
      enrolledAt: at('2026-02-01T10:00:00Z'),
      settings: SETTINGS,
      timeZone: PARIS,
    });
    expect(nominal[0]?.dueAt.toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it('follows custom waves and holiday regions', () => {
    const waves = [{ key: 'day3', offsetDays: 3, windowStartDay: 0, windowEndDay: 5, noResponseTask: false }];
    // Born Wednesday 23 December 2026: day 3 = Saturday 26 December → allowed in Paris, a holiday in Moselle.
    const paris = planWaves({
      birthDate: '2026-12-23',
      enrolledAt: at('2026-12-23T12:00:00Z'),
      settings: { ...SETTINGS, waves },
      timeZone: PARIS,
    });
    expect(simplify(paris)).toEqual([planned('day3', '2026-12-26T09:00:00.000Z')]);
    const moselle = planWaves({
      birthDate: '2026-12-23',
      enrolledAt: at('2026-12-23T12:00:00Z'),
      settings: { ...SETTINGS, waves },
      timeZone: PARIS,
      holidayRegion: 'FR-57',
    });
    expect(simplify(moselle)).toEqual([
      planned('day3', '2026-12-28T08:00:00.000Z', '2026-12-26T09:00:00.000Z'),
    ]);
  });

  it('rejects malformed input', () => {
    const base = { enrolledAt: at('2026-03-02T12:00:00Z'), settings: SETTINGS, timeZone: PARIS };
    expect(() => planWaves({ ...base, birthDate: '2026-02-30' })).toThrow(RangeError);
    expect(() => planWaves({ ...base, birthDate: '02/03/2026' })).toThrow(RangeError);
    expect(() =>
      planWaves({ ...base, birthDate: '2026-03-02', settings: { ...SETTINGS, sendTime: '25:00' } }),
    ).toThrow(RangeError);
    const badWave = { key: 'x', offsetDays: 20, windowStartDay: 0, windowEndDay: 14, noResponseTask: false };
    expect(() =>
      planWaves({ ...base, birthDate: '2026-03-02', settings: { ...SETTINGS, waves: [badWave] } }),
    ).toThrow(RangeError);
  });
});

describe('planReminder', () => {
  it('sends 48 h later when that is allowed', () => {
    // Tuesday 10 March 10:00 → Thursday 12 March 10:00.
    expect(reminderIso('2026-03-10T09:00:00Z', 48, PARIS, QUIET)).toBe('2026-03-12T09:00:00.000Z');
  });

  it('defers a reminder falling on a Sunday to Monday morning', () => {
    // Friday 6 March 10:00 + 48 h = Sunday 8 March 10:00 → Monday 9 March 09:00.
    expect(reminderIso('2026-03-06T09:00:00Z', 48, PARIS, QUIET)).toBe('2026-03-09T08:00:00.000Z');
  });

  it('defers a reminder falling in quiet hours to the next morning', () => {
    // Tuesday 10 March 19:30 + 1 h = 20:30 → Wednesday 11 March 09:00.
    expect(reminderIso('2026-03-10T18:30:00Z', 1, PARIS, QUIET)).toBe('2026-03-11T08:00:00.000Z');
  });

  it('counts elapsed hours across the DST change', () => {
    // Friday 27 March 10:00 CET + 72 h = Monday 30 March 11:00 CEST (09:00 UTC).
    expect(reminderIso('2026-03-27T09:00:00Z', 72, PARIS, QUIET)).toBe('2026-03-30T09:00:00.000Z');
  });

  it('defers past holidays in overseas zones', () => {
    // Réunion: Saturday 18 December 2027 10:00 + 48 h = Monday 20 December (holiday) → Tuesday 21 09:00.
    expect(reminderIso('2027-12-18T06:00:00Z', 48, REUNION, QUIET)).toBe('2027-12-21T05:00:00.000Z');
  });

  it('rejects negative delays', () => {
    expect(() => planReminder(at('2026-03-10T09:00:00Z'), -1, PARIS, QUIET)).toThrow(RangeError);
  });
});

describe('linkExpiry', () => {
  it('adds 24-hour days', () => {
    expect(expiryIso('2026-03-10T09:00:00Z', 7)).toBe('2026-03-17T09:00:00.000Z');
  });

  it('adds calendar days in a time zone across DST', () => {
    // Friday 27 March 10:00 CET + 7 days = Friday 3 April 10:00 CEST.
    expect(expiryIso('2026-03-27T09:00:00Z', 7, PARIS)).toBe('2026-04-03T08:00:00.000Z');
    expect(expiryIso('2026-03-27T09:00:00Z', 7)).toBe('2026-04-03T09:00:00.000Z');
  });

  it('keeps seconds and milliseconds, and each side of a DST change its own offset, within the same minute', () => {
    expect(expiryIso('2026-03-27T09:00:37.250Z', 7, PARIS)).toBe('2026-04-03T08:00:37.250Z');
    // The last millisecond of CET (01:59:59.999 local), then the first instant of CEST (03:00 local).
    expect(expiryIso('2026-03-29T00:59:59.999Z', 1, PARIS)).toBe('2026-03-29T23:59:59.999Z');
    expect(expiryIso('2026-03-29T00:59:00.000Z', 1, PARIS)).toBe('2026-03-29T23:59:00.000Z');
    expect(expiryIso('2026-03-29T01:00:00.000Z', 1, PARIS)).toBe('2026-03-30T01:00:00.000Z');
    // Autumn: 02:59:30 CEST, then 02:00:30 CET an hour later.
    expect(expiryIso('2026-10-25T00:59:30.000Z', 1, PARIS)).toBe('2026-10-26T01:59:30.000Z');
    expect(expiryIso('2026-10-25T01:00:30.000Z', 1, PARIS)).toBe('2026-10-26T01:00:30.000Z');
  });

  it('rejects negative days', () => {
    expect(() => linkExpiry(at('2026-03-27T09:00:00Z'), -1)).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  // Each case: what it shows, the start, the working days added, the zone, the expected instant.
  it.each([
    ['skips the weekend', '2026-03-06T14:00:00Z', 2, PARIS, '2026-03-10T14:00:00.000Z'],
    ['stays in the week', '2026-03-04T14:00:00Z', 2, PARIS, '2026-03-06T14:00:00.000Z'],
    ['goes from Saturday to Monday', '2026-03-07T10:00:00Z', 1, PARIS, '2026-03-09T10:00:00.000Z'],
    ['skips 8 May and the weekend', '2026-05-07T13:00:00Z', 1, PARIS, '2026-05-11T13:00:00.000Z'],
    ['skips Ascension Thursday', '2026-05-13T13:00:00Z', 2, PARIS, '2026-05-18T13:00:00.000Z'],
    ['skips 20 December in Réunion', '2027-12-17T06:00:00Z', 1, REUNION, '2027-12-21T06:00:00.000Z'],
    ['keeps the local time across DST', '2026-03-27T14:00:00Z', 1, PARIS, '2026-03-30T13:00:00.000Z'],
  ])('%s', (_case, start, days, zone, expected) => {
    expect(workingDaysIso(start, days, zone)).toBe(expected);
  });

  it('returns the start for 0 and rejects fractions or negatives', () => {
    expect(workingDaysIso('2026-03-07T10:00:00Z', 0, PARIS)).toBe('2026-03-07T10:00:00.000Z');
    expect(() => addWorkingDays(at('2026-03-07T10:00:00Z'), 1.5, PARIS)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-03-07T10:00:00Z'), -1, PARIS)).toThrow(RangeError);
  });
});
