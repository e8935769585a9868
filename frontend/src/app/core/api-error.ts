import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError } from '@lien/shared';
import { FR, type TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';

/** The API's error body (`{statusCode, error, message, code?, details?}`), or a synthetic one for network failures. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof HttpErrorResponse) {
    const body: unknown = error.error;
    if (isApiError(body)) return body;
    return {
      statusCode: error.status,
      error: error.statusText || 'Error',
      message: error.status === 0 ? 'network' : error.message,
    };
  }
  return { statusCode: 0, error: 'Error', message: error instanceof Error ? error.message : String(error) };
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** 400 details as `{field: message}`; accepts the list form and the object form of `details`. */
export function fieldErrors(error: ApiError): Record<string, string> {
  const result: Record<string, string> = {};
  const details = error.details;
  if (Array.isArray(details)) {
    for (const detail of details) {
      if (detail && typeof detail.field === 'string' && !(detail.field in result)) {
        result[detail.field] = String(detail.message ?? '');
      }
    }
  } else if (details && typeof details === 'object') {
    for (const [field, message] of Object.entries(details)) {
      if (typeof message === 'string') result[field] = message;
    }
  }
  return result;
}

/** The `details` object of an error, when it is one (e.g. 409 `{existingParentId}`). */
export function detailsObject(error: ApiError): Record<string, unknown> | null {
  const details = error.details;
  return details && typeof details === 'object' && !Array.isArray(details) ? details : null;
}

/**
 * What a person reads for an API error, in the console's language: the error's `code` when the console knows
 * it (`apiError.code.<code>`), else its HTTP status; never the API's English `message`.
 */
export function apiErrorText(
  error: ApiError,
  t: (key: TranslationKey, params?: TranslationParams) => string,
): string {
  const byCode = `apiError.code.${error.code ?? ''}`;
  if (error.code && byCode in FR) return t(byCode as TranslationKey);
  const status = error.statusCode;
  if (status === 0) return t('apiError.network');
  if (status >= 500) return t('apiError.server');
  const byStatus = `apiError.status.${status}`;
  return byStatus in FR ? t(byStatus as TranslationKey) : t('apiError.unknown');
}
