import { RequestMethod, type INestApplication } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { expressRoutes, mountedHandlers } from '../testing/app-routes.js';
import { createTestApi, createTestEnvironment, type TestEnvironment } from '../testing/test-app.js';
import {
  badOperationIds,
  operationsOf,
  operationsWithoutErrors,
  operationsWithoutResult,
  operationsWithSeveralResults,
  unresolvedRefs,
} from './openapi-rules.js';
import { API_KEY_SCOPE_KEY, PARTNER_KEY_SCHEME } from './auth/decorators.js';
import { operationIdOf } from './openapi.js';
import { ALERT_REASONS, SMS_STATUSES } from '@lien/shared';

/** Routes deliberately left out of the document, and why. */
const PARENT_PAGE =
  'a parent’s HTML page, not an API: the JSON door is POST /api/public/questionnaires/{token}/responses';
const UNDOCUMENTED: Record<string, string> = {
  'GET /q/{token}': PARENT_PAGE,
  'POST /q/{token}': PARENT_PAGE,
  'GET /q/{token}/opt-out': PARENT_PAGE,
  'POST /q/{token}/opt-out': PARENT_PAGE,
  'POST /q/{token}/contact': PARENT_PAGE,
  'GET /q/{token}/privacy': PARENT_PAGE,
  'GET /q/{token}/accessibility': PARENT_PAGE,
  'POST /api/webhooks/twilio/status': 'called by Twilio only, signed with the Twilio auth token',
  'POST /api/webhooks/twilio/inbound': 'called by Twilio only, signed with the Twilio auth token',
};

/** Every route of the API and the parent pages Express knows (not the docs), as `METHOD /path/{param}`. */
function appRoutes(app: INestApplication): string[] {
  return expressRoutes(app)
    .map((route) => route.replace(/:(\w+)/g, '{$1}'))
    .filter((route) => {
      const path = route.slice(route.indexOf(' ') + 1);
      return (path.startsWith('/api') || path.startsWith('/q')) && !path.startsWith('/api/docs');
    });
}

/** Each handler's operationId and the status Nest answers with (`@HttpCode`, else 201 for POST, 200 otherwise). */
function handlerStatuses(app: INestApplication): { operationId: string; status: number }[] {
  return mountedHandlers(app).map(({ controller, name, handler }) => {
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
      (method === RequestMethod.POST ? 201 : 200);
    return { operationId: operationIdOf(controller.name, name), status };
  });
}

/** The scope the guard asks of a partner API key, per operationId, for the handlers that accept one. */
function handlerApiKeyScopes(app: INestApplication): Record<string, string> {
  const found: Record<string, string> = {};
  for (const { controller, name, handler } of mountedHandlers(app)) {
    const scope = (Reflect.getMetadata(API_KEY_SCOPE_KEY, handler) ??
      Reflect.getMetadata(API_KEY_SCOPE_KEY, controller)) as string | undefined;
    if (scope) found[operationIdOf(controller.name, name)] = scope;
  }
  return found;
}

