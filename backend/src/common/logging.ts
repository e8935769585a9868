import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config.js';

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
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
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
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
      ...(config.nodeEnv === 'test' ? { level: 'silent' } : {}),
    },
  };
}
