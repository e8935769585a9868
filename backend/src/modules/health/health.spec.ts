import request from 'supertest';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

describe('GET /api/health (real Postgres and Redis)', () => {
  let { environment, api: app } = {} as TestApi;

  beforeAll(async () => {
    ({ environment, api: app } = await startTestApi());
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('answers 200 when both answer', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });

  it('answers 503 naming Redis when Redis does not answer', async () => {
    const down = await startTestApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await request(down.api.getHttpServer()).get('/api/health').expect(503);
      expect(response.body).toEqual({ status: 'degraded', postgres: 'up', redis: 'down' });
    } finally {
      await stopTestApi(down);
    }
  });

  it('answers unknown routes with the error shape and no stack', async () => {
    const response = await request(app.getHttpServer()).get('/api/does-not-exist').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js/);
  });
});
