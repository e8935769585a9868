/**
 * The French numbering plans (ISO 3166 codes) whose numbers we accept: metropolitan France first, then the
 * overseas départements and collectivities with their own codes. The API judges numbers with them and the
 * console checks them before sending, so both must read the same list.
 */
export const FRENCH_PHONE_COUNTRIES = ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF'] as const;
export type FrenchPhoneCountry = (typeof FRENCH_PHONE_COUNTRIES)[number];

/** Whether a parsed number's country (undefined when the parser could not tell) is a French numbering plan. */
export function isFrenchPhoneCountry(country: string | undefined): country is FrenchPhoneCountry {
  return country !== undefined && (FRENCH_PHONE_COUNTRIES as readonly string[]).includes(country);
}
