import { analyseSms, smsText, type SmsAnalysis } from '@lien/shared';

/** A link as long as the real ones (`https://<host>/q/<22-character token>`), to count the segments truly sent. */
export function sampleLink(origin: string): string {
  return `${origin.replace(/\/$/, '')}/q/${'x'.repeat(22)}`;
}

/**
 * The SMS as the parent receives it, with its encoding and segment count: built by `smsText` of @lien/shared,
 * the function the API sends with (the organisation's name without health words, else its sender).
 */
export function analyseTemplate(
  template: string,
  organisation: { name: string; smsSender: string },
  link: string,
): SmsAnalysis & { text: string } {
  const text = smsText(template, organisation, link);
  return { ...analyseSms(text), text };
}
