import type { EpdsBand } from '@lien/shared';
import type { CodeableConcept, Coding } from '../fhir-types.js';
import { LOINC } from '../fhir-types.js';

/**
 * LOINC codes, checked before use (a wrong code would silently mislabel a mental-health result elsewhere):
 * - 71354-5 "Edinburgh Postnatal Depression Scale [EPDS]", a panel (class PANEL.SURVEY.EPDS): the instrument.
 * - 99046-5, the EPDS total score (0-30): the code independent EPDS implementations use for the total next to the
 *   71354-5 panel. Its official display name could not be read from LOINC here, so it is sent without `display`
 *   (a wrong display is an error for terminology-checking receivers; the code alone is enough).
 * The ten items carry no LOINC code: no item code could be confirmed against LOINC, so they are identified by
 * their linkIds (item-1 … item-10) and Lien's answer codes only.
 */
export const EPDS_PANEL: Coding = {
  system: LOINC,
  code: '71354-5',
  display: 'Edinburgh Postnatal Depression Scale [EPDS]',
};
export const EPDS_TOTAL: Coding = { system: LOINC, code: '99046-5' };
/** Lien's label of the total (Questionnaire item and Observation text). */
export const EPDS_TOTAL_TEXT = 'EPDS total score';

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
