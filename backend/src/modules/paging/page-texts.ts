/**
 * What a page says. No name, no score, no health word: a page reaches a professional's phone, which others may
 * see; the SMS holds only the acknowledgement link, and the call reads no link secret (it cannot be typed from
 * hearing it anyway): it sends the professional to the SMS or the console.
 */

/** The SMS of a page. */
export function pageSmsText(link: string): string {
  return `Lien : une alerte urgente vous attend, ouvrez ${link}`;
}

/** The single-use acknowledgement link of a page SMS attempt. */
export function pageAckLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/api/paging/ack/${token}`;
}

/** The link token of a page SMS body, as the provider has it (recognises our message after an unknown send). */
export function pageLinkTokenIn(body: string): string | null {
  return /\/api\/paging\/ack\/([A-Za-z0-9_-]{20,100})(?:\s|$)/.exec(body)?.[1] ?? null;
}

/** What the voice call reads out, in French (twice: the first words are often lost while picking up). */
export const PAGE_VOICE_TEXT =
  'Bonjour, ici Lien. Une alerte urgente vous attend. Le lien pour la prendre en charge vous est envoyé par SMS, et elle vous attend aussi dans la console Lien.';

/** The TwiML of a page call. */
export function pageTwiml(): string {
  const say = `<Say language="fr-FR">${PAGE_VOICE_TEXT}</Say>`;
  return `<Response>${say}<Pause length="1"/>${say}</Response>`;
}

export function pageEmail(consoleLink: string): { subject: string; body: string } {
  return {
    subject: 'Lien : une alerte urgente attend une prise en charge',
    body: `Une alerte urgente de votre organisation attend une prise en charge dans Lien et personne ne l'a encore prise.\n\nOuvrir dans la console : ${consoleLink}\n\nCe message ne contient volontairement aucune information personnelle.`,
  };
}
