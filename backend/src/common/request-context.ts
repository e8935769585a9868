import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request id of the work under way (an HTTP request, or a job a request caused), kept in async context so
 * that log lines, audit events and the jobs a request enqueues carry it without threading it through every call.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept only when short and plain (it lands in logs and headers); otherwise a fresh uuid. */
export function acceptRequestId(given: unknown): string {
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Where an HTTP request came from and under which id: what audit events record and rate limits count on. */
export interface RequestOrigin {
  /** The client's address (behind the configured proxies), or null when its socket is already gone. */
  ip: string | null;
  requestId: string | null;
}

/** The one reader of a request's address and id (`req.id` is fixed by `requestIdMiddleware`). */
export function requestOrigin(request: IncomingMessage & { ip?: string; id?: unknown }): RequestOrigin {
  return {
    ip: request.ip ?? request.socket.remoteAddress ?? null,
    requestId: typeof request.id === 'string' ? request.id : null,
  };
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `work` with `requestId` as the current request id (a worker processing a job a request caused). */
export function withRequestId<T>(requestId: string | undefined, work: () => T): T {
  return requestId ? storage.run({ requestId }, work) : work();
}

/**
 * First middleware of the HTTP app: fixes the request's id (`req.id`, which pino-http and the audit decorator
 * read), echoes it on the response before anything can fail, and opens the async context.
 */
export function requestIdMiddleware(
  request: IncomingMessage & { id?: unknown },
  response: ServerResponse,
  next: () => void,
): void {
  const requestId = acceptRequestId(request.headers['x-request-id']);
  request.id = requestId;
  response.setHeader(REQUEST_ID_HEADER, requestId);
  storage.run({ requestId }, next);
}

/** Re-enters the request's context after middlewares that lose it (body parsers resume on stream events). */
export function requestContextMiddleware(
  request: IncomingMessage & { id?: unknown },
  _response: ServerResponse,
  next: () => void,
): void {
  if (typeof request.id === 'string' && currentRequestId() !== request.id)
    storage.run({ requestId: request.id }, next);
  else next();
}
