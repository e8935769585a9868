import { TestBed } from '@angular/core/testing';
import { EN } from './en';
import { FR, type TranslationKey } from './fr';
import { LANGUAGE_STORAGE_KEY, TranslationService, interpolate } from './translation.service';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('TranslationService', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.resetTestingModule();
  });

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
