// No dependency here: the alert page imports it without pulling libphonenumber-js into its chunk.

/** French numbers (metropolitan and overseas departments) as people write them: "06 12 34 56 78". */
const FRENCH = /^\+(33|590|594|596|262|508)(\d{9})$/;

/**
 * "+33612345678" → "06 12 34 56 78" (French national format, where a person reads it; the stored and dialled
 * value stays E.164). Overseas departments too ("+590690123456" → "06 90 12 34 56"); other numbers as given.
 */
export function displayPhone(e164: string): string {
  const match = FRENCH.exec(e164);
  if (!match) return e164;
  const national = `0${match[2]}`;
  return national.replace(/(\d{2})(?=\d)/g, '$1 ');
}