describe('OpenAPI document', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createTestApi(environment);
    const response = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    document = response.body as OpenAPIObject;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('documents every route of the app', () => {
    const documented = new Set(
      operationsOf(document).map(({ method, path }) => `${method.toUpperCase()} ${path}`),
    );
    const routes = appRoutes(app);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((route) => !documented.has(route) && !UNDOCUMENTED[route])).toEqual([]);
  });

  it('gives every operation a 2xx answer with a schema (or a declared content type, or no body)', () => {
    expect(operationsWithoutResult(document)).toEqual([]);
  });

  it('describes every error answer with a schema, and 401 on every signed-in operation', () => {
    expect(operationsWithoutErrors(document)).toEqual([]);
  });

  it('has one shared error schema that the errors reference', () => {
    const schemas = document.components?.schemas ?? {};
    expect(schemas.ApiError).toMatchObject({
      required: expect.arrayContaining(['statusCode', 'error', 'message']) as unknown,
    });
    const login = document.paths['/api/auth/login']?.post;
    expect(login?.responses['401']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    });
  });

  it('documents one success answer per route, the status it really answers (redirects aside)', () => {
    expect(operationsWithSeveralResults(document)).toEqual([]);
    const byId = new Map(operationsOf(document).map(({ operation }) => [operation.operationId, operation]));
    const wrong = handlerStatuses(app).flatMap(({ operationId, status }) => {
      const operation = byId.get(operationId);
      if (!operation) return []; // left out on purpose (see the first test)
      const documented = Object.keys(operation.responses ?? {}).filter((code) => /^[23]/.test(code));
      if (documented.includes(String(status)) || documented.some((code) => code.startsWith('3'))) return [];
      return [`${operationId}: answers ${status}, documents ${documented.join(', ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('documents the shapes the household and screening features added, enums from their shared lists', () => {
    type Schema = {
      nullable?: boolean;
      enum?: string[];
      items?: Schema;
      properties?: Record<string, Schema>;
    };
    const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
    const detail = schemas.AlertDetail?.properties ?? {};
    expect(Object.keys(detail)).toEqual(
      expect.arrayContaining(['otherParent', 'contactRequest', 'contactRequestId']) as unknown,
    );
    expect(detail.parent?.nullable).toBe(true);
    expect(detail.parentId?.nullable).toBe(true);
    expect(detail.reasons?.items?.enum).toEqual([...ALERT_REASONS]);
    expect(schemas.SmsHistoryItem?.properties?.status?.enum).toEqual([...SMS_STATUSES]);
    expect(Object.keys(schemas.ParentDetail?.properties ?? {})).toEqual(
      expect.arrayContaining(['householdId', 'household']) as unknown,
    );
    expect(Object.keys(schemas.ReportParentIndicators?.properties ?? {})).toEqual(
      expect.arrayContaining(['births', 'bothParentsScreened', 'bothParentsScreenedRate']) as unknown,
    );
    expect(Object.keys(schemas.WaveSetting?.properties ?? {})).toEqual(
      expect.arrayContaining(['roles', 'rescreen']) as unknown,
    );
  });

  it('lists the partner API key scheme, with its scope, on exactly the operations the guard opens to keys', () => {
    expect(document.components?.securitySchemes?.[PARTNER_KEY_SCHEME]).toMatchObject({ scheme: 'bearer' });
    const documented: Record<string, unknown> = {};
    for (const { operation } of operationsOf(document)) {
      const schemes = (operation.security ?? []).flatMap((entry) => Object.keys(entry as object));
      if (schemes.includes(PARTNER_KEY_SCHEME)) {
        expect(schemes).toContain('bearer'); // users with the permission still call it
        documented[operation.operationId ?? ''] = (operation as Record<string, unknown>)['x-api-key-scope'];
      }
    }
    const guarded = handlerApiKeyScopes(app);
    expect(Object.keys(guarded).length).toBeGreaterThan(5);
    expect(documented).toEqual(guarded);
  });

  it('resolves every $ref', () => {
    expect(unresolvedRefs(document)).toEqual([]);
  });

  it('names every operation with a unique identifier', () => {
    expect(badOperationIds(document)).toEqual([]);
    expect(document.paths['/api/alerts']?.get?.operationId).toBe('listAlerts');
  });
});

describe('OpenAPI rules', () => {
  const base = { openapi: '3.0.0', info: { title: 't', version: '1' } };

  it('refuse an operation without a success schema or with two, a broken $ref and a duplicate operationId', () => {
    const document = {
      ...base,
      paths: {
        '/a': {
          get: { operationId: 'getA', responses: { '200': { description: 'ok' } } },
          post: {
            operationId: 'getA',
            security: [{ bearer: [] }],
            responses: {
              '201': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } },
              },
              '404': { description: 'no body' },
            },
          },
        },
        '/b': { delete: { operationId: 'deleteB', responses: { '204': { description: 'gone' } } } },
        '/c': {
          get: {
            operationId: 'getC',
            responses: {
              '200': { description: 'csv', content: { 'text/csv': { schema: { type: 'string' } } } },
              '204': { description: 'or nothing' },
            },
          },
        },
      },
    } as unknown as OpenAPIObject;
    expect(operationsWithoutResult(document)).toEqual(['GET /a']);
    expect(operationsWithSeveralResults(document)).toEqual(['GET /c: 200, 204']);
    expect(unresolvedRefs(document)).toEqual(['#/components/schemas/Missing']);
    expect(badOperationIds(document)).toEqual(['getA used 2 times']);
    expect(operationsWithoutErrors(document)).toEqual([
      'POST /a 404 has no schema',
      'POST /a is signed-in but has no 401',
    ]);
  });
});
