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

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const rulesOf = (locale: string): Intl.PluralRules =>
  pluralRules.get(locale) ?? pluralRules.set(locale, new Intl.PluralRules(locale)).get(locale)!;
const numbersOf = (locale: string): Intl.NumberFormat =>
  numberFormats.get(locale) ?? numberFormats.set(locale, new Intl.NumberFormat(locale)).get(locale)!;

/** Index of the brace closing the one opened at `open` (nesting counted), or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    else if (text[index] === '}' && --depth === 0) return index;
  }
  return -1;
}

/** The `selector {message}` pairs of a plural or select argument, in order. */
function branchesOf(text: string): Map<string, string> | null {
  const branches = new Map<string, string>();
  let rest = text;
  while (rest.trim() !== '') {
    const selector = /^\s*(=\d+|[\w-]+)\s*\{/.exec(rest);
    if (!selector?.[1]) return null;
    const open = selector[0].length - 1;
    const close = closingBrace(rest, open);
    if (close < 0) return null;
    branches.set(selector[1], rest.slice(open + 1, close));
    rest = rest.slice(close + 1);
  }
  return branches.has('other') ? branches : null;
}

/**
 * Formats a message: `{name}` placeholders, and ICU plural and select arguments, e.g.
 * `{count, plural, =0 {aucun parent} one {# parent} other {# parents}}` (the plural category comes from
 * Intl.PluralRules for `locale`; `#` is the number as the locale writes it) or `{role, select, father {…} other {…}}`.
 * Unknown placeholders stay visible so that a missing value is noticed. Apostrophes are plain text (no ICU quoting:
 * French text is full of them).
 */
export function interpolate(
  text: string,
  params?: TranslationParams,
  locale = 'fr-FR',
  hash?: string,
): string {
  if (!params && hash === undefined) return text;
  let result = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (character === '#' && hash !== undefined) {
      result += hash;
      index += 1;
      continue;
    }
    const close = character === '{' ? closingBrace(text, index) : -1;
    if (close < 0) {
      result += character;
      index += 1;
      continue;
    }
    const whole = text.slice(index, close + 1);
    result += argument(whole.slice(1, -1), whole, params ?? {}, locale, hash);
    index = close + 1;
  }
  return result;
}

function argument(
  inner: string,
  whole: string,
  params: TranslationParams,
  locale: string,
  hash: string | undefined,
): string {
  const simple = /^\s*(\w+)\s*$/.exec(inner);
  if (simple?.[1]) {
    const value = params[simple[1]];
    return value === undefined ? whole : String(value);
  }
  const complex = /^\s*(\w+)\s*,\s*(plural|select)\s*,([\s\S]*)$/.exec(inner);
  const branches = complex?.[3] === undefined ? null : branchesOf(complex[3]);
  if (!complex?.[1] || !branches) return interpolate(whole.slice(1, -1), params, locale, hash);
  const value = params[complex[1]];
  if (value === undefined) return whole;
  if (complex[2] === 'select')
    return interpolate(branches.get(String(value)) ?? branches.get('other')!, params, locale, hash);
  const count = Number(value);
  const branch =
    branches.get(`=${count}`) ?? branches.get(rulesOf(locale).select(count)) ?? branches.get('other')!;
  return interpolate(branch, params, locale, numbersOf(locale).format(count));
}

/** The names of the arguments a message takes (simple placeholders and plural/select arguments). */
export function messageArguments(text: string): string[] {
  const names = new Set<string>();
  const visit = (message: string): void => {
    for (let index = message.indexOf('{'); index >= 0; index = message.indexOf('{', index + 1)) {
      const close = closingBrace(message, index);
      if (close < 0) return;
      const inner = message.slice(index + 1, close);
      const simple = /^\s*(\w+)\s*$/.exec(inner);
      const complex = /^\s*(\w+)\s*,\s*(plural|select)\s*,([\s\S]*)$/.exec(inner);
      if (simple?.[1]) names.add(simple[1]);
      else if (complex?.[1]) {
        names.add(complex[1]);
        for (const branch of branchesOf(complex[3] ?? '')?.values() ?? []) visit(branch);
      }
      index = close;
    }
  };
  visit(text);
  return [...names].sort();
}

@Injectable({ providedIn: 'root' })
export class TranslationService {
  private readonly document = inject(DOCUMENT);
  private readonly dictionaries = signal<Partial<Record<Language, Dictionary>>>({ fr: FR });
  private readonly current = signal<Language>('fr');
  private readonly initial: Promise<void>;

  readonly language = this.current.asReadonly();
  readonly locale = computed(() => LOCALES[this.current()]);
  /** Locale of the language the console starts in (Angular's LOCALE_ID is fixed for the page's life). */
  readonly startingLocale: string;

  constructor() {
    this.applyToDocument('fr');
    const wanted = this.initialLanguage();
    this.startingLocale = LOCALES[wanted];
    this.initial = wanted === 'fr' ? Promise.resolve() : this.use(wanted, false);
  }

  /** Resolves once the starting language is loaded (the app waits for it before the first render). */
  ready(): Promise<void> {
    return this.initial;
  }

  /** Translates a key in the current language (reads the language signal: templates re-render on switch). */
  readonly t = (key: TranslationKey, params?: TranslationParams): string => {
    const dictionary = this.dictionaries()[this.current()] ?? FR;
    return interpolate(dictionary[key] ?? FR[key], params, LOCALES[this.current()]);
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
