import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import Provider from 'oidc-provider';
import request from 'supertest';
import type { LoginResponse } from '@lien/shared';
import { RateLimiter } from '../../common/auth/rate-limiter.js';
import { Clock } from '../../common/clock.js';
import { hashToken } from '../../common/crypto/field-encryption.service.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';
import { auditCount, auditEventOf, makeOrganisation, signIn as sessionFor } from '../../testing/factories.js';
import { makeUserWithPassword, totpCode } from '../../testing/identity-factories.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { AuthService } from './auth.service.js';
import { OIDC_BROWSER_COOKIE, OIDC_START_ALL, OidcService, rppsFromClaim } from './oidc.service.js';

/** Identities known to the local provider: Pro Santé Connect style (SubjectNameID = "8" + RPPS) and plain email ones. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'psc-rpps': {
    SubjectNameID: '810001234567',
    name: 'Dr Rpps',
    email: 'not-the-same@elsewhere.test',
    email_verified: true,
  },
  'psc-self-rpps': { SubjectNameID: '810009999999', email: 'self@elsewhere.test', email_verified: true },
  'psc-email': { email: 'Verified.Midwife@pmi62.test', email_verified: true },
  'psc-unknown': { email: 'stranger@nowhere.test', email_verified: true },
  'psc-linked': { email: 'linked@elsewhere.test', email_verified: true },
  'psc-inactive': { email: 'gone@elsewhere.test', email_verified: true },
  'psc-locked': { email: 'locked@elsewhere.test', email_verified: true },
  'psc-totp': { email: 'totp@elsewhere.test', email_verified: true },
  'psc-totp-2': { email: 'totp2@elsewhere.test', email_verified: true },
  'psc-linked-code': { email: 'code@elsewhere.test', email_verified: true },
  'psc-explicit': { email: 'explicit@elsewhere.test', email_verified: true },
};

const CLIENT_ID = 'lien-console';
const CLIENT_SECRET = 'a-client-secret-for-the-local-provider';

/** A tiny browser: follows redirects by hand, keeps cookies, answers the provider's login and consent pages. */
class Browser {
  readonly cookies = new Map<string, string>();

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header) || /max-age=0/i.test(header))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; bearer?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    };
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  /**
   * From the provider's authorization URL to the first redirect leaving the provider (the app's callback), signing
   * in as `accountId` and consenting on the way.
   */
  async signInAtProvider(authorizationUrl: string, issuer: string, accountId: string): Promise<string> {
    let url = authorizationUrl;
    for (let hop = 0; hop < 20; hop += 1) {
      const response = await this.request(url);
      if (response.status >= 300 && response.status < 400) {
        const next = new URL(response.headers.get('location') ?? '', url).toString();
        if (!next.startsWith(issuer)) return next;
        url = next;
        continue;
      }
      const html = await response.text();
      if (response.status !== 200)
        throw new Error(`provider answered ${response.status}: ${html.slice(0, 300)}`);
      const form: Record<string, string> = html.includes('name="login"')
        ? { prompt: 'login', login: accountId, password: 'any' }
        : { prompt: 'consent' };
      const submitted = await this.request(url, { method: 'POST', form });
      if (submitted.status < 300 || submitted.status >= 400)
        throw new Error(`interaction answered ${submitted.status}`);
      url = new URL(submitted.headers.get('location') ?? '', url).toString();
    }
    throw new Error('too many redirects at the provider');
  }
}

