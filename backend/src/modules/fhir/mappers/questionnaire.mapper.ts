import type { EpdsInstrument } from '@lien/shared';
import type { Questionnaire, QuestionnaireItem } from '../fhir-types.js';
import { ORDINAL_VALUE } from '../fhir-types.js';
import {
  answerCode,
  EPDS_PANEL,
  EPDS_TOTAL,
  EPDS_TOTAL_TEXT,
  INSTRUCTIONS_LINK_ID,
  LEAD_IN_LINK_ID,
  itemLinkId,
  paths,
  TOTAL_LINK_ID,
} from './codes.js';

/** The resource id of an instrument's Questionnaire ("epds-fr"). */
export const questionnaireId = (instrument: Pick<EpdsInstrument, 'language'>): string =>
  `epds-${instrument.language}`;

/** Canonical reference to the Questionnaire a response was answered with, version included. */
export const questionnaireCanonical = (baseUrl: string, language: string, version: string): string =>
  `${baseUrl}${paths.questionnaire(language)}|${version}`;

/**
 * The versioned instrument (shared/src/epds) as a FHIR Questionnaire: wording from the data, never retyped,
 * options in canonical order with their points as `ordinalValue`. Everything here is public, no personal data.
 */
export function toQuestionnaire(instrument: EpdsInstrument, baseUrl: string): Questionnaire {
  const answerSystem = `${baseUrl}${paths.answerSystem}`;
  const items: QuestionnaireItem[] = instrument.items.map((item) => ({
    linkId: itemLinkId(item.number),
    // No LOINC item code: see codes.ts (unconfirmed codes are left out rather than guessed).
    text: item.text,
    type: 'choice',
    required: true,
    answerOption: item.options.map((option, index) => ({
      valueCoding: { system: answerSystem, code: answerCode(item.number, index), display: option.text },
      extension: [{ url: ORDINAL_VALUE, valueDecimal: option.points }],
    })),
  }));
  return {
    resourceType: 'Questionnaire',
    id: questionnaireId(instrument),
    language: instrument.language,
    url: `${baseUrl}${paths.questionnaire(instrument.language)}`,
    version: instrument.version,
    name: `EPDS_${instrument.language.toUpperCase()}`,
    title: instrument.title,
    status: 'active',
    subjectType: ['Patient'],
    publisher: 'Lien',
    description: instrument.instructions,
    copyright: instrument.citation,
    code: [EPDS_PANEL],
    item: [
      { linkId: INSTRUCTIONS_LINK_ID, type: 'display', text: instrument.instructions },
      { linkId: LEAD_IN_LINK_ID, type: 'display', text: instrument.itemsLeadIn },
      ...items,
      {
        linkId: TOTAL_LINK_ID,
        type: 'integer',
        code: [EPDS_TOTAL],
        text: EPDS_TOTAL_TEXT,
        readOnly: true,
      },
    ],
  };
}
