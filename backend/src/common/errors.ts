import type { ApiErrorDetail } from '@lien/shared';

/**
 * Domain errors carry a code; one global filter maps them to HTTP. Services never throw HTTP exceptions
 * for business rules, so the same logic serves the API, the worker and the questionnaire page.
 */
export type DomainErrorKind =
  'invalid' | 'unauthorised' | 'forbidden' | 'not_found' | 'gone' | 'conflict' | 'rate_limited';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ApiErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string): DomainError =>
  new DomainError('invalid', 'invalid_input', `${field}: ${message}`, [{ field, message }]);

/** 404 for both "absent" and "belongs to another organisation": existence is never revealed. */
export const notFound = (what: string): DomainError =>
  new DomainError('not_found', 'not_found', `${what} not found`);

export const conflict = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('conflict', code, message, details);
