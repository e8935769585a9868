/**
 * The slice of FHIR R4 that Lien emits, typed by hand: @medplum/core's types import @medplum/fhirtypes, which is
 * not installed, so they resolve to `any`. Specs validate every resource against the R4 definitions instead.
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
  extension?: Extension[];
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Extension {
  url: string;
  valueDecimal?: number;
  valueString?: string;
  valueCode?: string;
}

export interface Reference {
  reference: string;
  display?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  system: string;
  value: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Meta {
  lastUpdated?: string;
}

interface ResourceBase {
  id?: string;
  meta?: Meta;
  language?: string;
}

export interface QuestionnaireAnswerOption {
  valueCoding: Coding;
  extension?: Extension[];
}

export interface QuestionnaireItem {
  linkId: string;
  text?: string;
  type: 'display' | 'choice' | 'integer' | 'group';
  code?: Coding[];
  required?: boolean;
  readOnly?: boolean;
  answerOption?: QuestionnaireAnswerOption[];
  item?: QuestionnaireItem[];
}

export interface Questionnaire extends ResourceBase {
  resourceType: 'Questionnaire';
  url: string;
  version: string;
  name: string;
  title: string;
  status: 'draft' | 'active' | 'retired' | 'unknown';
  subjectType?: string[];
  publisher?: string;
  description?: string;
  copyright?: string;
  code?: Coding[];
  item: QuestionnaireItem[];
}

export interface QuestionnaireResponseAnswer {
  valueCoding?: Coding;
  valueInteger?: number;
}

export interface QuestionnaireResponseItem {
  linkId: string;
  text?: string;
  answer?: QuestionnaireResponseAnswer[];
}

export interface QuestionnaireResponse extends ResourceBase {
  resourceType: 'QuestionnaireResponse';
  questionnaire: string;
  status: 'in-progress' | 'completed' | 'amended' | 'entered-in-error' | 'stopped';
  subject: Reference;
  authored: string;
  item: QuestionnaireResponseItem[];
}

export interface Observation extends ResourceBase {
  resourceType: 'Observation';
  status: 'final';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  effectiveDateTime: string;
  issued: string;
  valueInteger: number;
  interpretation: CodeableConcept[];
  derivedFrom: Reference[];
}

export interface Flag extends ResourceBase {
  resourceType: 'Flag';
  status: 'active' | 'inactive' | 'entered-in-error';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  period: Period;
}

export interface HumanName {
  use?: 'official' | 'usual';
  family?: string;
  given?: string[];
}

export interface Patient extends ResourceBase {
  resourceType: 'Patient';
  identifier: Identifier[];
  active: boolean;
  name: HumanName[];
  communication?: { language: CodeableConcept; preferred?: boolean }[];
}

export type TaskStatus =
  | 'draft'
  | 'requested'
  | 'received'
  | 'accepted'
  | 'rejected'
  | 'ready'
  | 'cancelled'
  | 'in-progress'
  | 'on-hold'
  | 'failed'
  | 'completed'
  | 'entered-in-error';

export interface Task extends ResourceBase {
  resourceType: 'Task';
  status: TaskStatus;
  businessStatus: CodeableConcept;
  intent: 'order';
  priority: 'routine' | 'urgent' | 'asap' | 'stat';
  code: CodeableConcept;
  description?: string;
  for: Reference;
  focus?: Reference;
  authoredOn: string;
  lastModified: string;
  executionPeriod: Period;
  restriction?: { period: Period };
  reasonCode?: CodeableConcept;
}

// The FHIR error answer is part of the API contract: its shape lives in shared (its OpenAPI schema comes from there).
import type { OperationOutcome as OperationOutcomeContract } from '@lien/shared';

export interface OperationOutcome extends ResourceBase, OperationOutcomeContract {}

export type FhirResource =
  Questionnaire | QuestionnaireResponse | Observation | Flag | Patient | Task | OperationOutcome;

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
  search: { mode: 'match' | 'include' };
}

export interface Bundle extends ResourceBase {
  resourceType: 'Bundle';
  type: 'searchset';
  total: number;
  link: { relation: string; url: string }[];
  entry?: BundleEntry[];
}

/** application/fhir+json, what every /fhir route answers (errors included). */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const LOINC = 'http://loinc.org';
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
