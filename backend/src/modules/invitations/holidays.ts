/**
 * French public holidays, from `date-holidays`, by holiday region.
 *
 * A region is a `date-holidays` key: "FR" (metropolitan France), "FR-<state>" for a French state that has
 * holidays of its own (Alsace-Moselle "FR-57" / "FR-67" / "FR-68" add Good Friday and 26 December; the
 * overseas departments "FR-GP", "FR-MQ", "FR-GF", "FR-RE", "FR-YT", "FR-MF", "FR-BL" add the abolition of
 * slavery on their own date), or another country code for the overseas collectivities that `date-holidays`
 * lists as countries ("PM", "PF", "NC", "WF").
 *
 * Only holidays of type "public" count: observances (Pentecost Sunday, Mother's Day...) do not stop an SMS.
 * Dates are compared as local calendar dates ("YYYY-MM-DD"), so the caller converts an instant to the local
 * date of the organisation's time zone first.
 */
import Holidays from 'date-holidays';

/** Overseas time zones and their holiday region; any other zone uses metropolitan France ("FR"). */
const REGION_BY_TIME_ZONE: Readonly<Record<string, string>> = {
  'America/Guadeloupe': 'FR-GP',
  'America/Martinique': 'FR-MQ',
  'America/Cayenne': 'FR-GF',
  'Indian/Reunion': 'FR-RE',
  'Indian/Mayotte': 'FR-YT',
  'America/Marigot': 'FR-MF',
  'America/St_Barthelemy': 'FR-BL',
  'America/Miquelon': 'PM',
  'Pacific/Tahiti': 'PF',
  'Pacific/Marquesas': 'PF',
  'Pacific/Gambier': 'PF',
  'Pacific/Noumea': 'NC',
  'Pacific/Wallis': 'WF',
};

/** Département codes (INSEE) whose public holidays differ from metropolitan France. */
const REGION_BY_DEPARTEMENT: Readonly<Record<string, string>> = {
  '57': 'FR-57',
  '67': 'FR-67',
  '68': 'FR-68',
  '971': 'FR-GP',
  '972': 'FR-MQ',
  '973': 'FR-GF',
  '974': 'FR-RE',
  '975': 'PM',
  '976': 'FR-YT',
  '977': 'FR-BL',
  '978': 'FR-MF',
  '986': 'WF',
  '987': 'PF',
  '988': 'NC',
};

export const METROPOLITAN_FRANCE = 'FR';

/** The holiday region implied by a time zone: overseas zones map to their department, the rest to "FR". */
export function holidayRegionForTimeZone(timeZone: string): string {
  return REGION_BY_TIME_ZONE[timeZone] ?? METROPOLITAN_FRANCE;
}

/**
 * The holiday region of an organisation: its département when it has holidays of its own (Moselle, Alsace,
 * overseas), otherwise what its time zone implies. Use this when the département is known: a time zone
 * alone cannot tell Moselle (pilot territory) from Paris.
 */
export function holidayRegionFor(options: { timeZone: string; departement?: string | null }): string {
  const byDepartement = options.departement ? REGION_BY_DEPARTEMENT[options.departement.trim()] : undefined;
  return byDepartement ?? holidayRegionForTimeZone(options.timeZone);
}

const instances = new Map<string, Holidays>();
/** Public holidays by region and year: local date "YYYY-MM-DD" → holiday name (French). */
const publicHolidaysByYear = new Map<string, ReadonlyMap<string, string>>();

function holidaysFor(region: string): Holidays {
  const cached = instances.get(region);
  if (cached) return cached;
  const [country, state] = region.split('-', 2);
  if (!country) throw new RangeError(`Unknown holiday region "${region}"`);
  const instance = state ? new Holidays(country, state) : new Holidays(country);
  // date-holidays ignores an unknown country or state silently; an empty year means we got nothing useful.
  const known =
    instance.getHolidays(2026).length > 0 && (!state || state in (instance.getStates(country) ?? {}));
  if (!known) throw new RangeError(`Unknown holiday region "${region}"`);
  instances.set(region, instance);
  return instance;
}

/** Public holidays (type "public" only) of a region in a year, keyed by local date "YYYY-MM-DD". */
export function publicHolidays(
  year: number,
  region: string = METROPOLITAN_FRANCE,
): ReadonlyMap<string, string> {
  const key = `${region}:${year}`;
  const cached = publicHolidaysByYear.get(key);
  if (cached) return cached;
  const byDate = new Map<string, string>();
  for (const holiday of holidaysFor(region).getHolidays(year, 'fr')) {
    if (holiday.type !== 'public') continue;
    // `date` is the local start, "YYYY-MM-DD HH:mm:ss" (one-day holidays in France).
    byDate.set(holiday.date.slice(0, 10), holiday.name);
  }
  publicHolidaysByYear.set(key, byDate);
  return byDate;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The public holiday's name on a local date "YYYY-MM-DD", or null. */
export function publicHolidayName(localDate: string, region: string = METROPOLITAN_FRANCE): string | null {
  const match = ISO_DATE.exec(localDate);
  if (!match) throw new RangeError(`Expected a local date "YYYY-MM-DD", got "${localDate}"`);
  return publicHolidays(Number(match[1]), region).get(localDate) ?? null;
}

export function isPublicHoliday(localDate: string, region: string = METROPOLITAN_FRANCE): boolean {
  return publicHolidayName(localDate, region) !== null;
}
