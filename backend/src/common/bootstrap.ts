import { existsSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/config.js';
import { buildOpenApiDocument } from './openapi.js';
import { createValidationPipe } from './validation.js';

/** Everything an HTTP app needs, shared by `main.ts` and the tests so both run the same stack. */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', 'loopback, linklocal, uniquelocal');
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
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '50kb' }));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  if (config.consoleDir && existsSync(path.join(config.consoleDir, 'index.html')))
    serveConsole(http, config.consoleDir);
}

/** The built console at `/`, with the SPA's deep links falling back to index.html. */
function serveConsole(http: express.Express, consoleDir: string): void {
  http.use(express.static(consoleDir, { index: false, maxAge: '1h' }));
  http.get(/^\/(?!api\/|api$|q\/).*/, (request: Request, response: Response, next: NextFunction) => {
    if (!request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(path.join(consoleDir, 'index.html'));
  });
}
