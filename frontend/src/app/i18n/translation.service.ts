import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { FR, type TranslationKey } from './fr';
import { EN } from './en';

/**
 * Runtime i18n: French is the source language, English a full translation checked by the compiler
 * (`EN` must have every key of `FR`). A signal holds the language, so switching re-renders every view at
 * once without a rebuild or reload (Angular's build-time `$localize` would need one bundle per language).
 */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type TranslationParams = Record<string, string | number>;

const STORAGE_KEY = 'lien.language';
const DICTIONARIES: Record<Language, Record<TranslationKey, string>> = { fr: FR, en: EN };
/** BCP 47 locale used by Intl for each language. */
const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Replaces `{name}` placeholders; unknown placeholders stay visible so a missing value is noticed. */
export function interpolate(text: string, params?: TranslationParams): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

@Injectable({ providedIn: 'root' })
export class TranslationService {
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<Language>(this.initialLanguage());

  readonly language = this.current.asReadonly();
  readonly locale = computed(() => LOCALES[this.current()]);

  constructor() {
    this.applyToDocument(this.current());
  }

  /** Translates a key in the current language (reads the language signal: templates re-render on switch). */
  readonly t = (key: TranslationKey, params?: TranslationParams): string =>
    interpolate(DICTIONARIES[this.current()][key], params);

  use(language: Language): void {
    this.current.set(language);
    try {
      this.document.defaultView?.localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Storage can be disabled (private mode, policy): the choice then lasts for the session only.
    }
    this.applyToDocument(language);
  }

  private applyToDocument(language: Language): void {
    this.document.documentElement.lang = language;
  }

  private initialLanguage(): Language {
    const window = this.document.defaultView;
    try {
      const stored = window?.localStorage.getItem(STORAGE_KEY);
      if (isLanguage(stored)) return stored;
    } catch {
      // ignore: storage unavailable
    }
    const browser = window?.navigator.language.slice(0, 2);
    return browser === 'en' ? 'en' : 'fr';
  }
}
