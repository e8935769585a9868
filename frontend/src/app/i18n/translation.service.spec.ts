import { TestBed } from '@angular/core/testing';
import { EN } from './en';
import { FR, type TranslationKey } from './fr';
import {
  LANGUAGE_STORAGE_KEY,
  TranslationService,
  interpolate,
  type Language,
  messageArguments,
} from './translation.service';
import { resetTestBedAndStorage } from '../ui/page-test-bed';

const placeholders = messageArguments;

describe('TranslationService', () => {
  beforeEach(resetTestBedAndStorage);

  it('starts in French (the source language) and sets the page language', () => {
    const i18n = TestBed.inject(TranslationService);
    expect(i18n.language()).toBe('fr');
    expect(i18n.locale()).toBe('fr-FR');
    expect(i18n.t('nav.alerts')).toBe('Alertes');
    expect(document.documentElement.lang).toBe('fr');
  });

  it('switches to English at runtime, remembers the choice and updates the page language', async () => {
    const i18n = TestBed.inject(TranslationService);
    await i18n.use('en');
    expect(i18n.language()).toBe('en');
    expect(i18n.locale()).toBe('en-GB');
    expect(i18n.t('nav.alerts')).toBe('Alerts');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    await i18n.use('fr');
    expect(i18n.t('nav.alerts')).toBe('Alertes');
  });

  it('starts in the language remembered on this device once ready', async () => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    const i18n = TestBed.inject(TranslationService);
    await i18n.ready();
    expect(i18n.language()).toBe('en');
    expect(i18n.t('app.signOut')).toBe('Sign out');
  });

  it("follows an English browser's language when nothing is remembered", async () => {
    Object.defineProperty(window.navigator, 'language', { value: 'en-GB', configurable: true });
    try {
      const i18n = TestBed.inject(TranslationService);
      await i18n.ready();
      expect(i18n.language()).toBe('en');
    } finally {
      Object.defineProperty(window.navigator, 'language', { value: 'fr-FR', configurable: true });
    }
  });

  it('ignores an unknown remembered language', async () => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, 'xx');
    const i18n = TestBed.inject(TranslationService);
    await i18n.ready();
    expect(i18n.language()).toBe('fr');
  });

  it('replaces placeholders and leaves unknown ones visible', () => {
    const i18n = TestBed.inject(TranslationService);
    expect(i18n.t('paginator.range', { start: 1, end: 25, total: 80 })).toBe('1 – 25 sur 80');
    expect(interpolate('{a} et {b}', { a: 'x' })).toBe('x et {b}');
    expect(interpolate('sans {rien}')).toBe('sans {rien}');
  });

  // French: 0 and 1 are singular ("one"), the =0 form wins over it; English: 1 alone is, =0 still wins.
  it.each<[Language, number, string]>([
    ['fr', 0, 'Aucun parent trouvé'],
    ['fr', 1, '1 parent trouvé'],
    ['fr', 2, '2 parents trouvés'],
    ['fr', 1500, '1\u202f500 parents trouvés'],
    ['en', 0, 'No parent found'],
    ['en', 1, '1 parent found'],
    ['en', 2, '2 parents found'],
    ['en', 1500, '1,500 parents found'],
  ])(
    'chooses the ICU plural form by the language’s rules, exact matches first: %s, %d',
    async (language, count, text) => {
      const i18n = TestBed.inject(TranslationService);
      await i18n.use(language);
      expect(i18n.t('parents.resultCount', { count })).toBe(text);
    },
  );

  it('chooses ICU plural forms by the language’s plural rules, exact matches first', async () => {
    const i18n = TestBed.inject(TranslationService);
    expect(i18n.t('contactRequest.childAge', { weeks: 1 })).toBe('1 semaine');
    expect(i18n.t('contactRequest.childAge', { weeks: 1.5 })).toBe('1,5 semaine');
    expect(i18n.t('contactRequest.childAge', { weeks: 6 })).toBe('6 semaines');
    await i18n.use('en');
    expect(i18n.t('contactRequest.childAge', { weeks: 1 })).toBe('1 week');
    expect(i18n.t('settings.waveRescreen', { days: 1, bands: 'moderate', times: 1 })).toBe(
      'Invited again 1 day after a moderate score, once',
    );
    expect(i18n.t('settings.waveRescreen', { days: 28, bands: 'moderate', times: 3 })).toBe(
      'Invited again 28 days after a moderate score, at most 3 times',
    );
  });

  it('formats plural and select arguments with nested placeholders, and leaves a missing one visible', () => {
    const message =
      '{n, plural, =0 {rien pour {who}} one {# alerte pour {who}} other {# alertes pour {who}}}';
    expect(interpolate(message, { n: 0, who: 'Léa' })).toBe('rien pour Léa');
    expect(interpolate(message, { n: 1, who: 'Léa' })).toBe('1 alerte pour Léa');
    expect(interpolate(message, { n: 3, who: 'Léa' })).toBe('3 alertes pour Léa');
    expect(interpolate(message, { n: 3, who: 'Léa' }, 'en-GB')).toBe('3 alertes pour Léa');
    expect(interpolate(message, { who: 'Léa' })).toBe(message);
    const role =
      '{role, select, father {Le père} mother {La mère} other {L’autre parent}} ({n, plural, one {# réponse} other {# réponses}})';
    expect(interpolate(role, { role: 'father', n: 2 })).toBe('Le père (2 réponses)');
    expect(interpolate(role, { role: 'co_parent', n: 1 })).toBe('L’autre parent (1 réponse)');
    // "#" is only the count inside a plural branch; elsewhere it is text.
    expect(interpolate('n° #{id}', { id: 4 })).toBe('n° #4');
    expect(messageArguments(role)).toEqual(['n', 'role']);
    expect(messageArguments(message)).toEqual(['n', 'who']);
  });

  it('has an English text, with the same placeholders, for every French key', () => {
    const keys = Object.keys(FR) as TranslationKey[];
    expect(Object.keys(EN).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(EN[key].trim()).not.toBe('');
      expect({ key, placeholders: placeholders(EN[key]) }).toEqual({
        key,
        placeholders: placeholders(FR[key]),
      });
    }
  });
});
