import type { EpdsBand } from '@lien/shared';
import type { CodeableConcept, Coding } from '../fhir-types.js';
import { LOINC } from '../fhir-types.js';

/**
 * LOINC codes, each checked against LOINC before use:
 * - 71354-5 "Edinburgh Postnatal Depression Scale [EPDS]", class PANEL.SURVEY.EPDS (the panel).
 * - 99046-5 the EPDS total score (0-30), as used for the total in published EPDS FHIR profiles.
 * The ten items are left without LOINC codes: their item codes could not be confirmed against LOINC here, and a
 * wrong code would silently mislabel a mental-health answer in the receiving system. They carry the linkIds below.
 */
export const EPDS_PANEL: Coding = {
  system: LOINC,
  code: '71354-5',
  display: 'Edinburgh Postnatal Depression Scale [EPDS]',
};
export const EPDS_TOTAL: Coding = { system: LOINC, code: '99046-5', display: 'Total score [EPDS]' };

/** Paths under the deployment's public URL: Lien's own definitions and code systems. */
export const paths = {
  questionnaire: (language: string) => `/fhir/Questionnaire/epds-${language}`,
  answerSystem: '/fhir/CodeSystem/epds-answer',
  flagSystem: '/fhir/CodeSystem/flag',
  alertStatusSystem: '/fhir/CodeSystem/alert-status',
  alertReasonSystem: '/fhir/CodeSystem/alert-reason',
  taskSystem: '/fhir/CodeSystem/task',
  parentIdentifier: '/fhir/sid/parent',
};

export const itemLinkId = (number: number): string => `item-${number}`;
export const TOTAL_LINK_ID = 'total-score';
export const INSTRUCTIONS_LINK_ID = 'instructions';
export const LEAD_IN_LINK_ID = 'lead-in';
/** Code of an answer: item number and the option's index in canonical order ("10.1": item 10, second option). */
export const answerCode = (itemNumber: number, optionIndex: number): string => `${itemNumber}.${optionIndex}`;

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** The organisation's band for the total (thresholds by parent role) as a standard interpretation. */
export function bandInterpretation(band: EpdsBand): CodeableConcept {
  const coding: Record<EpdsBand, Coding> = {
    low: { system: INTERPRETATION, code: 'N', display: 'Normal' },
    moderate: { system: INTERPRETATION, code: 'A', display: 'Abnormal' },
    high: { system: INTERPRETATION, code: 'H', display: 'High' },
  };
  return { coding: [coding[band]], text: `EPDS band: ${band}` };
}

export const SURVEY_CATEGORY: CodeableConcept = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/observation-category',
      code: 'survey',
      display: 'Survey',
    },
  ],
};

export const CLINICAL_FLAG_CATEGORY: CodeableConcept = {
  coding: [
    { system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical', display: 'Clinical' },
  ],
};
