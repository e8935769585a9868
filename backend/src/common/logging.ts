import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/config.js';
import { acceptRequestId, currentRequestId } from './request-context.js';

/** Questionnaire links carry a secret token: logs keep only the route shape. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const path = url.split('?')[0] ?? '';
  return path
    .replace(/^\/q\/[^/]+/, '/q/:token')
    .replace(/^(\/api\/public\/questionnaires\/)[^/]+/, '$1:token');
}

/**
 * Structured JSON logs with no personal data: no bodies, no query strings (tokens), no auth headers,
 * only method, route shape, status, timing and request id.
 */
export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    // Set by requestIdMiddleware (validated X-Request-Id or a uuid); the fallback covers apps without it.
    genReqId: (req: IncomingMessage & { id?: unknown }) =>
      typeof req.id === 'string' ? req.id : acceptRequestId(req.headers['x-request-id']),
    // Every line written while a request, or a job a request caused, is under way names its request id.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
    autoLogging: {
      ignore: (req: IncomingMessage) => req.url === '/metrics' || req.url?.startsWith('/api/health') === true,
    },
    // Tests are silent unless they pass a destination to read the lines.
    ...(config.nodeEnv === 'test' && !destination ? { level: 'silent' } : {}),
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
