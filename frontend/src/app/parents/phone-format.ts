// No dependency here: the alert page imports it without pulling libphonenumber-js into its chunk.

/** "+33612345678" → "+33 6 12 34 56 78" (readable; the stored value stays E.164). */
export function displayPhone(e164: string): string {
  const match = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  if (match) return `+33 ${match.slice(1).join(' ')}`;
  const overseas = /^\+(590|594|596|262|508)(\d{3})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return overseas ? `+${overseas.slice(1).join(' ')}` : e164;
}
