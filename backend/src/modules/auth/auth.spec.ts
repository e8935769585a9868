import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { ROLE_PERMISSIONS } from '@lien/shared';
import { auditCount, auditEventOf, makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import { login, makeUserWithPassword, TEST_PASSWORD, totpCode } from '../../testing/identity-factories.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { RefreshTokenEntity } from '../users/refresh-token.entity.js';
import { UserEntity } from '../users/user.entity.js';
import {
  ACCOUNT_ATTEMPTS,
  IP_ATTEMPTS,
  LOCKOUT_MS,
  LOCKOUT_THRESHOLD,
  TOTP_ACCOUNT_ATTEMPTS,
} from './auth.service.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

let ipCounter = 0;
/** A fresh client address per test, so the per-IP budget of one test does not leak into another. */
const freshIp = (): string => `10.1.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

describe('sign-in, sessions and TOTP (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let organisation: OrganisationEntity;
  const http = () => request(app.getHttpServer());
  const me = (token: string) => http().get('/api/auth/me').auth(token, { type: 'bearer' });

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    organisation = await makeOrganisation(dataSource);
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  const newUser = (overrides: Partial<UserEntity> = {}) =>
    makeUserWithPassword(dataSource, { role: 'professional', organisationId: organisation.id, ...overrides });
  /** The session a password login from a fresh network answers. */
  const signedIn = async (user: UserEntity): Promise<Session> =>
    (await login(app, { email: user.email, password: TEST_PASSWORD }, freshIp()).expect(200)).body as Session;
  /** The session a refresh with `refreshToken` answers. */
  const refreshed = async (refreshToken: string): Promise<Session> =>
    (await http().post('/api/auth/refresh').send({ refreshToken }).expect(200)).body as Session;

  describe('POST /api/auth/login', () => {
    it('answers tokens that open the API, and audits the success', async () => {
      const user = await newUser({ email: 'Claire.Martin@pmi62.test'.toLowerCase() });
      const response = await login(
        app,
        { email: '  Claire.Martin@PMI62.test ', password: TEST_PASSWORD },
        freshIp(),
      ).expect(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: environment.config.accessTokenTtlSeconds,
      });
      const claims = jwt.verify(response.body.accessToken as string, environment.config.jwtSecret, {
        issuer: 'lien',
        audience: 'lien-console',
      }) as Record<string, unknown>;
      expect(claims).toMatchObject({
        sub: user.id,
        role: 'professional',
        org: organisation.id,
        sid: expect.any(String),
      });
      const profile = await me(response.body.accessToken as string).expect(200);
      expect(profile.body).toEqual({
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        role: 'professional',
        organisation: { id: organisation.id, name: organisation.name, timeZone: 'Europe/Paris' },
        territory: { departements: [], region: null },
        permissions: [...ROLE_PERMISSIONS.professional],
        mfa: { totpEnabled: false, required: false },
        oidcLinked: false,
      });
      const audit = await auditEventOf(dataSource, { action: 'auth.login.success', actorId: user.id });
      expect(audit).toMatchObject({
        organisationId: organisation.id,
        targetId: user.id,
        metadata: { method: 'password' },
      });
      expect(audit.ip).toBeTruthy();
      const stored = await dataSource.getRepository(RefreshTokenEntity).findOneByOrFail({ userId: user.id });
      expect(stored.tokenHash).not.toBe(response.body.refreshToken);
      expect(stored.familyId).toBe(claims.sid);
    });

    it('gives the same answer for an unknown email and a wrong password, and audits both without the address', async () => {
      const user = await newUser();
      const ip = freshIp();
      const unknown = await login(app, { email: 'nobody-here@lien.test', password: TEST_PASSWORD }, ip)
        .set('X-Request-Id', 'oracle-check')
        .expect(401);
      const wrong = await login(app, { email: user.email, password: 'Wrong-password-123' }, ip)
        .set('X-Request-Id', 'oracle-check')
        .expect(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.body).toMatchObject({ statusCode: 401, code: 'invalid_credentials' });
      const failures = await dataSource
        .getRepository(AuditEventEntity)
        .find({ where: { action: 'auth.login.failure' }, order: { id: 'DESC' }, take: 2 });
      const [wrongEvent, unknownEvent] = failures;
      expect(unknownEvent).toMatchObject({
        actorId: null,
        organisationId: null,
        targetId: null,
        metadata: { method: 'password', reason: 'unknown_account' },
      });
      expect(JSON.stringify(unknownEvent)).not.toContain('nobody-here');
      expect(wrongEvent).toMatchObject({
        actorId: user.id,
        targetId: user.id,
        metadata: { reason: 'bad_password' },
      });
    });

    it('takes as long for an unknown email as for a wrong password (a dummy hash is verified)', async () => {
      const user = await newUser();
      const durations = { unknown: [] as number[], wrong: [] as number[] };
      for (let round = 0; round < 6; round += 1) {
        for (const kind of ['unknown', 'wrong'] as const) {
          const started = process.hrtime.bigint();
          await login(
            app,
            {
              email: kind === 'unknown' ? `ghost-${round}@lien.test` : user.email,
              password: 'Wrong-password-123',
            },
            freshIp(),
          ).expect(401);
          durations[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      const median = (values: number[]) =>
        [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
      const ratio = median(durations.unknown) / median(durations.wrong);
      // Without the dummy verification an unknown email answers in ~2 ms against ~30+ ms: a ratio near 0.05.
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });

    it('locks the account after repeated failures, even for the right password, until the lock expires', async () => {
      const user = await newUser();
      const ip = freshIp();
      for (let attempt = 0; attempt < LOCKOUT_THRESHOLD; attempt += 1) {
        await login(app, { email: user.email, password: 'Wrong-password-123' }, ip).expect(401);
      }
      const locked = await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(401);
      expect(locked.body.code).toBe('invalid_credentials');
      const row = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(row.lockedUntil?.getTime()).toBe(environment.clock.now().getTime() + LOCKOUT_MS);
      expect(await auditCount(dataSource, { action: 'auth.lockout', targetId: user.id })).toBe(1);

      environment.clock.advance(LOCKOUT_MS + 1_000);
      await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(200);
      const after = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(after).toMatchObject({ failedLogins: 0, lockedUntil: null });
    });

    it('throttles an IP address after too many attempts (429), while other addresses still sign in', async () => {
      const user = await newUser();
      const ip = freshIp();
      for (let attempt = 0; attempt < IP_ATTEMPTS.limit; attempt += 1) {
        await login(app, { email: `spray-${attempt}@lien.test`, password: 'Wrong-password-123' }, ip).expect(
          401,
        );
      }
      const throttled = await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(429);
      expect(throttled.body).toMatchObject({
        statusCode: 429,
        code: 'too_many_attempts',
        details: { retryAfterSeconds: expect.any(Number) },
      });
      await login(app, { email: user.email, password: TEST_PASSWORD }, freshIp()).expect(200);
    });

    it('throttles every address of one IPv6 /64 together, not the next /64, and says when to retry', async () => {
      const user = await newUser();
      for (let attempt = 0; attempt < IP_ATTEMPTS.limit; attempt += 1) {
        // A new address of the same /64 for every attempt: rotating addresses does not buy more guesses.
        const address = `2001:db8:62:1:${(attempt + 1).toString(16)}:${attempt.toString(16)}::7`;
        await login(
          app,
          { email: `v6-${attempt}@lien.test`, password: 'Wrong-password-123' },
          address,
        ).expect(401);
      }
      const throttled = await login(
        app,
        { email: user.email, password: TEST_PASSWORD },
        '2001:db8:62:1:dead:beef:0:1',
      ).expect(429);
      const retryAfter = Number(throttled.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(IP_ATTEMPTS.windowSeconds);
      expect(throttled.body).toMatchObject({
        statusCode: 429,
        code: 'too_many_attempts',
        details: { retryAfterSeconds: retryAfter },
      });
      await login(app, { email: user.email, password: TEST_PASSWORD }, '2001:db8:62:2::1').expect(200);
    });

    it('counts an IPv4 client the same whether seen as IPv4 or IPv4-mapped IPv6', async () => {
      const half = IP_ATTEMPTS.limit / 2;
      for (let attempt = 0; attempt < IP_ATTEMPTS.limit; attempt += 1) {
        const address = attempt < half ? '198.51.100.62' : '::ffff:198.51.100.62';
        await login(app, { email: `mapped-${attempt}@lien.test`, password: 'x' }, address).expect(401);
      }
      await login(app, { email: 'mapped-last@lien.test', password: 'x' }, '198.51.100.62').expect(429);
    });

    it('limits the attempts on one account from any number of networks (429), known or unknown address', async () => {
      const user = await newUser();
      for (let attempt = 0; attempt < ACCOUNT_ATTEMPTS.limit; attempt += 1) {
        await login(app, { email: user.email, password: 'Wrong-password-123' }, freshIp()).expect(401);
      }
      const throttled = await login(app, { email: user.email, password: TEST_PASSWORD }, freshIp()).expect(
        429,
      );
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.body.code).toBe('too_many_attempts');

      // The same answer for an address without an account: the throttle tells nothing about who exists.
      for (let attempt = 0; attempt < ACCOUNT_ATTEMPTS.limit; attempt += 1) {
        await login(app, { email: 'ghost@lien.test', password: 'Wrong-password-123' }, freshIp()).expect(401);
      }
      await login(app, { email: 'ghost@lien.test', password: 'x' }, freshIp()).expect(429);
      // Other accounts, from the same networks, are not affected.
      const other = await newUser();
      await login(app, { email: other.email, password: TEST_PASSWORD }, freshIp()).expect(200);
    });

    it('refuses inactive accounts and accounts without a password with the same answer', async () => {
      const inactive = await newUser({ active: false });
      const invited = await makeUser(dataSource, { role: 'professional', organisationId: organisation.id });
      const ip = freshIp();
      const a = await login(app, { email: inactive.email, password: TEST_PASSWORD }, ip)
        .set('X-Request-Id', 'oracle-check')
        .expect(401);
      const b = await login(app, { email: invited.email, password: TEST_PASSWORD }, ip)
        .set('X-Request-Id', 'oracle-check')
        .expect(401);
      expect(a.body).toEqual(b.body);
      expect(a.body.code).toBe('invalid_credentials');
    });

    it('answers 400 naming the field for a malformed body, never 500', async () => {
      const response = await http()
        .post('/api/auth/login')
        .send({ email: 42, password: ['x'] })
        .expect(400);
      expect((response.body.details as Array<{ field: string }>).map((detail) => detail.field)).toEqual(
        expect.arrayContaining(['email', 'password']),
      );
    });
  });

  describe('refresh tokens', () => {
    it('rotate: the new pair works, the old refresh token is marked rotated', async () => {
      const user = await newUser();
      const first = await signedIn(user);
      const second = await refreshed(first.refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await me(second.accessToken).expect(200);
      const rows = await dataSource
        .getRepository(RefreshTokenEntity)
        .find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
      expect(rows).toHaveLength(2);
      expect(rows[0]?.rotatedAt).not.toBeNull();
      expect(rows[1]?.rotatedAt).toBeNull();
      expect(rows[0]?.familyId).toBe(rows[1]?.familyId);
    });

    it('reuse of a rotated token revokes the whole family: every token and access token of it stops working', async () => {
      const user = await newUser();
      const first = await signedIn(user);
      const second = await refreshed(first.refreshToken);
      const reuse = await http()
        .post('/api/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(401);
      expect(reuse.body.code).toBe('refresh_token_reused');
      await http().post('/api/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
      await me(second.accessToken).expect(401);
      await me(first.accessToken).expect(401);
      const rows = await dataSource.getRepository(RefreshTokenEntity).findBy({ userId: user.id });
      expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
      expect(await auditCount(dataSource, { action: 'auth.refresh.reuse', actorId: user.id })).toBe(1);
    });

    it('two concurrent refreshes with one token: one wins, the family is then revoked', async () => {
      const user = await newUser();
      const first = await signedIn(user);
      const results = await Promise.all(
        [1, 2].map(() => http().post('/api/auth/refresh').send({ refreshToken: first.refreshToken })),
      );
      expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
      const winner = results.find((result) => result.status === 200)?.body as { accessToken: string };
      await me(winner.accessToken).expect(401);
    });

    it('expire after the refresh TTL, and unknown tokens are refused', async () => {
      const user = await newUser();
      const first = await signedIn(user);
      environment.clock.advance(environment.config.refreshTokenTtlSeconds * 1000 + 1_000);
      const expired = await http()
        .post('/api/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(401);
      expect(expired.body.code).toBe('refresh_token_expired');
      await http().post('/api/auth/refresh').send({ refreshToken: 'not-a-token' }).expect(401);
    });

    it('end at the absolute lifetime however often they are refreshed (rotation never extends a session)', async () => {
      const { refreshTokenTtlSeconds, refreshTokenAbsoluteTtlSeconds } = environment.config;
      expect(refreshTokenAbsoluteTtlSeconds).toBeGreaterThan(refreshTokenTtlSeconds);
      const user = await newUser();
      const start = environment.clock.now().getTime();
      let current = await signedIn(user);
      // Refresh well within the sliding window, again and again, up to just before the absolute end.
      const step = Math.floor((refreshTokenTtlSeconds * 1000) / 2);
      while (environment.clock.now().getTime() + step < start + refreshTokenAbsoluteTtlSeconds * 1000) {
        environment.clock.advance(step);
        current = await refreshed(current.refreshToken);
      }
      const rows = await dataSource.getRepository(RefreshTokenEntity).findBy({ userId: user.id });
      expect(rows.length).toBeGreaterThan(1);
      for (const row of rows) {
        expect(row.sessionExpiresAt.getTime()).toBe(start + refreshTokenAbsoluteTtlSeconds * 1000);
        expect(row.expiresAt.getTime()).toBeLessThanOrEqual(row.sessionExpiresAt.getTime());
      }
      // The last access token does not outlive the session either.
      expect(current.expiresIn).toBeLessThanOrEqual(environment.config.accessTokenTtlSeconds);

      environment.clock.set(new Date(start + refreshTokenAbsoluteTtlSeconds * 1000 + 1_000));
      const ended = await http()
        .post('/api/auth/refresh')
        .send({ refreshToken: current.refreshToken })
        .expect(401);
      expect(ended.body.code).toBe('refresh_token_expired');
    });

    it('logout revokes the family: access and refresh tokens stop working at once', async () => {
      const user = await newUser();
      const session = await signedIn(user);
      await me(session.accessToken).expect(200);
      await http().post('/api/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
      await me(session.accessToken).expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
      await http().post('/api/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
      expect(await auditCount(dataSource, { action: 'auth.logout', actorId: user.id })).toBe(1);
    });
  });

  describe('access tokens', () => {
    it('refuses expired, forged, wrongly addressed, unsigned and revoked tokens with 401', async () => {
      const user = await makeUser(dataSource, { role: 'org_admin', organisationId: organisation.id });
      const valid = await signIn(dataSource, environment.config, user);
      await me(valid).expect(200);
      const { sid } = jwt.decode(valid) as { sid: string };
      const claims = { sub: user.id, role: user.role, org: user.organisationId, sid };
      const secret = environment.config.jwtSecret;
      const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, secret, {
        algorithm: 'HS256',
        issuer: 'lien',
        audience: 'lien-console',
      });
      const forged = jwt.sign(claims, 'another-secret-of-sufficient-length-0000', {
        algorithm: 'HS256',
        expiresIn: 900,
        issuer: 'lien',
        audience: 'lien-console',
      });
      const otherAudience = jwt.sign(claims, secret, {
        algorithm: 'HS256',
        expiresIn: 900,
        issuer: 'lien',
        audience: 'someone-else',
      });
      const unsigned = jwt.sign(claims, '', { algorithm: 'none', issuer: 'lien', audience: 'lien-console' });
      const unknownSession = jwt.sign({ ...claims, sid: randomUUID() }, secret, {
        algorithm: 'HS256',
        expiresIn: 900,
        issuer: 'lien',
        audience: 'lien-console',
      });
      const garbageSubject = jwt.sign({ ...claims, sub: 'x' }, secret, {
        algorithm: 'HS256',
        expiresIn: 900,
        issuer: 'lien',
        audience: 'lien-console',
      });
      for (const token of [
        expired,
        forged,
        otherAudience,
        unsigned,
        unknownSession,
        garbageSubject,
        'not.a.jwt',
      ]) {
        const response = await me(token).expect(401);
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
      await http().get('/api/auth/me').expect(401);
      await dataSource.getRepository(RefreshTokenEntity).update({ familyId: sid }, { revokedAt: new Date() });
      await me(valid).expect(401);
    });

    it('stop working when the account is deactivated, and follow role changes at once', async () => {
      const user = await makeUser(dataSource, { role: 'org_admin', organisationId: organisation.id });
      const token = await signIn(dataSource, environment.config, user);
      await http().get('/api/users').auth(token, { type: 'bearer' }).expect(200);
      await dataSource.getRepository(UserEntity).update({ id: user.id }, { role: 'professional' });
      await http().get('/api/users').auth(token, { type: 'bearer' }).expect(403);
      await dataSource.getRepository(UserEntity).update({ id: user.id }, { active: false });
      await me(token).expect(401);
    });
  });

  describe('TOTP', () => {
    /** The code `secret` gives at the spec's clock. */
    const codeNow = (secret: string): Promise<string> => totpCode(secret, environment.clock.now());
    /** A code that is certainly wrong now. */
    const wrongCode = async (secret: string): Promise<string> =>
      (await codeNow(secret)) === '123456' ? '654321' : '123456';
    /** Signs in with the password and the code `secret` gives now, from `ip`: the session. */
    /** Posts a code to `path` (confirm or disable) with `session`'s token, from `ip`. */
    const postCode = (path: string, session: Session, ip: string) => (code: string) =>
      http()
        .post(path)
        .set('X-Forwarded-For', ip)
        .auth(session.accessToken, { type: 'bearer' })
        .send({ code });
    const signedInWithCode = async (user: UserEntity, secret: string, ip = freshIp()): Promise<Session> =>
      (
        await login(
          app,
          { email: user.email, password: TEST_PASSWORD, totp: await codeNow(secret) },
          ip,
        ).expect(200)
      ).body as Session;

    async function enableTotp(user: UserEntity): Promise<string> {
      const session = await signedIn(user);
      const setup = await http()
        .post('/api/auth/totp/setup')
        .auth(session.accessToken, { type: 'bearer' })
        .expect(200);
      expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Lien:.+secret=/);
      const secret = setup.body.secret as string;
      const stored = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(stored.totpSecretEnc).toBeTruthy();
      expect(stored.totpSecretEnc).not.toContain(secret);
      await http()
        .post('/api/auth/totp/confirm')
        .auth(session.accessToken, { type: 'bearer' })
        .send({ code: '000000' })
        .expect(400);
      await http()
        .post('/api/auth/totp/confirm')
        .auth(session.accessToken, { type: 'bearer' })
        .send({ code: await codeNow(secret) })
        .expect(200, { totpEnabled: true });
      environment.clock.advance(30_000);
      return secret;
    }

    it('once enabled, sign-in needs a valid, unused code', async () => {
      const user = await newUser();
      const secret = await enableTotp(user);
      const ip = freshIp();
      const missing = await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(401);
      expect(missing.body.code).toBe('totp_required');
      const wrong = await login(
        app,
        {
          email: user.email,
          password: TEST_PASSWORD,
          totp: await wrongCode(secret),
        },
        ip,
      ).expect(401);
      expect(wrong.body.code).toBe('totp_invalid');
      const code = await codeNow(secret);
      const ok = await login(app, { email: user.email, password: TEST_PASSWORD, totp: code }, ip).expect(200);
      expect((await me(ok.body.accessToken as string).expect(200)).body.mfa).toEqual({
        totpEnabled: true,
        required: false,
      });
      const replay = await login(app, { email: user.email, password: TEST_PASSWORD, totp: code }, ip).expect(
        401,
      );
      expect(replay.body.code).toBe('totp_invalid');
      environment.clock.advance(30_000);
      await signedInWithCode(user, secret, ip);
      // A wrong password with a valid code stays the generic answer.
      environment.clock.advance(30_000);
      const badPassword = await login(
        app,
        {
          email: user.email,
          password: 'Wrong-password-123',
          totp: await codeNow(secret),
        },
        ip,
      ).expect(401);
      expect(badPassword.body.code).toBe('invalid_credentials');
    });

    it('can be turned off with a valid code', async () => {
      const user = await newUser();
      const secret = await enableTotp(user);
      const session = await signedInWithCode(user, secret);
      environment.clock.advance(30_000);
      await http()
        .post('/api/auth/totp/disable')
        .auth(session.accessToken, { type: 'bearer' })
        .send({ code: await codeNow(secret) })
        .expect(200, { totpEnabled: false });
      await login(app, { email: user.email, password: TEST_PASSWORD }, freshIp()).expect(200);
    });

    it('locks confirmation after repeated wrong codes: 25 wrong codes end in 429, the right one is refused while locked', async () => {
      const user = await newUser();
      const ip = freshIp();
      const session = (await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(200))
        .body as Session;
      const confirm = postCode('/api/auth/totp/confirm', session, ip);
      const secret = (
        await http().post('/api/auth/totp/setup').auth(session.accessToken, { type: 'bearer' }).expect(200)
      ).body.secret as string;

      const statuses: number[] = [];
      for (let attempt = 0; attempt < 25; attempt += 1)
        statuses.push((await confirm(await wrongCode(secret))).status);
      expect(statuses.slice(0, LOCKOUT_THRESHOLD - 1)).toEqual(Array(LOCKOUT_THRESHOLD - 1).fill(400));
      expect(statuses.slice(LOCKOUT_THRESHOLD - 1)).toEqual(Array(25 - LOCKOUT_THRESHOLD + 1).fill(429));

      const refused = await confirm(await codeNow(secret)).expect(429);
      expect(refused.body.code).toBe('too_many_attempts');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const stored = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(stored.totpEnabled).toBe(false);
      expect(stored.lockedUntil?.getTime()).toBe(environment.clock.now().getTime() + LOCKOUT_MS);

      const audit = dataSource.getRepository(AuditEventEntity);
      const failures = await audit.findBy({ action: 'auth.totp.failure', targetId: user.id });
      expect(failures).toHaveLength(LOCKOUT_THRESHOLD);
      expect(
        failures.every((event) => event.actorId === user.id && event.metadata?.purpose === 'confirm'),
      ).toBe(true);
      const lockouts = await audit.findBy({ action: 'auth.lockout', targetId: user.id });
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]?.metadata).toEqual({ minutes: LOCKOUT_MS / 60_000, via: 'totp' });
    });

    it('throttles and locks disabling too, and the lock holds at sign-in', async () => {
      const user = await newUser();
      const secret = await enableTotp(user);
      const ip = freshIp();
      const session = await signedInWithCode(user, secret, ip);
      environment.clock.advance(30_000);
      const disable = postCode('/api/auth/totp/disable', session, ip);
      for (let attempt = 1; attempt < LOCKOUT_THRESHOLD; attempt += 1) {
        await disable(await wrongCode(secret)).expect(400);
      }
      await disable(await wrongCode(secret)).expect(429);
      await disable(await codeNow(secret)).expect(429);
      // The lock is the account's: the password and a right code do not sign in either (generic answer).
      const locked = await login(
        app,
        { email: user.email, password: TEST_PASSWORD, totp: await codeNow(secret) },
        freshIp(),
      ).expect(401);
      expect(locked.body.code).toBe('invalid_credentials');
      expect((await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).totpEnabled).toBe(
        true,
      );
      const failures = await dataSource
        .getRepository(AuditEventEntity)
        .findBy({ action: 'auth.totp.failure', targetId: user.id });
      expect(failures.filter((event) => event.metadata?.purpose === 'disable')).toHaveLength(
        LOCKOUT_THRESHOLD,
      );
    });

    it('throttles TOTP checks per account across networks, whatever the lockout counter says', async () => {
      const user = await newUser();
      const session = await signedIn(user);
      const secret = (
        await http().post('/api/auth/totp/setup').auth(session.accessToken, { type: 'bearer' }).expect(200)
      ).body.secret as string;
      const confirm = async (): Promise<number> =>
        (
          await http()
            .post('/api/auth/totp/confirm')
            .set('X-Forwarded-For', freshIp())
            .auth(session.accessToken, { type: 'bearer' })
            .send({ code: await wrongCode(secret) })
        ).status;
      for (let attempt = 0; attempt < TOTP_ACCOUNT_ATTEMPTS.limit; attempt += 1) {
        // Keep the PostgreSQL lockout out of the way: this is the Redis budget on its own.
        await dataSource.getRepository(UserEntity).update(user.id, { failedLogins: 0 });
        expect(await confirm()).toBe(400);
      }
      await dataSource.getRepository(UserEntity).update(user.id, { failedLogins: 0 });
      expect(await confirm()).toBe(429);
    });

    it('an organisation that requires MFA makes users without TOTP enrol before their first session', async () => {
      const strict = await makeOrganisation(dataSource, {
        name: 'Maternité stricte',
        settings: { requireMfa: true },
      });
      const user = await newUser({ organisationId: strict.id });
      const ip = freshIp();
      const first = await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(401);
      expect(first.body).toMatchObject({
        code: 'totp_enrolment_required',
        details: { enrolmentToken: expect.any(String) },
      });
      expect(await dataSource.getRepository(RefreshTokenEntity).countBy({ userId: user.id })).toBe(0);
      const enrolmentToken = first.body.details.enrolmentToken as string;

      await http().post('/api/auth/totp/enrol/setup').send({ enrolmentToken: 'forged-token' }).expect(401);
      const setup = await http().post('/api/auth/totp/enrol/setup').send({ enrolmentToken }).expect(200);
      const secret = setup.body.secret as string;
      await http().post('/api/auth/totp/enrol/confirm').send({ enrolmentToken, code: '000000' }).expect(400);
      const session = await http()
        .post('/api/auth/totp/enrol/confirm')
        .send({ enrolmentToken, code: await codeNow(secret) })
        .expect(200);
      const profile = await me(session.body.accessToken as string).expect(200);
      expect(profile.body.mfa).toEqual({ totpEnabled: true, required: true });
      await http().post('/api/auth/totp/enrol/setup').send({ enrolmentToken }).expect(401);

      environment.clock.advance(30_000);
      expect(
        (await login(app, { email: user.email, password: TEST_PASSWORD }, ip).expect(401)).body.code,
      ).toBe('totp_required');
      await signedInWithCode(user, secret, ip);
      await http()
        .post('/api/auth/totp/disable')
        .auth(session.body.accessToken as string, { type: 'bearer' })
        .send({ code: '000000' })
        .expect(409);
    });
  });

  describe('platform MFA setting off (the development and test default)', () => {
    it('lets platform admins and coordinators sign in with a password alone', async () => {
      expect(environment.config.mfaRequiredRoles.size).toBe(0);
      const admin = await makeUserWithPassword(dataSource, { role: 'platform_admin' });
      const coordinator = await makeUserWithPassword(dataSource, {
        role: 'coordinator',
        territoryDepartements: ['62'],
      });
      for (const user of [admin, coordinator]) {
        const session = await login(app, { email: user.email, password: TEST_PASSWORD }, freshIp()).expect(
          200,
        );
        expect((await me(session.body.accessToken as string).expect(200)).body.mfa).toEqual({
          totpEnabled: false,
          required: false,
        });
      }
    });
  });

  describe('OpenID Connect when not configured', () => {
    it('tells the console it is off, and /start answers 404', async () => {
      await http().get('/api/auth/oidc/config').expect(200, { enabled: false, displayName: null });
      await http().get('/api/auth/oidc/start').expect(404);
      const callback = await http().get('/api/auth/oidc/callback?code=x&state=y').expect(302);
      expect(callback.headers.location).toBe('http://lien.test/auth/callback#error=oidc_failed');
    });
  });

  describe('POST /api/auth/password', () => {
    it('changes the password with the current one, ends other sessions and keeps this one', async () => {
      const user = await newUser();
      const other = await signedIn(user);
      const current = await signedIn(user);
      await http()
        .post('/api/auth/password')
        .auth(current.accessToken, { type: 'bearer' })
        .send({ currentPassword: 'nope-nope-nope-1', newPassword: 'Another-Good-Pass-77' })
        .expect(400);
      const weak = await http()
        .post('/api/auth/password')
        .auth(current.accessToken, { type: 'bearer' })
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'short' })
        .expect(400);
      expect(weak.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'newPassword' })]),
      );
      await http()
        .post('/api/auth/password')
        .auth(current.accessToken, { type: 'bearer' })
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'Another-Good-Pass-77' })
        .expect(204);
      await me(current.accessToken).expect(200);
      await me(other.accessToken).expect(401);
      await login(app, { email: user.email, password: 'Another-Good-Pass-77' }, freshIp()).expect(200);
    });
  });
});
