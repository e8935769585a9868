import { DEFAULT_ORGANISATION_SETTINGS, findForbiddenSmsWords } from '@lien/shared';
import { linkToken } from './sms-delivery.service.js';
import { classifyTwilioError } from './sms-provider.js';
import { linkTokenIn, maskPhone, questionnaireLink, renderSms, smsOrganisationName } from './sms-text.js';

describe('smsOrganisationName', () => {
  it.each([
    ['PMI Pas-de-Calais', 'Pas-de-Calais'],
    ['PMI de Moselle', 'Moselle'],
    ['Centre PMI de Lens', 'Centre de Lens'],
    ['Maternité des Lilas', 'Maternité des Lilas'],
    ['Service de psychiatrie périnatale', 'Service de périnatale'],
    ['PMI d’Arras', 'Arras'],
    ['Maternité Sainte-Anne - PMI', 'Maternité Sainte-Anne'],
    ['PMI', 'Lien62'],
    ['PMI - Santé mentale', 'Lien62'],
  ])('%p → %p', (name, expected) => {
    const shown = smsOrganisationName({ name, smsSender: 'Lien62' });
    expect(shown).toBe(expected);
    expect(findForbiddenSmsWords(shown)).toEqual([]);
  });
});

describe('renderSms', () => {
  const lilas = { name: 'Lilas', smsSender: 'Lilas' };
  const link = questionnaireLink('https://lien.example.fr/', 'AbCdEfGhIjKlMnOpQrStUv');

  it('uses the organisation template in the parent’s language, French when it has none', () => {
    const templates = {
      ...DEFAULT_ORGANISATION_SETTINGS.smsTemplates,
      fr: { invitation: 'Bonjour de {organisation} : {link}', reminder: 'Rappel {organisation} {link}' },
    };
    expect(
      renderSms({ templates, language: 'fr', kind: 'invitation', organisation: lilas, link }),
    ).toMatchObject({
      text: 'Bonjour de Lilas : https://lien.example.fr/q/AbCdEfGhIjKlMnOpQrStUv',
      template: 'organisation',
      analysis: { encoding: 'GSM-7', segments: 1 },
    });
    expect(renderSms({ templates, language: 'ar', kind: 'reminder', organisation: lilas, link })?.text).toBe(
      `Rappel Lilas ${link}`,
    );
    expect(
      renderSms({ templates, language: 'en', kind: 'invitation', organisation: lilas, link })?.text,
    ).toBe(`Lilas: hello, how are you doing? A few questions to check in: ${link}`);
  });

  it('falls back to the built-in template when the organisation’s lacks the link or says a health word', () => {
    for (const invitation of ['Bonjour {organisation}', 'Votre résultat EPDS : {link}']) {
      const rendered = renderSms({
        templates: { fr: { invitation, reminder: '' } },
        language: 'fr',
        kind: 'invitation',
        organisation: lilas,
        link,
      });
      expect(rendered?.template).toBe('default');
      expect(findForbiddenSmsWords(rendered!.text)).toEqual([]);
    }
  });

  it('refuses to render a text with a health word when no template can avoid it', () => {
    expect(
      renderSms({
        templates: undefined,
        language: 'fr',
        kind: 'invitation',
        organisation: { name: 'PMI', smsSender: 'PMI' },
        link,
      }),
    ).toBeNull();
  });

  it('names the organisation as every SMS does: its name without health words, else its sender', () => {
    const templates = { fr: { invitation: '{organisation} : {link}', reminder: '' } };
    const render = (name: string) =>
      renderSms({
        templates,
        language: 'fr',
        kind: 'invitation',
        organisation: { name, smsSender: 'Lien62' },
        link,
      });
    expect(render('PMI du Pas-de-Calais')).toMatchObject({
      text: `Pas-de-Calais : ${link}`,
      template: 'organisation',
    });
    expect(render('PMI')).toMatchObject({ text: `Lien62 : ${link}`, template: 'organisation' });
  });

  it('counts UCS-2 and segments', () => {
    const rendered = renderSms({
      templates: { fr: { invitation: 'Ça va ? ’ {organisation} {link}', reminder: '' } },
      language: 'fr',
      kind: 'invitation',
      organisation: lilas,
      link,
    });
    expect(rendered?.analysis).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });
});

describe('links and numbers', () => {
  it('finds the link token in a body', () => {
    expect(linkTokenIn('Lilas : bonjour https://x.fr/q/AbCdEfGhIjKlMnOpQrStUv')).toBe(
      'AbCdEfGhIjKlMnOpQrStUv',
    );
    expect(linkTokenIn('no link here /q/short')).toBeNull();
  });

  it('masks a phone number for the demo outbox', () => {
    expect(maskPhone('+33612345678')).toBe('+336******78');
    expect(maskPhone('+590690123456')).toBe('+590*******56');
  });
});

describe('classifyTwilioError', () => {
  it.each([
    [{ status: 429, code: 20429 }, 'retry'],
    [{ status: 500, code: 20500 }, 'retry'],
    [{ status: 503, code: 20503 }, 'retry'],
    [{ status: 502, code: 20500 }, 'unknown'],
    [{ status: 504, code: 20504 }, 'unknown'],
    [{ status: 400, code: 21211 }, 'permanent'],
    [{ status: 400, code: 21610 }, 'permanent'],
    [{ status: 400, code: 21614 }, 'permanent'],
    [{ status: 401, code: 20003 }, 'retry'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'retry'],
    [{ code: 'ECONNABORTED', message: 'timeout of 400ms exceeded' }, 'unknown'],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, 'unknown'],
    [new Error('something else'), 'unknown'],
  ])('%p → %p', (error, kind) => {
    expect(classifyTwilioError(error).kind).toBe(kind);
  });

  it('keeps the provider code', () => {
    expect(classifyTwilioError({ status: 400, code: 21610, message: 'unsubscribed' })).toMatchObject({
      code: '21610',
      httpStatus: 400,
    });
  });
});

describe('linkToken', () => {
  it('is 128 random bits in base64url that never reads as a health word', () => {
    const tokens = Array.from({ length: 50_000 }, () => linkToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(findForbiddenSmsWords(`Lilas : bonjour https://lien.example.fr/q/${token}`)).toEqual([]);
    }
  });
});
