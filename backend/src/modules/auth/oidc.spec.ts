import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import Provider from 'oidc-provider';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { makeOrganisation } from '../../testing/factories.js';
import { makeUserWithPassword } from '../../testing/identity-factories.js';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  type TestEnvironment,
} from '../../testing/test-app.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { UserEntity } from '../users/user.entity.js';
import type { Redis } from 'ioredis';
import { REDIS } from '../../queue/queue.module.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { AuthService } from './auth.service.js';
import { OidcService, rppsFromClaim } from './oidc.service.js';

jest.setTimeout(60_000);

/** Identities known to the local provider: Pro Santé Connect style (SubjectNameID = "8" + RPPS) and plain email ones. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'psc-rpps': {
    SubjectNameID: '810001234567',
    name: 'Dr Rpps',
    email: 'not-the-same@elsewhere.test',
    email_verified: true,
  },
  'psc-email': { email: 'Verified.Midwife@pmi62.test', email_verified: true },
  'psc-unverified': { email: 'unverified@pmi62.test', email_verified: false },
  'psc-unknown': { email: 'stranger@nowhere.test', email_verified: true },
  'psc-inactive': { email: 'gone@pmi62.test', email_verified: true },
};

const CLIENT_ID = 'lien-console';
const CLIENT_SECRET = 'a-client-secret-for-the-local-provider';

/** A tiny browser: follows redirects by hand, keeps cookies, answers the provider's login and consent pages. */
class Browser {
  private readonly cookies = new Map<string, string>();

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    };
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
  let environment: TestEnvironment;
  let app: INestApplication;
  let dataSource: DataSource;
  let appBase: string;
  let rppsUser: UserEntity;
  let emailUser: UserEntity;

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

    environment = await createTestEnvironment({
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_DISPLAY_NAME: 'Pro Santé Connect (local)',
    });
    app = await createTestApi(environment);
    dataSource = dataSourceOf(app);
    appBase = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const organisation = await makeOrganisation(dataSource);
    rppsUser = await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId: organisation.id,
      rpps: '10001234567',
      email: 'dr.rpps@pmi62.test',
    });
    emailUser = await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId: organisation.id,
      email: 'verified.midwife@pmi62.test',
    });
    await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId: organisation.id,
      email: 'unverified@pmi62.test',
    });
    await makeUserWithPassword(dataSource, {
      role: 'professional',
      organisationId: organisation.id,
      email: 'gone@pmi62.test',
      active: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await environment.teardown();
    providerServer.closeAllConnections();
    providerServer.close();
    jest.restoreAllMocks();
  });

  /** The app's callback URL as the provider sent it (on the public base URL), re-pointed at the test server. */
  const onApp = (callbackUrl: string): string => {
    const url = new URL(callbackUrl);
    expect(`${url.origin}${url.pathname}`).toBe('http://lien.test/api/auth/oidc/callback');
    return `${appBase}${url.pathname}${url.search}`;
  };

  async function signIn(accountId: string): Promise<{ fragment: URLSearchParams; location: URL }> {
    const browser = new Browser();
    const started = await browser.request(`${appBase}/api/auth/oidc/start`);
    expect(started.status).toBe(302);
    const authorizationUrl = new URL(started.headers.get('location') ?? '');
    expect(authorizationUrl.origin).toBe(issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('state')).toBeTruthy();
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
    const callback = await browser.signInAtProvider(authorizationUrl.toString(), issuer, accountId);
    const finished = await browser.request(onApp(callback));
    expect(finished.status).toBe(302);
    const location = new URL(finished.headers.get('location') ?? '');
    return { location, fragment: new URLSearchParams(location.hash.slice(1)) };
  }

  it('tells the console that OIDC is on, with its label', async () => {
    await request(app.getHttpServer())
      .get('/api/auth/oidc/config')
      .expect(200, { enabled: true, displayName: 'Pro Santé Connect (local)' });
  });

  it('maps a first sign-in by RPPS number (SubjectNameID), stores the subject, and redirects to the console with tokens in the fragment', async () => {
    const { location, fragment } = await signIn('psc-rpps');
    expect(`${location.origin}${location.pathname}`).toBe('http://lien.test/auth/callback');
    expect(location.search).toBe('');
    const accessToken = fragment.get('accessToken');
    expect(accessToken).toBeTruthy();
    expect(fragment.get('refreshToken')).toBeTruthy();
    const me = await request(app.getHttpServer())
      .get('/api/auth/me')
      .auth(accessToken ?? '', { type: 'bearer' })
      .expect(200);
    expect(me.body).toMatchObject({ id: rppsUser.id, oidcLinked: true });
    expect(
      (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: rppsUser.id })).oidcSubject,
    ).toBe('psc-rpps');
    const linked = await dataSource
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ action: 'auth.oidc.linked', targetId: rppsUser.id });
    expect(linked.metadata).toEqual({ matchedBy: 'rpps' });
    const success = await dataSource
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ action: 'auth.login.success', actorId: rppsUser.id });
    expect(success.metadata).toEqual({ method: 'oidc' });

    // Next time the stored subject is enough.
    const again = await signIn('psc-rpps');
    expect(again.fragment.get('accessToken')).toBeTruthy();
    expect(
      await dataSource
        .getRepository(AuditEventEntity)
        .countBy({ action: 'auth.oidc.linked', targetId: rppsUser.id }),
    ).toBe(1);
  });

  it('maps a first sign-in by verified email', async () => {
    const { fragment } = await signIn('psc-email');
    expect(fragment.get('error')).toBeNull();
    expect(
      (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: emailUser.id })).oidcSubject,
    ).toBe('psc-email');
  });

  it.each([
    ['an unverified email', 'psc-unverified'],
    ['an identity matching no account', 'psc-unknown'],
    ['an inactive account', 'psc-inactive'],
  ])('refuses %s (no tokens, error in the fragment)', async (_label, accountId) => {
    const { location, fragment } = await signIn(accountId);
    expect(`${location.origin}${location.pathname}`).toBe('http://lien.test/auth/callback');
    expect(fragment.get('error')).toBe('oidc_unknown_user');
    expect(fragment.get('accessToken')).toBeNull();
  });

  it('refuses a replayed callback, a forged state and a provider error', async () => {
    const browser = new Browser();
    const started = await browser.request(`${appBase}/api/auth/oidc/start`);
    const callback = await browser.signInAtProvider(
      started.headers.get('location') ?? '',
      issuer,
      'psc-email',
    );
    const first = await browser.request(onApp(callback));
    expect(
      new URLSearchParams(new URL(first.headers.get('location') ?? '').hash.slice(1)).get('accessToken'),
    ).toBeTruthy();
    const replay = await browser.request(onApp(callback));
    expect(new URL(replay.headers.get('location') ?? '').hash).toBe('#error=oidc_expired');

    const forged = await browser.request(
      `${appBase}/api/auth/oidc/callback?code=abc&state=${'x'.repeat(43)}`,
    );
    expect(new URL(forged.headers.get('location') ?? '').hash).toBe('#error=oidc_expired');

    const another = await browser.request(`${appBase}/api/auth/oidc/start`);
    const state = new URL(another.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const denied = await browser.request(
      `${appBase}/api/auth/oidc/callback?error=access_denied&state=${state}`,
    );
    expect(new URL(denied.headers.get('location') ?? '').hash).toBe('#error=oidc_denied');

    const failures = await dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { action: 'auth.login.failure' } });
    expect(failures.every((event) => (event.metadata as { method?: string }).method === 'oidc')).toBe(true);
  });

  it('sends the browser back to the console with oidc_failed when the provider cannot be reached', async () => {
    const oidc = environment.config.oidc;
    if (!oidc) throw new Error('OIDC is configured in this file');
    const unreachable = new OidcService(
      app.get(UsersRepository),
      app.get(AuthService),
      app.get(AuditService),
      app.get<Redis>(REDIS),
      { ...environment.config, oidc: { ...oidc, issuerUrl: 'http://127.0.0.1:1' } },
    );
    expect(await unreachable.start()).toBe('http://lien.test/auth/callback#error=oidc_failed');
  });

  it('a code obtained for one sign-in cannot be used with the state of another (PKCE and state bind them)', async () => {
    const browser = new Browser();
    const first = await browser.request(`${appBase}/api/auth/oidc/start`);
    const callback = new URL(
      await browser.signInAtProvider(first.headers.get('location') ?? '', issuer, 'psc-email'),
    );
    const second = await browser.request(`${appBase}/api/auth/oidc/start`);
    const otherState = new URL(second.headers.get('location') ?? '').searchParams.get('state') ?? '';
    callback.searchParams.set('state', otherState);
    const swapped = await browser.request(onApp(callback.toString()));
    expect(new URL(swapped.headers.get('location') ?? '').hash).toBe('#error=oidc_failed');
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
