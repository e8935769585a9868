import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import request from 'supertest';
import { PERMISSIONS } from '@lien/shared';
import { expressRoutes, mountedHandlers } from '../../testing/app-routes.js';
import { createTestApi, createTestEnvironment, type TestEnvironment } from '../../testing/test-app.js';
import { PERMISSION_KEY, PUBLIC_KEY } from './decorators.js';

interface DiscoveredRoute {
  method: string;
  path: string;
  handler: string;
  isPublic: boolean;
  permission: string | undefined;
}

const joinPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every controller route of the whole API module, with its auth markers (handler or class level). */
function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const reflector = new Reflector();
  return mountedHandlers(app).flatMap(({ controller, name, handler }) => {
    const prefixes = ([] as string[]).concat(
      (Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined) ?? '',
    );
    const paths = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler) as string | string[]);
    const method =
      RequestMethod[
        (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) ?? RequestMethod.GET
      ];
    return prefixes.flatMap((prefix) =>
      paths.map((path) => ({
        method,
        path: joinPath(prefix, path),
        handler: `${controller.name}.${name}`,
        isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, controller]) === true,
        permission: reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [handler, controller]),
      })),
    );
  });
}

describe('secure by default: every route of the API module', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let routes: DiscoveredRoute[];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createTestApi(environment);
    routes = discoverRoutes(app);
  });
  afterAll(async () => {
    await app.close();
    await environment.teardown();
  });

  it('finds the routes (sanity: the discovery sees this issue’s own controllers)', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'GET /api/organisations/:id/settings',
        'GET /api/users',
        'GET /api/audit',
        'GET /api/health',
        'GET /fhir/metadata',
        'GET /fhir/Patient/:id',
      ]),
    );
  });

  it('marks each route either @Public() or @RequirePermission(<known permission>), never both, never neither', () => {
    const unmarked = routes
      .filter((route) => !route.isPublic && !route.permission)
      .map((route) => `${route.method} ${route.path} (${route.handler})`);
    const both = routes
      .filter((route) => route.isPublic && route.permission)
      .map((route) => `${route.method} ${route.path} (${route.handler})`);
    const unknown = routes
      .filter((route) => route.permission && !(PERMISSIONS as readonly string[]).includes(route.permission))
      .map((route) => `${route.method} ${route.path}: ${route.permission ?? ''}`);
    expect({ unmarked, both, unknown }).toEqual({ unmarked: [], both: [], unknown: [] });
  });

  it('leaves no Express route of /api or /fhir outside the discovered controllers', () => {
    const discovered = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const served = expressRoutes(app).filter(
      (key) => /^\w+ \/(api|fhir)(\/|$)/.test(key) && !/^\w+ \/api\/docs/.test(key),
    );
    expect(served).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'PATCH /api/organisations/:id/settings']),
    );
    expect(served.filter((key) => !discovered.has(key))).toEqual([]);
  });

  it('answers 401 without a token on every non-public route (the guard runs before anything else)', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((candidate) => !candidate.isPublic)) {
      const path = route.path.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-4000-8000-000000000000');
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const response = await request(app.getHttpServer())[method](path).send({});
      if (response.status !== 401) failures.push(`${route.method} ${route.path} -> ${response.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses (403, fail closed) a route that would have no marker', async () => {
    const { GlobalAuthGuard } = await import('./auth.guard.js');
    const guard = new GlobalAuthGuard(new Reflector());
    class Unmarked {
      handler(): void {}
    }
    const context = {
      getHandler: () => Unmarked.prototype.handler,
      getClass: () => Unmarked,
      switchToHttp: () => ({ getRequest: () => ({ headers: {} }) }),
    } as unknown as Parameters<typeof guard.canActivate>[0];
    await expect(guard.canActivate(context)).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'route_without_permission',
    });
  });
});
