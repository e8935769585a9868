import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { FR, type TranslationKey } from './fr';

/**
 * Runtime i18n. French is the source language and ships in the first load; English is a full translation
 * (the compiler checks that `EN` has every key of `FR`) loaded on demand. A signal holds the language, so a
 * switch re-renders every view at once, without a rebuild or a reload. (Angular's build-time `$localize`
 * would need one build and one URL per language, and a reload to switch.)
 */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type TranslationParams = Record<string, string | number>;
export type Dictionary = Readonly<Record<TranslationKey, string>>;

export const LANGUAGE_STORAGE_KEY = 'lien.language';
/** BCP 47 locale used by Intl for each language. */
const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };
const LOADERS: Record<Language, () => Promise<Dictionary>> = {
  fr: () => Promise.resolve(FR),
  en: () => import('./en').then((module) => module.EN),
};

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
  private readonly dictionaries = signal<Partial<Record<Language, Dictionary>>>({ fr: FR });
  private readonly current = signal<Language>('fr');
  private readonly initial: Promise<void>;

  readonly language = this.current.asReadonly();
  readonly locale = computed(() => LOCALES[this.current()]);

  constructor() {
    this.applyToDocument('fr');
    const wanted = this.initialLanguage();
    this.initial = wanted === 'fr' ? Promise.resolve() : this.use(wanted, false);
  }

  /** Resolves once the starting language is loaded (the app waits for it before the first render). */
  ready(): Promise<void> {
    return this.initial;
  }

  /** Translates a key in the current language (reads the language signal: templates re-render on switch). */
  readonly t = (key: TranslationKey, params?: TranslationParams): string => {
    const dictionary = this.dictionaries()[this.current()] ?? FR;
    return interpolate(dictionary[key] ?? FR[key], params);
  };

  /** Switches language once its dictionary is loaded; remembers the choice on this device. */
  async use(language: Language, remember = true): Promise<void> {
    if (!this.dictionaries()[language]) {
      try {
        const dictionary = await LOADERS[language]();
        this.dictionaries.update((loaded) => ({ ...loaded, [language]: dictionary }));
      } catch {
        return; // offline or chunk missing: stay in the current language
      }
    }
    this.current.set(language);
    this.applyToDocument(language);
    if (!remember) return;
    try {
      this.document.defaultView?.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
    } catch {
      // Storage can be disabled (private mode, policy): the choice then lasts for the page only.
    }
  }

  private applyToDocument(language: Language): void {
    this.document.documentElement.lang = language;
  }

  private initialLanguage(): Language {
    const window = this.document.defaultView;
    try {
      const stored = window?.localStorage.getItem(LANGUAGE_STORAGE_KEY);
      if (isLanguage(stored)) return stored;
    } catch {
      // ignore: storage unavailable
    }
    return window?.navigator.language.slice(0, 2) === 'en' ? 'en' : 'fr';
  }
}
