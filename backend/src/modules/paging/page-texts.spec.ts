import { findForbiddenSmsWords } from '@lien/shared';
import { linkToken } from '../sms/link-token.js';
import { PAGE_VOICE_TEXT, pageAckLink, pageLinkTokenIn, pageSmsText, pageTwiml } from './page-texts.js';

describe('what a page says', () => {
  it('the SMS holds the link and no health word; its token is found again in the body', () => {
    const token = linkToken();
    const body = pageSmsText(pageAckLink('https://lien.example.fr', token));
    expect(body).toBe(
      `Lien : une alerte urgente vous attend, ouvrez https://lien.example.fr/api/paging/ack/${token}`,
    );
    expect(findForbiddenSmsWords(body.replace(/https?:\/\/\S+/, ''))).toEqual([]);
    expect(pageLinkTokenIn(body)).toBe(token);
    expect(
      pageLinkTokenIn('Lien : une alerte urgente vous attend, ouvrez https://lien.example.fr/q/abc'),
    ).toBeNull();
  });

  it('the call reads a French message twice, with no health word and no link', () => {
    expect(findForbiddenSmsWords(PAGE_VOICE_TEXT)).toEqual([]);
    expect(pageTwiml()).toBe(
      `<Response><Say language="fr-FR">${PAGE_VOICE_TEXT}</Say><Pause length="1"/><Say language="fr-FR">${PAGE_VOICE_TEXT}</Say></Response>`,
    );
    expect(PAGE_VOICE_TEXT).not.toMatch(/https?:|\/api\/|[<>&]/);
  });
});
