import { EN } from '../i18n/en';
import { FR, type TranslationKey } from '../i18n/fr';
import { interpolate, type TranslationParams } from '../i18n/translation.service';
import { apiErrorText } from './api-error';

const translator =
  (dictionary: Readonly<Record<TranslationKey, string>>) =>
  (key: TranslationKey, params?: TranslationParams): string =>
    interpolate(dictionary[key], params);
const fr = translator(FR);
const en = translator(EN);

describe('apiErrorText', () => {
  it('says a known code in the console language, never the API English message', () => {
    const error = {
      statusCode: 409,
      error: 'Conflict',
      message: 'email already in use',
      code: 'email_taken',
    };
    expect(apiErrorText(error, fr)).toBe('Cette adresse e-mail est déjà utilisée.');
    expect(apiErrorText(error, en)).toBe('This email address is already in use.');
  });

  it('falls back on the HTTP status, then on a generic sentence; network and server errors have their own', () => {
    const text = (statusCode: number, code?: string) =>
      apiErrorText({ statusCode, error: 'X', message: 'Some English text', ...(code ? { code } : {}) }, fr);
    expect(text(403)).toBe('Vous n’avez pas les droits pour cette action.');
    expect(text(409, 'some_new_code')).toBe(
      'Cette action n’est plus possible dans l’état actuel. Rechargez la page.',
    );
    expect(text(429)).toBe('Trop de tentatives. Réessayez dans quelques minutes.');
    expect(text(0)).toBe('Le serveur ne répond pas. Vérifiez la connexion et réessayez.');
    expect(text(503)).toBe('Le serveur a rencontré un problème. Réessayez dans un instant.');
    expect(text(418)).toBe('L’action n’a pas abouti. Réessayez dans un instant.');
    for (const status of [0, 400, 401, 403, 404, 409, 413, 418, 429, 500]) {
      expect(text(status)).not.toContain('Some English text');
    }
  });

  it('has every API error key in French and English, French with curly apostrophes', () => {
    const keys = Object.keys(FR).filter((key) => key.startsWith('apiError.')) as TranslationKey[];
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) {
      expect(EN[key]).toBeTruthy();
      expect(FR[key]).not.toContain("'");
    }
  });
});
