import request from 'supertest';
import type { OutboxEmail } from '@lien/shared';
import { makeOrganisation, signIn } from '../../testing/factories.js';
import {
  latestEmailTo,
  login,
  makeUserWithPassword,
  TEST_PASSWORD,
} from '../../testing/identity-factories.js';
import { REDACTED_LINK, redactCredentialLinks } from './email-outbox.service.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';
import { waitFor } from '../../testing/wait-for.js';

/** Every one-time token a body shows (query or fragment form of the set-password link). */
const tokensIn = (body: string): string[] =>
  [...body.matchAll(/token=([A-Za-z0-9_%-]{16,})/g)].map((match) => decodeURIComponent(match[1]!));

describe('the development email outbox cannot be used to take over an account', () => {
  let { environment, api, dataSource } = {} as TestApi;

  beforeAll(async () => ({ environment, api, dataSource } = await startTestApi()));
  afterAll(() => stopTestApi({ environment, api }));

  const outboxAs = async (token: string): Promise<OutboxEmail[]> =>
    (
      await request(api.getHttpServer())
        .get('/api/dev/outbox/email?limit=200')
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body as OutboxEmail[];

  it('reset requested for the admin by a professional: the professional sees nothing, the platform admin a masked link', async () => {
    const organisation = await makeOrganisation(dataSource);
    const admin = await makeUserWithPassword(dataSource, {
      role: 'org_admin',
      organisationId: organisation.id,
    });
    const professional = await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId: organisation.id,
    });
    const platformAdmin = await makeUserWithPassword(dataSource, { role: 'platform_admin' });
    const professionalToken = await signIn(dataSource, environment.config, professional);

    // 1. The professional asks a reset for their admin (public route, answered 202 whatever the address).
    await request(api.getHttpServer())
      .post('/api/users/password-reset/request')
      .send({ email: admin.email })
      .expect(202);
    const sent = await waitFor('the reset email', () => latestEmailTo(dataSource, admin.email));
    const [realToken] = tokensIn(sent.body);
    expect(realToken).toBeDefined();

    // 2. The professional reads the outbox: nothing addressed to the admin, no token at all.
    const seen = await outboxAs(professionalToken);
    expect(seen.filter((mail) => mail.to === admin.email)).toEqual([]);
    expect(seen.every((mail) => mail.to === professional.email)).toBe(true);
    const stolen = seen.flatMap((mail) => tokensIn(mail.body));
    expect(stolen).toEqual([]);

    // 3. Whatever a professional could try as a token is refused; the admin's password still works.
    for (const guess of [...stolen, 'x'.repeat(43)]) {
      const attempt = await request(api.getHttpServer())
        .post('/api/users/password/set')
        .send({ token: guess, password: 'Taken-Over-Account-2026!' });
      expect(attempt.status).toBeGreaterThanOrEqual(400);
      expect(attempt.status).toBeLessThan(500);
    }
    await login(api, { email: admin.email, password: TEST_PASSWORD }).expect(200);

    // 4. A platform admin sees every message, the admin's included, but its link masked.
    const all = await outboxAs(await signIn(dataSource, environment.config, platformAdmin));
    const adminMail = all.find((mail) => mail.id === sent.id);
    expect(adminMail).toBeDefined();
    expect(adminMail!.body).toContain(REDACTED_LINK);
    expect(adminMail!.body).not.toContain(realToken!);
    expect(tokensIn(adminMail!.body)).toEqual([]);
    expect(all.flatMap((mail) => (mail.to === platformAdmin.email ? [] : tokensIn(mail.body)))).toEqual([]);

    // 5. The admin, and only the admin, sees their own link whole.
    const own = await outboxAs(await signIn(dataSource, environment.config, admin));
    expect(own.map((mail) => mail.id)).toEqual([sent.id]);
    expect(tokensIn(own[0]!.body)).toContain(realToken);
  });

  it('masks every form of credential link, and leaves other links alone', () => {
    const body = [
      'https://lien.example/set-password?token=abcDEF123_-xyz',
      'https://lien.example/set-password#token=abcDEF123_-xyz',
      'http://localhost:3000/invitation?x=1&token=zzz',
      'https://lien.example/alerts/0d2c',
    ].join('\n');
    expect(redactCredentialLinks(body).split('\n')).toEqual([
      REDACTED_LINK,
      REDACTED_LINK,
      REDACTED_LINK,
      'https://lien.example/alerts/0d2c',
    ]);
  });
});
