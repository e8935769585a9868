import { HttpException, HttpStatus } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * Limits on what a request may carry before any controller, pipe or validator sees it. Bodies are parsed
 * once here (JSON and flat forms only), then checked for depth: class-transformer and class-validator
 * recurse, so a 5,000-deep body would overflow the stack (a 500) instead of being refused (a 400). Prototype
 * keys and NUL characters are refused too, and API queries are flat strings given once.
 */
export const JSON_BODY_LIMIT = '100kb';
export const FORM_BODY_LIMIT = '50kb';
/** Deepest legitimate body: settings patches (`smsTemplates.fr.invitation`) are 3 levels deep. */
export const MAX_BODY_DEPTH = 32;

const JSON_TYPES = ['application/json', 'application/*+json'];
const FORM_TYPE = 'application/x-www-form-urlencoded';

function refuse(status: number, code: string, message: string, field = 'body'): HttpException {
  return new HttpException({ message: `${field}: ${message}`, code, details: [{ field, message }] }, status);
}

/**
 * Keys that reach an object's prototype when class-transformer assigns them: `{"__proto__": {}}` replaces a
 * DTO's prototype, which skips its validation altogether. No legitimate body or query uses them.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** PostgreSQL text cannot hold NUL: refused at the door rather than failing in a query (a 500). */
const NUL = '\u0000';

export type BodyProblem =
  { kind: 'too_deep' } | { kind: 'forbidden_key' | 'nul_character'; field: string } | null;

/** The first problem of a parsed body, walked without recursion (it may be deeper than the stack). */
export function inspectBody(value: unknown, maxDepth: number): BodyProblem {
  if (typeof value === 'string' && value.includes(NUL)) return { kind: 'nul_character', field: 'body' };
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length) {
    const { value: current, depth, path } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return { kind: 'too_deep' };
    const isArray = Array.isArray(current);
    for (const key of Object.keys(current)) {
      const field = (isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key).slice(0, 200);
      if (!isArray && FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden_key', field };
      const child = (current as Record<string, unknown>)[key];
      if (key.includes(NUL) || (typeof child === 'string' && child.includes(NUL)))
        return { kind: 'nul_character', field };
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: depth + 1, path: field });
    }
  }
  return null;
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Body parsers and the checks that follow them, in order. Everything refused here leaves through the global
 * filter in the house error shape, with a code: `body_malformed`, `body_too_large`, `body_unsupported_type`,
 * `body_too_deep`, `body_forbidden_key`, `body_invalid_character`, `query_repeated`,
 * `query_forbidden_key`, `query_invalid_character`.
 */
export function requestLimits(): express.RequestHandler[] {
  const json = express.json({ limit: JSON_BODY_LIMIT, type: JSON_TYPES });
  // Flat forms only (`extended: false`): the questionnaire page and Twilio webhooks post name=value pairs.
  const form = express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: 200 });
  const checks = (request: Request, _response: Response, next: NextFunction): void => {
    const api = request.path.startsWith('/api/');
    // API routes speak JSON (and forms for webhooks); the parent pages answer odd bodies with their own page.
    if (api && hasBody(request) && request.headers['content-type'] !== undefined) {
      if (!request.is([...JSON_TYPES, FORM_TYPE]))
        return next(
          refuse(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            'body_unsupported_type',
            'must be sent as application/json (or a form where one is expected)',
          ),
        );
    }
    const problem = inspectBody(request.body, MAX_BODY_DEPTH);
    if (problem?.kind === 'too_deep')
      return next(
        refuse(HttpStatus.BAD_REQUEST, 'body_too_deep', `must not nest deeper than ${MAX_BODY_DEPTH} levels`),
      );
    if (problem?.kind === 'nul_character')
      return next(
        refuse(
          HttpStatus.BAD_REQUEST,
          'body_invalid_character',
          'must not contain NUL characters',
          problem.field,
        ),
      );
    if (problem?.kind === 'forbidden_key')
      return next(
        refuse(HttpStatus.BAD_REQUEST, 'body_forbidden_key', 'is not an accepted field', problem.field),
      );
    // The simple query parser gives strings, or arrays for repeated keys: no handler expects an array.
    if (api) {
      const query = request.query as Record<string, unknown>;
      for (const [key, value] of Object.entries(query)) {
        if (FORBIDDEN_KEYS.has(key))
          return next(
            refuse(HttpStatus.BAD_REQUEST, 'query_forbidden_key', 'is not an accepted parameter', key),
          );
        if (typeof value === 'string' && (value.includes(NUL) || key.includes(NUL)))
          return next(
            refuse(
              HttpStatus.BAD_REQUEST,
              'query_invalid_character',
              'must not contain NUL characters',
              key.replaceAll(NUL, '').slice(0, 100),
            ),
          );
        if (typeof value !== 'string')
          return next(
            refuse(HttpStatus.BAD_REQUEST, 'query_repeated', 'must be given once', key.slice(0, 100)),
          );
      }
    }
    next();
  };
  return [json, form, checks];
}

/** Body-parser failures, named: malformed JSON, too large, an unknown charset or encoding. */
export function bodyParserErrors(
  error: unknown,
  _request: Request,
  _response: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return next(error);
  switch (type) {
    case 'entity.parse.failed':
      return next(refuse(HttpStatus.BAD_REQUEST, 'body_malformed', 'is not valid JSON'));
    case 'entity.too.large':
      return next(refuse(HttpStatus.PAYLOAD_TOO_LARGE, 'body_too_large', 'is too large'));
    case 'parameters.too.many':
      return next(refuse(HttpStatus.PAYLOAD_TOO_LARGE, 'body_too_large', 'has too many fields'));
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return next(
        refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'body_unsupported_type', 'has an unsupported encoding'),
      );
    default: {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500)
        return next(refuse(status, 'body_unreadable', 'could not be read'));
      return next(error);
    }
  }
}
