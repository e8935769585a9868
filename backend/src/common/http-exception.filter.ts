import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ApiError } from '@lien/shared';
import { DomainError, isStatementTimeout, type DomainErrorKind } from './errors.js';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorised: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  gone: HttpStatus.GONE,
  conflict: HttpStatus.CONFLICT,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A throttled answer says when to come back (RFC 9110 `Retry-After`, in seconds). */
function retryAfterSeconds(exception: unknown): number | null {
  if (!(exception instanceof DomainError) || exception.kind !== 'rate_limited') return null;
  const details = exception.details;
  const value =
    details && !Array.isArray(details)
      ? (details as { retryAfterSeconds?: unknown }).retryAfterSeconds
      : null;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

/**
 * Another error format for part of the URL space (FHIR answers OperationOutcomes under /fhir): the feature that
 * owns those paths provides it, `app.module.ts` hands it to the filter (common/ never imports a feature).
 */
export interface ErrorFormat {
  applies(path: string): boolean;
  send(response: Response, body: ApiError): void;
}

/** Every error leaves as `{statusCode, error, message, code?, details?, requestId}`; unexpected ones as a bare 500, never a stack. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly formats: readonly ErrorFormat[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(exception);
    const requestId = (request as Request & { id?: unknown }).id;
    if (typeof requestId === 'string') body.requestId = requestId;
    if (body.statusCode >= 500) {
      // The error's name and message only: request bodies may hold health data.
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        {
          err: { name: error.name, message: error.message, stack: error.stack },
          path: (request.route as { path?: string } | undefined)?.path,
        },
        'Unhandled error',
      );
    }
    if (response.headersSent) return;
    const retryAfter = isStatementTimeout(exception) ? 5 : retryAfterSeconds(exception);
    if (retryAfter !== null) response.setHeader('Retry-After', String(retryAfter));
    const format = this.formats.find((candidate) => candidate.applies(request.path ?? ''));
    if (format) format.send(response.status(body.statusCode), body);
    else response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof DomainError) {
      const statusCode = STATUS_BY_KIND[exception.kind];
      return {
        statusCode,
        error: REASON[statusCode] ?? 'Error',
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      const fromPayload =
        typeof payload === 'object' && payload !== null ? (payload as Partial<ApiError>) : {};
      return {
        statusCode,
        error: REASON[statusCode] ?? fromPayload.error ?? 'Error',
        message: typeof fromPayload.message === 'string' ? fromPayload.message : exception.message,
        ...(fromPayload.code ? { code: fromPayload.code } : {}),
        ...(fromPayload.details ? { details: fromPayload.details } : {}),
      };
    }
    // Body-parser failures (malformed JSON, oversized body) arrive as plain errors with a status.
    const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: unknown }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'body: the request body is not valid JSON'
          : type === 'entity.too.large'
            ? 'body: the request body is too large'
            : 'body: the request could not be read';
      return {
        statusCode: status,
        error: REASON[status] ?? 'Bad Request',
        message,
        details: [{ field: 'body', message }],
      };
    }
    // PostgreSQL cancelled a statement that ran past DATABASE_STATEMENT_TIMEOUT_MS: busy, not broken.
    if (isStatementTimeout(exception))
      return {
        statusCode: 503,
        error: REASON[503]!,
        code: 'query_timeout',
        message: 'The service is busy: try again in a few seconds',
      };
    return { statusCode: 500, error: REASON[500]!, message: 'An unexpected error occurred' };
  }
}
