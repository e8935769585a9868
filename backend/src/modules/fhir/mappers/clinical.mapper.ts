import { findEpdsInstrument, type AlertStatus, type EpdsBand } from '@lien/shared';
import type { Flag, Observation, QuestionnaireResponse, QuestionnaireResponseItem } from '../fhir-types.js';
import { ORDINAL_VALUE } from '../fhir-types.js';
import {
  answerCode,
  bandInterpretation,
  CLINICAL_FLAG_CATEGORY,
  EPDS_TOTAL,
  EPDS_TOTAL_TEXT,
  itemLinkId,
  paths,
  SURVEY_CATEGORY,
  TOTAL_LINK_ID,
} from './codes.js';
import { questionnaireCanonical } from './questionnaire.mapper.js';

/** A stored EPDS response as the FHIR mappers need it (no name, no phone). */
export interface ResponseRecord {
  id: string;
  parentId: string;
  instrumentVersion: string;
  language: string;
  /** Option index per item, canonical order. */
  answers: number[];
  itemPoints: number[];
  score: number;
  band: EpdsBand;
  item10Positive: boolean;
  createdAt: Date;
  /** The alert the response raised, if any: a closed one ends the item-10 flag. */
  alertStatus: AlertStatus | null;
  alertClosedAt: Date | null;
}

export const patientReference = (parentId: string) => ({ reference: `Patient/${parentId}` });

/** The answers with the instrument version and language they were given in. */
export function toQuestionnaireResponse(response: ResponseRecord, baseUrl: string): QuestionnaireResponse {
  // The wording the parent saw: the stored version and language, even after a newer version ships.
  const instrument = findEpdsInstrument(response.language, response.instrumentVersion);
  const answerSystem = `${baseUrl}${paths.answerSystem}`;
  const items: QuestionnaireResponseItem[] = response.answers.map((answer, index) => {
    const number = instrument?.items[index]?.number ?? index + 1;
    const item = instrument?.items[index];
    const option = item?.options[answer];
    return {
      linkId: itemLinkId(number),
      ...(item ? { text: item.text } : {}),
      answer: [
        {
          valueCoding: {
            system: answerSystem,
            code: answerCode(number, answer),
            ...(option ? { display: option.text } : {}),
            extension: [{ url: ORDINAL_VALUE, valueDecimal: response.itemPoints[index] ?? 0 }],
          },
        },
      ],
    };
  });
  return {
    resourceType: 'QuestionnaireResponse',
    id: response.id,
    meta: { lastUpdated: response.createdAt.toISOString() },
    language: response.language,
    questionnaire: questionnaireCanonical(baseUrl, response.language, response.instrumentVersion),
    status: 'completed',
    subject: patientReference(response.parentId),
    authored: response.createdAt.toISOString(),
    item: [
      ...items,
      { linkId: TOTAL_LINK_ID, text: EPDS_TOTAL_TEXT, answer: [{ valueInteger: response.score }] },
    ],
  };
}

/** The EPDS total (LOINC 99046-5) with the organisation's band as interpretation. */
export function toObservation(response: ResponseRecord): Observation {
  return {
    resourceType: 'Observation',
    id: response.id,
    meta: { lastUpdated: response.createdAt.toISOString() },
    status: 'final',
    category: [SURVEY_CATEGORY],
    code: { coding: [EPDS_TOTAL], text: EPDS_TOTAL_TEXT },
    subject: patientReference(response.parentId),
    effectiveDateTime: response.createdAt.toISOString(),
    issued: response.createdAt.toISOString(),
    valueInteger: response.score,
    interpretation: [bandInterpretation(response.band)],
    derivedFrom: [{ reference: `QuestionnaireResponse/${response.id}` }],
  };
}

/**
 * Item 10 (self-harm) answered anything but "Never": a clinical flag on the parent, active until the alert it
 * raised is closed. Null for responses without it (there is no such Flag).
 */
export function toFlag(response: ResponseRecord, baseUrl: string): Flag | null {
  if (!response.item10Positive) return null;
  const closed = response.alertStatus === 'closed';
  return {
    resourceType: 'Flag',
    id: response.id,
    meta: {
      lastUpdated: (closed && response.alertClosedAt
        ? response.alertClosedAt
        : response.createdAt
      ).toISOString(),
    },
    status: closed ? 'inactive' : 'active',
    category: [CLINICAL_FLAG_CATEGORY],
    code: {
      coding: [
        {
          system: `${baseUrl}${paths.flagSystem}`,
          code: 'epds-item10-positive',
          display: 'EPDS item 10 (thoughts of self-harm) positive',
        },
      ],
      text: 'EPDS item 10 (thoughts of self-harm) positive: assess without delay',
    },
    subject: patientReference(response.parentId),
    period: {
      start: response.createdAt.toISOString(),
      ...(closed && response.alertClosedAt ? { end: response.alertClosedAt.toISOString() } : {}),
    },
  };
}