describe('OpenID Connect sign-in against a real local provider (oidc-provider)', () => {
  let providerServer: Server;
  let issuer: string;
  let { environment, api: app, dataSource } = {} as TestApi;
  let redis: Redis;
  let appBase: string;
  let organisationId: string;
  let platformAdmin: UserEntity;
  let orgAdmin: UserEntity;
  let emailUser: UserEntity;

  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // The local provider announces its development defaults on the console; they are expected here.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    providerServer = createServer();
    providerServer.listen(0, '127.0.0.1');
    await once(providerServer, 'listening');
    issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: ['http://lien.test/api/auth/oidc/callback'],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'SubjectNameID'] },
      findAccount: (_context, id) => {
        const claims = ACCOUNTS[id];
        return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
      },
      cookies: { keys: ['local-provider-cookie-key'] },
      features: { devInteractions: { enabled: true } },
    });
    providerServer.on('request', provider.callback());

    ({
      environment,
      api: app,
      dataSource,
    } = await startTestApi({
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_DISPLAY_NAME: 'Pro Santé Connect (local)',
    }));
    redis = app.get<Redis>(REDIS);
    appBase = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const organisation = await makeOrganisation(dataSource);
    organisationId = organisation.id;
    platformAdmin = await makeUserWithPassword(dataSource, {
      role: 'platform_admin',
      email: 'platform@lien.test',
    });
    orgAdmin = await makeUserWithPassword(dataSource, {
      role: 'org_admin',
      organisationId,
      email: 'admin@pmi62.test',
    });
    emailUser = await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId,
      email: 'verified.midwife@pmi62.test',
    });
  });
  /** The app's OIDC service as another configuration (`change` of the file's) would build it. */
  const oidcServiceWith = (
    change: (config: AppConfig, oidc: NonNullable<AppConfig['oidc']>) => AppConfig,
  ): OidcService => {
    const oidc = environment.config.oidc;
    if (!oidc) throw new Error('OIDC is configured in this file');
    return new OidcService(
      app.get(UsersRepository),
      app.get(AuthService),
      app.get(AuditService),
      redis,
      change(environment.config, oidc),
      app.get(RateLimiter),
      app.get(Clock),
    );
  };
  afterAll(async () => {
    await stopTestApi({ environment, api: app });
    providerServer.closeAllConnections();
    providerServer.close();
    jest.restoreAllMocks();
  });
  beforeEach(async () => {
    // Every test starts from 127.0.0.1: give each one the per-address budget afresh.
    const keys = await redis.keys(`${environment.config.queuePrefix}:ratelimit:oidc-start*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  /** The app's callback URL as the provider sent it (on the public base URL), re-pointed at the test server. */
  const onApp = (callbackUrl: string): string => {
    const url = new URL(callbackUrl);
    expect(`${url.origin}${url.pathname}`).toBe('http://lien.test/api/auth/oidc/callback');
    return `${appBase}${url.pathname}${url.search}`;
  };

  /** Start in `browser`, sign in at the provider: the callback URL the provider sends the browser to. */
  async function throughProvider(browser: Browser, accountId: string): Promise<string> {
    const started = await browser.request(`${appBase}/api/auth/oidc/start`);
    expect(started.status).toBe(302);
    const authorizationUrl = new URL(started.headers.get('location') ?? '');
    expect(authorizationUrl.origin).toBe(issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('state')).toBeTruthy();
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
    return onApp(await browser.signInAtProvider(authorizationUrl.toString(), issuer, accountId));
  }

  async function signIn(accountId: string): Promise<{ fragment: URLSearchParams; location: URL }> {
    const browser = new Browser();
    const finished = await browser.request(await throughProvider(browser, accountId));
    expect(finished.status).toBe(302);
    const location = new URL(finished.headers.get('location') ?? '');
    return { location, fragment: new URLSearchParams(location.hash.slice(1)) };
  }

  /** A full sign-in: the callback's one-time code exchanged for tokens. */
  async function signInWithTokens(accountId: string): Promise<LoginResponse> {
    const { fragment } = await signIn(accountId);
    const code = fragment.get('code');
    expect(fragment.get('error')).toBeNull();
    expect(code).toBeTruthy();
    return (await http().post('/api/auth/oidc/exchange').send({ code }).expect(200)).body as LoginResponse;
  }

  const bearer = (user: UserEntity) => sessionFor(dataSource, environment.config, user);
  /** PATCH `user`'s RPPS number to `rpps` as `by`, answered `status`. */
  const setRpps = async (user: UserEntity, rpps: string, by: UserEntity, status: number) =>
    http()
      .patch(`/api/users/${user.id}`)
      .auth(await bearer(by), { type: 'bearer' })
      .send({ rpps })
      .expect(status);

  /** A professional already linked to `subject` (as after an earlier sign-in). */
  const linkedProfessional = (subject: string, overrides: Partial<UserEntity> = {}) =>
    makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId,
      oidcSubject: subject,
      ...overrides,
    });

  it('tells the console that OIDC is on, with its label', async () => {
    await http()
      .get('/api/auth/oidc/config')
      .expect(200, { enabled: true, displayName: 'Pro Santé Connect (local)' });
  });

  describe('the flow is bound to the browser that started it', () => {
    it('sets an HttpOnly, SameSite=Lax cookie scoped to the callback, and clears it on the callback', async () => {
      const browser = new Browser();
      const started = await browser.request(`${appBase}/api/auth/oidc/start`);
      const cookie = started.headers
        .getSetCookie()
        .find((header) => header.startsWith(`${OIDC_BROWSER_COOKIE}=`));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; Path=\/api\/auth\/oidc\/callback(;|$)/);
      expect(cookie).toMatch(/; HttpOnly(;|$)/);
      expect(cookie).toMatch(/; SameSite=Lax(;|$)/);
      expect(cookie).toMatch(/; Max-Age=600(;|$)/);
      expect(cookie).not.toMatch(/Secure/); // the public URL of this test is http
      const callback = onApp(
        await browser.signInAtProvider(started.headers.get('location') ?? '', issuer, 'psc-unknown'),
      );
      const finished = await browser.request(callback);
      expect(
        finished.headers.getSetCookie().find((header) => header.startsWith(`${OIDC_BROWSER_COOKIE}=;`)),
      ).toMatch(/Max-Age=0/);
      expect(browser.cookies.has(OIDC_BROWSER_COOKIE)).toBe(false);
    });

    it('marks the cookie Secure when the public URL is https', async () => {
      const https = oidcServiceWith((config) => ({ ...config, publicBaseUrl: 'https://lien.example' }));
      const started = await https.start({ ip: '192.0.2.1', actorId: null, organisationId: null });
      expect(started?.cookie).toMatch(/; Secure$/);
      expect(new URL(started?.url ?? '').searchParams.get('redirect_uri')).toBe(
        'https://lien.example/api/auth/oidc/callback',
      );
    });

    it('refuses a callback from a browser without the cookie (400 oidc_browser_mismatch), and with another flow’s cookie', async () => {
      const victim = new Browser();
      const callback = await throughProvider(victim, 'psc-unknown');
      // Login CSRF: the callback delivered to a browser that never started this flow.
      const attacker = new Browser();
      const refused = await attacker.request(callback);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
      expect(await refused.json()).toMatchObject({ statusCode: 400, code: 'oidc_browser_mismatch' });

      // A browser holding the cookie of a flow of its own is refused too.
      const other = new Browser();
      await other.request(`${appBase}/api/auth/oidc/start`);
      expect(other.cookies.has(OIDC_BROWSER_COOKIE)).toBe(true);
      const mismatched = await other.request(callback);
      expect(mismatched.status).toBe(400);
      // The binding is single use: cleared on a refusal too.
      expect(mismatched.headers.getSetCookie().join('\n')).toContain(`${OIDC_BROWSER_COOKIE}=;`);
      expect(other.cookies.has(OIDC_BROWSER_COOKIE)).toBe(false);
      expect(((await mismatched.json()) as { code: string }).code).toBe('oidc_browser_mismatch');

      const failures = await dataSource.getRepository(AuditEventEntity).find({
        where: { action: 'auth.login.failure' },
      });
      const reasons = failures.map((event) => (event.metadata as { reason?: string }).reason);
      expect(reasons).toEqual(expect.arrayContaining(['no_browser_binding', 'browser_mismatch']));
    });

    it('refuses a replayed state, even from the browser that started it with its cookie kept', async () => {
      await linkedProfessional('psc-linked');
      const browser = new Browser();
      const callback = await throughProvider(browser, 'psc-linked');
      const cookie = browser.cookies.get(OIDC_BROWSER_COOKIE) ?? '';
      const first = await browser.request(callback);
      expect(
        new URLSearchParams(new URL(first.headers.get('location') ?? '').hash.slice(1)).get('code'),
      ).toBeTruthy();
      browser.cookies.set(OIDC_BROWSER_COOKIE, cookie);
      const replay = await browser.request(callback);
      expect(replay.status).toBe(302);
      expect(new URL(replay.headers.get('location') ?? '').hash).toBe('#error=oidc_expired');
    });

    it('refuses a forged state and reports a provider error', async () => {
      const browser = new Browser();
      await browser.request(`${appBase}/api/auth/oidc/start`);
      const forged = await browser.request(
        `${appBase}/api/auth/oidc/callback?code=abc&state=${'x'.repeat(43)}`,
      );
      expect(new URL(forged.headers.get('location') ?? '').hash).toBe('#error=oidc_expired');

      const started = await browser.request(`${appBase}/api/auth/oidc/start`);
      const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const denied = await browser.request(
        `${appBase}/api/auth/oidc/callback?error=access_denied&state=${state}`,
      );
      expect(new URL(denied.headers.get('location') ?? '').hash).toBe('#error=oidc_denied');
    });

    it('a code obtained for one sign-in cannot be used with the state of another (PKCE and state bind them)', async () => {
      const browser = new Browser();
      const first = await browser.request(`${appBase}/api/auth/oidc/start`);
      const callback = new URL(
        await browser.signInAtProvider(first.headers.get('location') ?? '', issuer, 'psc-unknown'),
      );
      const second = await browser.request(`${appBase}/api/auth/oidc/start`);
      const otherState = new URL(second.headers.get('location') ?? '').searchParams.get('state') ?? '';
      callback.searchParams.set('state', otherState);
      const swapped = await browser.request(onApp(callback.toString()));
      expect(new URL(swapped.headers.get('location') ?? '').hash).toBe('#error=oidc_failed');
    });

    it('limits the sign-ins started per client address, and in all, so pending states cannot fill Redis', async () => {
      for (let attempt = 0; attempt < 20; attempt += 1)
        await http().get('/api/auth/oidc/start').set('X-Forwarded-For', '198.51.100.7').expect(302);
      const limited = await http()
        .get('/api/auth/oidc/start')
        .set('X-Forwarded-For', '198.51.100.7')
        .expect(429);
      expect(limited.body.code).toBe('too_many_attempts');
      await http().get('/api/auth/oidc/start').set('X-Forwarded-For', '198.51.100.8').expect(302);

      const states = await redis.keys(`${environment.config.queuePrefix}:auth:oidc-state:*`);
      expect(states.length).toBeGreaterThan(0);
      for (const key of states) {
        const ttl = await redis.ttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(600);
      }
      // The overall cap: once that many flows are pending, no new one stores a state, from any address.
      await redis.set(app.get(RateLimiter).key('oidc-start', 'all'), String(OIDC_START_ALL.limit), 'EX', 600);
      await http().get('/api/auth/oidc/start').set('X-Forwarded-For', '203.0.113.9').expect(429);
      expect((await redis.keys(`${environment.config.queuePrefix}:auth:oidc-state:*`)).length).toBe(
        states.length,
      );
      await redis.del(app.get(RateLimiter).key('oidc-start', 'all'));
    });
  });

  describe('the console gets a one-time code, never tokens in a URL', () => {
    it('redirects with only a code in the fragment (no token anywhere in Location), exchanged once', async () => {
      const user = await linkedProfessional('psc-linked-code');
      const browser = new Browser();
      const finished = await browser.request(await throughProvider(browser, 'psc-linked-code'));
      expect(finished.status).toBe(302);
      const raw = finished.headers.get('location') ?? '';
      const location = new URL(raw);
      expect(`${location.origin}${location.pathname}`).toBe('http://lien.test/auth/callback');
      expect(location.search).toBe('');
      const fragment = new URLSearchParams(location.hash.slice(1));
      expect([...fragment.keys()]).toEqual(['code']);
      expect(raw).not.toMatch(/access|refresh|token|eyJ/i);
      const code = fragment.get('code') ?? '';
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Stored hashed, for about a minute.
      expect(await redis.get(`${environment.config.queuePrefix}:auth:oidc-code:${code}`)).toBeNull();
      const ttl = await redis.ttl(`${environment.config.queuePrefix}:auth:oidc-code:${hashToken(code)}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);

      const tokens = (await http().post('/api/auth/oidc/exchange').send({ code }).expect(200))
        .body as LoginResponse;
      await http()
        .get('/api/auth/me')
        .auth(tokens.accessToken, { type: 'bearer' })
        .expect(200)
        .expect((response) => expect(response.body).toMatchObject({ id: user.id, oidcLinked: true }));
      const replay = await http().post('/api/auth/oidc/exchange').send({ code }).expect(401);
      expect(replay.body.code).toBe('oidc_code_invalid');
      await http()
        .post('/api/auth/oidc/exchange')
        .send({ code: 'x'.repeat(43) })
        .expect(401);
      const missing = await http().post('/api/auth/oidc/exchange').send({}).expect(400);
      expect(JSON.stringify(missing.body)).toContain('code');

      const success = await auditEventOf(dataSource, { action: 'auth.login.success', actorId: user.id });
      expect(success.metadata).toEqual({ method: 'oidc' });
    });
  });

  describe('linking an identity to an account', () => {
    it('never links by e-mail: a verified e-mail matching an account is refused, no account made', async () => {
      const users = await dataSource.getRepository(UserEntity).count();
      const { fragment } = await signIn('psc-email');
      expect(fragment.get('error')).toBe('oidc_unknown_user');
      expect(fragment.get('code')).toBeNull();
      expect(
        (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: emailUser.id })).oidcSubject,
      ).toBeNull();
      expect(await dataSource.getRepository(UserEntity).count()).toBe(users);
    });

    it('refuses an identity matching no account', async () => {
      const { location, fragment } = await signIn('psc-unknown');
      expect(`${location.origin}${location.pathname}`).toBe('http://lien.test/auth/callback');
      expect(fragment.get('error')).toBe('oidc_unknown_user');
    });

    it('links by an RPPS number a platform admin recorded, and by the stored subject afterwards', async () => {
      const rppsUser = await makeUserWithPassword(dataSource, {
        role: 'professional',
        organisationId,
        email: 'dr.rpps@pmi62.test',
      });
      await setRpps(rppsUser, '10001234567', platformAdmin, 200);
      const recorded = await auditEventOf(dataSource, {
        action: 'user.rpps.recorded',
        targetId: rppsUser.id,
      });
      expect(recorded.actorId).toBe(platformAdmin.id);

      const tokens = await signInWithTokens('psc-rpps');
      await http()
        .get('/api/auth/me')
        .auth(tokens.accessToken, { type: 'bearer' })
        .expect(200)
        .expect((response) => expect(response.body).toMatchObject({ id: rppsUser.id, oidcLinked: true }));
      expect(
        (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: rppsUser.id })).oidcSubject,
      ).toBe('psc-rpps');
      const linked = await auditEventOf(dataSource, { action: 'auth.oidc.linked', targetId: rppsUser.id });
      expect(linked.metadata).toEqual({ matchedBy: 'rpps' });

      await signInWithTokens('psc-rpps');
      expect(await auditCount(dataSource, { action: 'auth.oidc.linked', targetId: rppsUser.id })).toBe(1);
    });

    it('refuses an RPPS set by anyone but a platform admin on another account (403), and such a number links nothing', async () => {
      const professional = await makeUserWithPassword(dataSource, { role: 'professional', organisationId });
      // The account holder (a platform admin on their own account), and an org admin for a peer or themselves.
      const self = await setRpps(platformAdmin, '10009999999', platformAdmin, 403);
      expect(self.body.code).toBe('rpps_platform_admin_only');
      for (const target of [professional, orgAdmin]) {
        const refused = await setRpps(target, '10009999999', orgAdmin, 403);
        expect(refused.body.code).toBe('rpps_platform_admin_only');
      }
      await http()
        .post('/api/users')
        .auth(await bearer(orgAdmin), { type: 'bearer' })
        .send({
          email: 'new.pro@pmi62.test',
          displayName: 'New Pro',
          role: 'professional',
          rpps: '10009999999',
        })
        .expect(403);
      expect(await dataSource.getRepository(UserEntity).countBy({ rpps: '10009999999' })).toBe(0);

      // A number written before this rule (no platform admin recorded it) links nothing.
      await dataSource.getRepository(UserEntity).update({ id: professional.id }, { rpps: '10009999999' });
      const { fragment } = await signIn('psc-self-rpps');
      expect(fragment.get('error')).toBe('oidc_unknown_user');
      expect(
        (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: professional.id })).oidcSubject,
      ).toBeNull();
    });

    it('links through an explicit step of the signed-in account holder, bound to their browser', async () => {
      const user = await makeUserWithPassword(dataSource, { role: 'professional', organisationId });
      await http().post('/api/auth/oidc/link/start').expect(401);
      const browser = new Browser();
      const token = await bearer(user);
      const started = await browser.request(`${appBase}/api/auth/oidc/link/start`, {
        method: 'POST',
        bearer: token,
      });
      expect(started.status).toBe(200);
      expect(browser.cookies.has(OIDC_BROWSER_COOKIE)).toBe(true);
      const { url } = (await started.json()) as { url: string };
      const callback = onApp(await browser.signInAtProvider(url, issuer, 'psc-explicit'));
      const finished = await browser.request(callback);
      expect(new URL(finished.headers.get('location') ?? '').hash).toBe('#linked=true');
      expect((await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).oidcSubject).toBe(
        'psc-explicit',
      );
      const linked = await auditEventOf(dataSource, { action: 'auth.oidc.linked', targetId: user.id });
      expect(linked.metadata).toEqual({ matchedBy: 'explicit' });
      // Now the identity signs in to that account; a second linking step is refused.
      const tokens = await signInWithTokens('psc-explicit');
      await http()
        .get('/api/auth/me')
        .auth(tokens.accessToken, { type: 'bearer' })
        .expect(200)
        .expect((response) => expect(response.body).toMatchObject({ id: user.id }));
      const again = await http()
        .post('/api/auth/oidc/link/start')
        .auth(token, { type: 'bearer' })
        .expect(409);
      expect(again.body.code).toBe('oidc_already_linked');
    });
  });

  describe('deactivation, lockout and the second factor', () => {
    it('refuses a deactivated or a locked account even after a valid provider login, and audits it', async () => {
      const inactive = await linkedProfessional('psc-inactive', { active: false });
      const locked = await linkedProfessional('psc-locked', {
        lockedUntil: new Date(environment.clock.now().getTime() + 10 * 60_000),
      });
      for (const [accountId, user, reason] of [
        ['psc-inactive', inactive, 'inactive'],
        ['psc-locked', locked, 'locked'],
      ] as const) {
        const { fragment } = await signIn(accountId);
        expect(fragment.get('error')).toBe('oidc_account_unavailable');
        expect(fragment.get('code')).toBeNull();
        const failure = await auditEventOf(dataSource, { action: 'auth.login.failure', targetId: user.id });
        expect(failure.metadata).toEqual({ method: 'oidc', reason });
      }

      // Deactivated between the callback and the exchange: the code no longer signs in.
      await dataSource.getRepository(UserEntity).update({ id: locked.id }, { lockedUntil: null });
      const { fragment } = await signIn('psc-locked');
      await dataSource.getRepository(UserEntity).update({ id: locked.id }, { active: false });
      const refused = await http()
        .post('/api/auth/oidc/exchange')
        .send({ code: fragment.get('code') })
        .expect(401);
      expect(refused.body.code).toBe('oidc_account_unavailable');
    });

    async function totpUser(subject: string): Promise<{ user: UserEntity; secret: string }> {
      const user = await linkedProfessional(subject);
      const token = await bearer(user);
      const setup = await http().post('/api/auth/totp/setup').auth(token, { type: 'bearer' }).expect(200);
      const secret = setup.body.secret as string;
      await http()
        .post('/api/auth/totp/confirm')
        .auth(token, { type: 'bearer' })
        .send({ code: await totpCode(secret, environment.clock.now()) })
        .expect(200);
      environment.clock.advance(30_000);
      return { user, secret };
    }

    it('OIDC_IS_MFA=false (default): a user with TOTP still gives the code; the one-time code waits for it', async () => {
      expect(environment.config.oidc?.isMfa).toBe(false);
      const { user, secret } = await totpUser('psc-totp');
      const { fragment } = await signIn('psc-totp');
      const code = fragment.get('code');
      const asked = await http().post('/api/auth/oidc/exchange').send({ code }).expect(401);
      expect(asked.body.code).toBe('totp_required');
      const ok = await http()
        .post('/api/auth/oidc/exchange')
        .send({ code, totp: await totpCode(secret, environment.clock.now()) })
        .expect(200);
      expect((ok.body as LoginResponse).accessToken).toBeTruthy();
      const success = await auditEventOf(dataSource, { action: 'auth.login.success', actorId: user.id });
      expect(success.metadata).toEqual({ method: 'oidc+totp' });
      await http().post('/api/auth/oidc/exchange').send({ code }).expect(401);

      // A wrong code burns the one-time code and counts towards the lockout.
      environment.clock.advance(30_000);
      const second = (await signIn('psc-totp')).fragment.get('code');
      const right = await totpCode(secret, environment.clock.now());
      const wrong = await http()
        .post('/api/auth/oidc/exchange')
        .send({ code: second, totp: right === '123456' ? '654321' : '123456' })
        .expect(401);
      expect(wrong.body.code).toBe('totp_invalid');
      expect((await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).failedLogins).toBe(
        1,
      );
      await http().post('/api/auth/oidc/exchange').send({ code: second, totp: right }).expect(401);
    });

    it('OIDC_IS_MFA=true: the provider sign-in is the second factor, no TOTP asked', async () => {
      const { user } = await totpUser('psc-totp-2');
      const { fragment } = await signIn('psc-totp-2');
      // The code the app's callback issued, exchanged by a service configured as Pro Santé Connect is.
      const proSanteConnect = oidcServiceWith((config, oidc) => ({
        ...config,
        oidc: { ...oidc, isMfa: true },
      }));
      const tokens = await proSanteConnect.exchange(fragment.get('code') ?? '', undefined, {
        ip: '127.0.0.1',
        actorId: null,
        organisationId: null,
      });
      expect(tokens.accessToken).toBeTruthy();
      const success = await auditEventOf(dataSource, { action: 'auth.login.success', actorId: user.id });
      expect(success.metadata).toEqual({ method: 'oidc' });
    });
  });

  it('sends the browser back to the console with oidc_failed when the provider cannot be reached', async () => {
    const unreachable = oidcServiceWith((config, oidc) => ({
      ...config,
      oidc: { ...oidc, issuerUrl: 'http://127.0.0.1:1' },
    }));
    expect(await unreachable.start({ ip: '192.0.2.2', actorId: null, organisationId: null })).toEqual({
      url: 'http://lien.test/auth/callback#error=oidc_failed',
      cookie: null,
    });
  });
});

describe('rppsFromClaim', () => {
  it.each([
    ['10001234567', '10001234567'],
    ['810001234567', '10001234567'],
    [10001234567, '10001234567'],
    ['0001234567', null],
    ['910001234567', null],
    [null, null],
  ])('%p -> %p', (claim, expected) => {
    expect(rppsFromClaim(claim)).toBe(expected);
  });
});
