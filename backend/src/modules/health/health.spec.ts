import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApi, createTestEnvironment, type TestEnvironment } from '../../testing/test-app.js';

describe('GET /api/health (real Postgres and Redis)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createTestApi(environment);
  });
  afterAll(async () => {
    await app.close();
    await environment.teardown();
  });

  it('answers 200 when both answer', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });

  it('answers 503 naming Redis when Redis does not answer', async () => {
    const downEnvironment = await createTestEnvironment({ REDIS_URL: 'redis://127.0.0.1:1' });
    const downApp = await createTestApi(downEnvironment);
    try {
      const response = await request(downApp.getHttpServer()).get('/api/health').expect(503);
      expect(response.body).toEqual({ status: 'degraded', postgres: 'up', redis: 'down' });
    } finally {
      await downApp.close();
      await downEnvironment.teardown();
    }
  });

  it('answers unknown routes with the error shape and no stack', async () => {
    const response = await request(app.getHttpServer()).get('/api/does-not-exist').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js/);
  });
});
