import type { INestApplication } from '@nestjs/common';
import { login } from '../../testing/identity-factories.js';
import { createTestApi, createTestEnvironment, type TestEnvironment } from '../../testing/test-app.js';
import { IP_ATTEMPTS } from './auth.service.js';

// Its own file: passport keeps strategies process-wide, so a second app in the same file would take over the first's.
describe('per-IP sign-in throttle across API processes (real Redis)', () => {
  let environment: TestEnvironment;
  let first: INestApplication;
  let second: INestApplication;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    first = await createTestApi(environment);
    second = await createTestApi(environment);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await environment.teardown();
  });

  it('counts attempts in Redis, so the limit holds whichever process answers', async () => {
    const ip = '10.9.0.1';
    for (let attempt = 0; attempt < IP_ATTEMPTS.limit; attempt += 1) {
      await login(
        attempt % 2 === 0 ? first : second,
        { email: `spread-${attempt}@lien.test`, password: 'x' },
        ip,
      ).expect(401);
    }
    const refused = await login(second, { email: 'spread-last@lien.test', password: 'x' }, ip).expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'too_many_attempts' });
    await login(first, { email: 'spread-last@lien.test', password: 'x' }, ip).expect(429);
    await login(first, { email: 'spread-last@lien.test', password: 'x' }, '10.9.0.2').expect(401);
  });
});
