import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics.service.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Times every HTTP answer under its route TEMPLATE (`/api/alerts/:id`, `/q/:token`), read from the matched
 * Express route when the answer finishes; requests no route matched are `unmatched`. The raw URL never becomes
 * a label: it can hold a questionnaire token, and unbounded labels would exhaust Prometheus.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpRequestDuration.startTimer();
    response.once('finish', () => {
      const path = (request.route as { path?: unknown } | undefined)?.path;
      stop({
        method: METHODS.has(request.method) ? request.method : 'OTHER',
        route: typeof path === 'string' ? path : path === undefined ? 'unmatched' : 'console',
        status_code: String(response.statusCode),
      });
    });
    next();
  };
}
