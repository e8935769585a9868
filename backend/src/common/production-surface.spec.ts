import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { loadConfig } from '../config/config.js';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  type TestEnvironment,
} from '../testing/test-app.js';
import { TEST_REDIS_URL } from '../testing/test-database.js';
import { expressRoutes } from '../testing/app-routes.js';
import { PRODUCTION_PROVIDERS, PRODUCTION_SECRETS } from '../testing/production-env.js';

const PRODUCTION = { ...PRODUCTION_SECRETS, ...PRODUCTION_PROVIDERS };

/** The same database, another configuration (a second process of the same deployment). */
function withEnv(environment: TestEnvironment, env: Record<string, string>): TestEnvironment {
  const config = loadConfig({
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: environment.config.queuePrefix,
    PUBLIC_BASE_URL: 'http://lien.test',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return { ...environment, config };
}

describe('a production-configured API', () => {
  let environment: TestEnvironment;
  let production: INestApplication;

  beforeAll(async () => {
    environment = await createTestEnvironment(PRODUCTION);
    production = await createTestApi(environment);
  });
  afterAll(async () => {
    await production?.close();
    await environment?.teardown();
  });

  it('has no /api/dev route at all (the built-in outboxes are not registered)', async () => {
    const routes = expressRoutes(production);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/auth/login', 'GET /api/users']));
    expect(routes.filter((route) => route.includes('/api/dev'))).toEqual([]);
    await request(production.getHttpServer()).get('/api/dev/outbox/email').expect(404);
    await request(production.getHttpServer()).get('/api/dev/outbox/sms').expect(404);
  });

  it('does not publish the OpenAPI documents unless OPENAPI_DOCS=public', async () => {
    await request(production.getHttpServer()).get('/api/docs-json').expect(404);
    await request(production.getHttpServer()).get('/api/docs').expect(404);
    const published = await createTestApi(withEnv(environment, { ...PRODUCTION, OPENAPI_DOCS: 'public' }));
    try {
      const document = await request(published.getHttpServer()).get('/api/docs-json').expect(200);
      expect((document.body as { openapi?: string }).openapi).toMatch(/^3\./);
      expect(
        Object.keys((document.body as { paths: object }).paths).some((p) => p.startsWith('/api/dev')),
      ).toBe(false);
    } finally {
      await published.close();
    }
  });

  it('bounds every API statement (statement_timeout on the pool connections)', async () => {
    const dataSource = dataSourceOf(production);
    const [shown] = await dataSource.query<Array<{ statement_timeout: string }>>('SHOW statement_timeout');
    expect(shown?.statement_timeout).toBe('15s');
  });
});

describe('a development API', () => {
  let environment: TestEnvironment;
  let app: INestApplication;

  beforeAll(async () => {
    environment = await createTestEnvironment({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    app = await createTestApi(environment);
  });
  afterAll(async () => {
    await app?.close();
    await environment?.teardown();
  });

  it('serves the built-in outboxes and the OpenAPI documents', async () => {
    expect(expressRoutes(app)).toEqual(
      expect.arrayContaining(['GET /api/dev/outbox/email', 'GET /api/dev/outbox/sms']),
    );
    await request(app.getHttpServer()).get('/api/docs-json').expect(200);
  });

  it('cancels a statement that runs beyond DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const dataSource = dataSourceOf(app);
    const [shown] = await dataSource.query<Array<{ statement_timeout: string }>>('SHOW statement_timeout');
    expect(shown?.statement_timeout).toBe('300ms');
    const started = Date.now();
    await expect(dataSource.query('SELECT pg_sleep(5)')).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '57014' }),
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    // The connection is still usable afterwards.
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('answers a request whose query ran out of time 503 query_timeout (Retry-After), never a bare 500', async () => {
    // Another session holds the users table: the sign-in lookup waits, and statement_timeout cancels it.
    const blocker = new pg.Client({ connectionString: environment.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const response = await request(app.getHttpServer())
        .post('/api/auth/login')
        .send({ email: 'nobody@lien.test', password: 'not-the-password-1' });
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'query_timeout' });
      expect(response.headers['retry-after']).toBe('5');
      expect(JSON.stringify(response.body)).not.toMatch(/users|statement|pg_|SELECT/i);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});
