/** The FHIR API's error answer (R4, `application/fhir+json`): the house error as an OperationOutcome. */

/** The issue types the FHIR API's errors use. */
export type OperationOutcomeIssueType =
  | 'invalid'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'conflict'
  | 'throttled'
  | 'too-long'
  | 'exception'
  | 'processing';

export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: OperationOutcomeIssueType;
  /** A CodeableConcept whose `text` is the house error message. */
  details?: { text?: string };
  /**
   * The house error code.
   * @example not_found
   */
  diagnostics?: string;
  /** The field or search parameter at fault. */
  expression?: string[];
}

/** Every FHIR error: the house error as an OperationOutcome (see the backend's `mappers/operation-outcome.ts`). */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}
