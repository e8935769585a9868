import { existsSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from './config/config.js';
import { bodyParserErrors, requestLimits } from './common/request-limits.js';
import { httpMetricsMiddleware } from './modules/metrics/http-metrics.js';
import { Metrics } from './modules/metrics/metrics.service.js';
import { requestContextMiddleware, requestIdMiddleware } from './common/request-context.js';
import { buildOpenApiDocument } from './common/openapi.js';
import { createValidationPipe } from './common/validation.js';

/** Everything an HTTP app needs, shared by `main.ts` and the tests so both run the same stack. */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', 'loopback, linklocal, uniquelocal');
  // Before anything that can fail, so every answer (errors included) carries X-Request-Id and is timed.
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.useLogger(app.get(Logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // Angular Material sets inline styles; no third-party origin anywhere.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Local http demos must not be upgraded to https.
          upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null,
        },
      },
      strictTransportSecurity: config.nodeEnv === 'production',
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.enableCors({ origin: [config.consoleOrigin], credentials: false, maxAge: 600 });
  // Strings only in queries (no `a[b]=` objects); bodies parsed, bounded and checked in request-limits.ts.
  http.set('query parser', 'simple');
  for (const handler of requestLimits()) app.use(handler);
  app.use(bodyParserErrors);
  app.use(requestContextMiddleware);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  // The API's map is not published in production unless OPENAPI_DOCS=public says so.
  if (config.openApiDocs === 'public') {
    const document = buildOpenApiDocument(app);
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  }

  if (config.consoleDir && existsSync(path.join(config.consoleDir, 'index.html')))
    serveConsole(http, config.consoleDir);
}

/**
 * The server's own paths (API, FHIR, metrics, and the parents' pages: /q and /depistage) never fall back to the
 * console, whatever the client accepts.
 */
const CONSOLE_FALLBACK = /^\/(?!api\/|api$|q\/|fhir\/|fhir$|metrics$|depistage\/|depistage$).*/;

/** The built console at `/`, with the SPA's deep links falling back to index.html. */
function serveConsole(http: express.Express, consoleDir: string): void {
  http.use(express.static(consoleDir, { index: false, maxAge: '1h' }));
  http.get(CONSOLE_FALLBACK, (request: Request, response: Response, next: NextFunction) => {
    if (!request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(path.join(consoleDir, 'index.html'));
  });
}
