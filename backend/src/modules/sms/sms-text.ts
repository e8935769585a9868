/** The SMS text builders live in @lien/shared (the console's preview uses the same ones); its spec reads them here. */
export { questionnaireLink, renderSms, smsOrganisationName } from '@lien/shared';

/** The link token inside an SMS body, or null: how a sent message is recognised at the provider. */
export function linkTokenIn(body: string): string | null {
  return /\/q\/([A-Za-z0-9_-]{16,})/.exec(body)?.[1] ?? null;
}

/**
 * Provider error texts without phone numbers: Twilio names the number in some messages ("Invalid 'To' Phone
 * Number: +33612345678"). E.164 (+33 6 12 34 56 78), international (0033...) and national (06 12 34 56 78,
 * 06.12.34.56.78) forms: any run of 7 or more digits, separators allowed between them, becomes "[phone]".
 * Error codes (5 digits) stay.
 */
export function scrubPhoneNumbers(text: string): string {
  return text.replace(/\+?\d(?:(?:[ .\u00a0-]| ?\(0\) ?)?\d){6,}/g, '[phone]');
}

/** "+33612345678" → "+336******78": enough to tell messages apart in the demo outbox, not a copy of the number. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}
