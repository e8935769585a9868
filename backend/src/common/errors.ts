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

/**
 * The one 400 for several bad fields at once (DTO validation, services, settings): every problem in `details`,
 * the fields named once each in the message.
 */
export function invalidFields(details: ApiErrorDetail[]): DomainError {
  const fields = [...new Set(details.map((detail) => detail.field))];
  return new DomainError('invalid', 'invalid_input', `Invalid fields: ${fields.join(', ')}`, details);
}

/** 404 for both "absent" and "belongs to another organisation": existence is never revealed. */
export const notFound = (what: string): DomainError =>
  new DomainError('not_found', 'not_found', `${what} not found`);

export const conflict = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('conflict', code, message, details);

/** PostgreSQL's fields of a failed statement, from pg's error or TypeORM's wrapper (`driverError`). */
function postgresError(error: unknown): { code?: unknown; table?: unknown } {
  if (typeof error !== 'object' || error === null) return {};
  const driverError = (error as { driverError?: unknown }).driverError;
  return typeof driverError === 'object' && driverError !== null ? driverError : error;
}

/** SQLSTATE 23505: a unique index refused the row (of `table` only, when named). */
export function isUniqueViolation(error: unknown, table?: string): boolean {
  const { code, table: refused } = postgresError(error);
  return code === '23505' && (table === undefined || refused === table);
}

/** SQLSTATE 40P01: PostgreSQL broke a lock cycle by aborting this statement's transaction (safe to run again). */
export function isDeadlock(error: unknown): boolean {
  return postgresError(error).code === '40P01';
}

/** SQLSTATE 57014 (query_canceled), as raised by statement_timeout. */
export function isStatementTimeout(error: unknown): boolean {
  return postgresError(error).code === '57014';
}
