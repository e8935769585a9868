import type { ApiError, OperationOutcomeIssue, OperationOutcomeIssueType } from '@lien/shared';
import type { Response } from 'express';
import type { ErrorFormat } from '../../../common/http-exception.filter.js';
import { FHIR_JSON, type OperationOutcome } from '../fhir-types.js';

const ISSUE_TYPE: Record<number, OperationOutcomeIssueType> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  429: 'throttled',
};

/** Is this request under the FHIR API (whose errors are OperationOutcomes)? */
export function isFhirPath(path: string): boolean {
  return path === '/fhir' || path.startsWith('/fhir/');
}

/**
 * The house error (`{statusCode, error, message, code?, details?}`) as a FHIR OperationOutcome: same message,
 * one issue per named field, the house code in `diagnostics`. Nothing more than the house body already says.
 */
export function toOperationOutcome(error: ApiError): OperationOutcome {
  const code = ISSUE_TYPE[error.statusCode] ?? (error.statusCode >= 500 ? 'exception' : 'processing');
  const severity: OperationOutcomeIssue['severity'] = error.statusCode >= 500 ? 'fatal' : 'error';
  const diagnostics = error.code ?? error.error;
  const fieldIssues: OperationOutcomeIssue[] = Array.isArray(error.details)
    ? error.details.map((detail) => ({
        severity,
        code,
        details: { text: detail.message },
        diagnostics,
        expression: [detail.field],
      }))
    : [];
  return {
    resourceType: 'OperationOutcome',
    issue:
      fieldIssues.length > 0
        ? fieldIssues
        : [{ severity, code, details: { text: error.message }, diagnostics }],
  };
}

/** FHIR clients expect an OperationOutcome, in FHIR's media type, from every /fhir answer that is not 2xx. */
export const FHIR_ERROR_FORMAT: ErrorFormat = {
  applies: isFhirPath,
  send(response: Response, body: ApiError): void {
    response.setHeader('Content-Type', FHIR_JSON);
    response.json(toOperationOutcome(body));
  },
};
