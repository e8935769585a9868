import request from 'supertest';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';
import { auditCount, makeOrganisation } from '../../testing/factories.js';
import { login, makeUserWithPassword, TEST_PASSWORD, totpCode } from '../../testing/identity-factories.js';
import type { UserEntity } from '../users/user.entity.js';

let ipCounter = 0;
const freshIp = (): string => `10.7.0.${++ipCounter}`;

// Its own file: the platform setting is configuration, read once when the app starts (one app per file).
describe('MFA required for the powerful roles (MFA_REQUIRED_ROLES, real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({
      environment,
      api: app,
      dataSource,
    } = await startTestApi({ MFA_REQUIRED_ROLES: 'platform_admin,coordinator' }));
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  /** Signs in through the enrolment flow the organisation-mandatory MFA uses; answers the session. */
  async function enrol(user: UserEntity): Promise<{ accessToken: string; secret: string }> {
    const first = await login(app, { email: user.email, password: TEST_PASSWORD }, freshIp()).expect(401);
    expect(first.body).toMatchObject({
      code: 'totp_enrolment_required',
      details: { enrolmentToken: expect.any(String) },
    });
    const enrolmentToken = first.body.details.enrolmentToken as string;
    const setup = await http().post('/api/auth/totp/enrol/setup').send({ enrolmentToken }).expect(200);
    const secret = setup.body.secret as string;
    const session = await http()
      .post('/api/auth/totp/enrol/confirm')
      .send({ enrolmentToken, code: await totpCode(secret, environment.clock.now()) })
      .expect(200);
    environment.clock.advance(30_000);
    return { accessToken: session.body.accessToken as string, secret };
  }

  it('sends a platform admin without TOTP through enrolment before any session, and keeps TOTP on', async () => {
    const admin = await makeUserWithPassword(dataSource, { role: 'platform_admin' });
    const { accessToken, secret } = await enrol(admin);
    const profile = await http().get('/api/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    expect(profile.body.mfa).toEqual({ totpEnabled: true, required: true });
    expect(await auditCount(dataSource, { action: 'auth.totp.enrolment_required', targetId: admin.id })).toBe(
      1,
    );
    // Cannot be turned off while the platform requires it.
    await http()
      .post('/api/auth/totp/disable')
      .auth(accessToken, { type: 'bearer' })
      .send({ code: await totpCode(secret, environment.clock.now()) })
      .expect(409);
    // From now on the password alone is not enough.
    const next = await login(app, { email: admin.email, password: TEST_PASSWORD }, freshIp()).expect(401);
    expect(next.body.code).toBe('totp_required');
    await login(
      app,
      { email: admin.email, password: TEST_PASSWORD, totp: await totpCode(secret, environment.clock.now()) },
      freshIp(),
    ).expect(200);
  });

  it('requires it of coordinators too', async () => {
    const coordinator = await makeUserWithPassword(dataSource, {
      role: 'coordinator',
      territoryDepartements: ['62'],
    });
    const { accessToken } = await enrol(coordinator);
    const profile = await http().get('/api/auth/me').auth(accessToken, { type: 'bearer' }).expect(200);
    expect(profile.body.mfa).toEqual({ totpEnabled: true, required: true });
  });

  it('leaves the roles not listed to their organisation’s setting', async () => {
    const organisation = await makeOrganisation(dataSource);
    const professional = await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId: organisation.id,
    });
    const session = await login(
      app,
      { email: professional.email, password: TEST_PASSWORD },
      freshIp(),
    ).expect(200);
    const profile = await http()
      .get('/api/auth/me')
      .auth(session.body.accessToken as string, { type: 'bearer' })
      .expect(200);
    expect(profile.body.mfa).toEqual({ totpEnabled: false, required: false });
  });
});
