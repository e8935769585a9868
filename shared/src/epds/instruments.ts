import { EPDS_EN } from './instrument-en.js';
import { EPDS_FR } from './instrument-fr.js';
import {
  EPDS_INSTRUMENT_ID,
  EPDS_INSTRUMENT_VERSION,
  EPDS_ITEM_COUNT,
  EPDS_OPTION_COUNT,
  EPDS_WORDINGS,
  SUPPORTED_EPDS_LANGUAGES,
  type EpdsInstrument,
  type EpdsLanguage,
  type EpdsWording,
} from './types.js';
import type { ParentRole } from '../roles.js';

/**
 * Every published definition, by version then language. Old versions stay here so that a stored response
 * can always be shown with the wording it was answered with.
 */
export const EPDS_INSTRUMENTS: Readonly<
  Record<string, Readonly<Partial<Record<EpdsLanguage, EpdsInstrument>>>>
> = {
  [EPDS_INSTRUMENT_VERSION]: { fr: EPDS_FR, en: EPDS_EN },
};

// The current version must exist in every supported language.
const CURRENT: Readonly<Record<EpdsLanguage, EpdsInstrument>> = { fr: EPDS_FR, en: EPDS_EN };

/** Current definition for a supported language. */
export function getEpdsInstrument(language: EpdsLanguage): EpdsInstrument {
  return CURRENT[language];
}

/** A definition by version and language (e.g. to display an old response), or undefined. */
export function findEpdsInstrument(language: string, version: string): EpdsInstrument | undefined {
  if (!isEpdsLanguage(language)) return undefined;
  return EPDS_INSTRUMENTS[version]?.[language];
}

export function isEpdsLanguage(language: unknown): language is EpdsLanguage {
  return typeof language === 'string' && (SUPPORTED_EPDS_LANGUAGES as readonly string[]).includes(language);
}

/** The parent's language when we have a validated EPDS in it, French otherwise (French first). */
export function resolveEpdsLanguage(language: string | null | undefined): EpdsLanguage {
  const base = language?.trim().toLowerCase().split(/[-_]/)[0];
  return isEpdsLanguage(base) ? base : 'fr';
}

/** The wording a parent's page starts with: the validated feminine for mothers, masculine for fathers. */
const WORDING_BY_ROLE: Readonly<Record<ParentRole, EpdsWording>> = {
  mother: 'feminine',
  father: 'masculine',
  co_parent: 'inclusive',
};

export function epdsWordingForRole(role: ParentRole | null | undefined): EpdsWording {
  return (role && WORDING_BY_ROLE[role]) ?? 'feminine';
}

export function isEpdsWording(value: unknown): value is EpdsWording {
  return typeof value === 'string' && (EPDS_WORDINGS as readonly string[]).includes(value);
}

/**
 * The instrument as shown on screen in a wording: texts from `wordings`, points and order always from the
 * validated items (so scoring is the same whatever the wording). Without wordings, the validated text.
 */
export function wordEpdsInstrument(instrument: EpdsInstrument, wording: EpdsWording): EpdsInstrument {
  const text = instrument.wordings?.[wording];
  if (!text) return instrument;
  return {
    ...instrument,
    instructions: text.instructions,
    items: instrument.items.map((item, index) => {
      const worded = text.items?.[index];
      if (!worded) return item;
      return {
        ...item,
        text: worded.text,
        options: item.options.map((option, optionIndex) => ({
          ...option,
          text: worded.options[optionIndex] ?? option.text,
        })),
      };
    }),
  };
}

/** Whether the items differ between wordings (French), so that a wording switch is worth offering. */
export function hasEpdsItemWordings(instrument: EpdsInstrument): boolean {
  return EPDS_WORDINGS.some((wording) => instrument.wordings?.[wording].items !== undefined);
}

/**
 * Structural problems of a definition (empty when sound): 10 items numbered 1..10, 4 options each whose
 * points are 0..3 in one direction or the other. Used on every bundled definition by the specs, and meant
 * for definitions loaded from elsewhere before they are used for scoring.
 */
export function checkEpdsInstrument(instrument: EpdsInstrument): string[] {
  const problems: string[] = [];
  const expectedId: string = EPDS_INSTRUMENT_ID;
  if (instrument.id !== expectedId) problems.push(`id must be "${expectedId}"`);
  if (!instrument.version) problems.push('version is missing');
  if (instrument.direction !== 'ltr' && instrument.direction !== 'rtl')
    problems.push('direction must be ltr or rtl');
  for (const field of ['title', 'instructions', 'itemsLeadIn', 'citation'] as const) {
    if (!instrument[field].trim()) problems.push(`${field} is empty`);
  }
  if (instrument.items.length !== EPDS_ITEM_COUNT) {
    problems.push(`expected ${EPDS_ITEM_COUNT} items, got ${instrument.items.length}`);
  }
  instrument.items.forEach((item, index) => {
    const where = `items[${index}]`;
    if (item.number !== index + 1) problems.push(`${where}.number must be ${index + 1}`);
    if (!item.text.trim()) problems.push(`${where}.text is empty`);
    if (item.options.length !== EPDS_OPTION_COUNT) {
      problems.push(`${where} must have ${EPDS_OPTION_COUNT} options`);
      return;
    }
    if (item.options.some((option) => !option.text.trim())) problems.push(`${where} has an empty option`);
    const points = item.options.map((option) => option.points).join(',');
    if (points !== '0,1,2,3' && points !== '3,2,1,0') {
      problems.push(`${where} points must be 0,1,2,3 or 3,2,1,0 (got ${points})`);
    }
  });
  for (const wording of EPDS_WORDINGS) {
    const text = instrument.wordings?.[wording];
    if (!text) continue;
    if (!text.instructions.trim()) problems.push(`wordings.${wording}.instructions is empty`);
    if (text.items === undefined) continue;
    if (text.items.length !== EPDS_ITEM_COUNT)
      problems.push(`wordings.${wording} must have ${EPDS_ITEM_COUNT} items`);
    text.items.forEach((item, index) => {
      if (
        !item.text.trim() ||
        item.options.length !== EPDS_OPTION_COUNT ||
        item.options.some((o) => !o.trim())
      ) {
        problems.push(
          `wordings.${wording}.items[${index}] must have a text and ${EPDS_OPTION_COUNT} options`,
        );
      }
    });
  }
  return problems;
}
