import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { MeResponse } from '@lien/shared';
import { NoticeService } from '../notice.service';
import { authInterceptor } from './auth.interceptor';
import { AuthService, REFRESH_MARGIN_MS, SESSION_STORAGE_KEY } from './auth.service';
import { flushApiError } from '../../ui/spec-helpers';
import { resetTestBedAndStorage } from '../../ui/page-test-bed';

/** An unsigned JWT with the given expiry (the console only reads `exp`). */
function jwt(expiresAtMs: number, subject = 'user'): string {
  const encode = (value: object): string =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: subject, exp: Math.floor(expiresAtMs / 1000) })}.signature`;
}

const ME: MeResponse = {
  id: 'u1',
  email: 'nurse@example.fr',
  displayName: 'Infirmière',
  role: 'professional',
  organisation: { id: 'o1', name: 'PMI 62', timeZone: 'Europe/Paris' },
  territory: { departements: [], region: null },
  permissions: ['alerts.read', 'parents.read'],
  mfa: { totpEnabled: false, required: false },
  oidcLinked: false,
};

function setUp(): { auth: AuthService; http: HttpClient; backend: HttpTestingController; router: Router } {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    ],
  });
  const router = TestBed.inject(Router);
  jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  return {
    auth: TestBed.inject(AuthService),
    http: TestBed.inject(HttpClient),
    backend: TestBed.inject(HttpTestingController),
    router,
  };
}

/** Lets pending promise callbacks run (the service chains a few). */
async function flushPromises(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

async function signIn(auth: AuthService, backend: HttpTestingController, accessToken: string): Promise<void> {
  const done = auth.signIn('nurse@example.fr', 'secret');
  backend.expectOne('/api/auth/login').flush({ accessToken, refreshToken: 'r1', expiresIn: 900 });
  await flushPromises();
  backend.expectOne('/api/auth/me').flush(ME);
  await expect(done).resolves.toEqual({ kind: 'signed_in' });
}

/** Answers a request as the API does a missing or expired token. */
function unauthorised(request: TestRequest): void {
  flushApiError(request, 401, { message: 'Unauthorized' });
}

/** Signed in, then a GET of the alerts refused with a 401: the interceptor is asking for a refresh. */
async function refusedAfterSignIn(): Promise<ReturnType<typeof setUp> & { request: Promise<unknown> }> {
  const session = setUp();
  await signIn(session.auth, session.backend, jwt(Date.now() + 15 * 60_000));
  const request = firstValueFrom(session.http.get('/api/alerts'));
  unauthorised(session.backend.expectOne('/api/alerts'));
  await flushPromises();
  return { ...session, request };
}

describe('auth: session, interceptor and refresh', () => {
  beforeEach(resetTestBedAndStorage);

  afterEach(() => {
    jest.useRealTimers();
  });

  it('signs in, loads the user and keeps the tokens in sessionStorage only', async () => {
    const { auth, backend } = setUp();
    await signIn(auth, backend, jwt(Date.now() + 15 * 60_000));
    expect(auth.me()?.id).toBe('u1');
    expect(auth.can('alerts.read')).toBe(true);
    expect(auth.can('users.manage')).toBe(false);
    expect(auth.homeUrl()).toBe('/alerts');
    expect(JSON.parse(sessionStorage.getItem(SESSION_STORAGE_KEY) ?? '{}').refreshToken).toBe('r1');
    expect(localStorage.length).toBe(0);
    backend.verify();
  });

  it('sends the login without a bearer token and other API calls with it, never to another origin', async () => {
    const { auth, http, backend } = setUp();
    const token = jwt(Date.now() + 15 * 60_000);
    const done = auth.signIn('nurse@example.fr', 'secret');
    const login = backend.expectOne('/api/auth/login');
    expect(login.request.headers.has('Authorization')).toBe(false);
    login.flush({ accessToken: token, refreshToken: 'r1', expiresIn: 900 });
    await flushPromises();
    const me = backend.expectOne('/api/auth/me');
    expect(me.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    me.flush(ME);
    await done;

    void firstValueFrom(http.get('https://elsewhere.example/api/x')).catch(() => undefined);
    expect(backend.expectOne('https://elsewhere.example/api/x').request.headers.has('Authorization')).toBe(
      false,
    );
    backend.verify();
  });

  it('maps the TOTP answers of the login', async () => {
    const { auth, backend } = setUp();
    const first = auth.signIn('nurse@example.fr', 'secret');
    flushApiError(backend.expectOne('/api/auth/login'), 401, {
      message: 'code needed',
      code: 'totp_required',
    });
    await expect(first).resolves.toEqual({ kind: 'totp_required' });

    const second = auth.signIn('nurse@example.fr', 'secret');
    flushApiError(backend.expectOne('/api/auth/login'), 401, {
      message: 'enrol',
      code: 'totp_enrolment_required',
      details: { enrolmentToken: 'e1' },
    });
    await flushPromises();
    const setup = backend.expectOne('/api/auth/totp/enrol/setup');
    expect(setup.request.body).toEqual({ enrolmentToken: 'e1' });
    setup.flush({
      secret: 'JBSWY3DPEHPK3PXP',
      otpauthUrl: 'otpauth://totp/Lien:nurse?secret=JBSWY3DPEHPK3PXP',
    });
    await expect(second).resolves.toEqual({
      kind: 'totp_enrolment_required',
      enrolmentToken: 'e1',
      secret: 'JBSWY3DPEHPK3PXP',
      otpauthUrl: 'otpauth://totp/Lien:nurse?secret=JBSWY3DPEHPK3PXP',
    });

    const third = auth.signIn('nurse@example.fr', 'wrong');
    flushApiError(backend.expectOne('/api/auth/login'), 401, { message: 'no', code: 'invalid_credentials' });
    await expect(third).resolves.toEqual({ kind: 'invalid_credentials' });

    const fourth = auth.signIn('nurse@example.fr', 'wrong');
    flushApiError(backend.expectOne('/api/auth/login'), 429, { message: 'later' });
    await expect(fourth).resolves.toEqual({ kind: 'locked' });
    backend.verify();
  });

  it('on a 401, refreshes once (shared by concurrent requests) and retries with the new token', async () => {
    const { auth, http, backend } = setUp();
    await signIn(auth, backend, jwt(Date.now() + 15 * 60_000, 'old'));
    const fresh = jwt(Date.now() + 15 * 60_000, 'new');

    const a = firstValueFrom(http.get<{ ok: string }>('/api/alerts'));
    const b = firstValueFrom(http.get<{ ok: string }>('/api/parents'));
    unauthorised(backend.expectOne('/api/alerts'));
    unauthorised(backend.expectOne('/api/parents'));
    await flushPromises();

    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'r1' });
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    refresh.flush({ accessToken: fresh, refreshToken: 'r2', expiresIn: 900 });
    await flushPromises();

    const retriedAlerts = backend.expectOne('/api/alerts');
    const retriedParents = backend.expectOne('/api/parents');
    expect(retriedAlerts.request.headers.get('Authorization')).toBe(`Bearer ${fresh}`);
    expect(retriedParents.request.headers.get('Authorization')).toBe(`Bearer ${fresh}`);
    retriedAlerts.flush({ ok: 'alerts' });
    retriedParents.flush({ ok: 'parents' });
    await expect(a).resolves.toEqual({ ok: 'alerts' });
    await expect(b).resolves.toEqual({ ok: 'parents' });
    expect(JSON.parse(sessionStorage.getItem(SESSION_STORAGE_KEY) ?? '{}').refreshToken).toBe('r2');
    backend.verify();
  });

  it('does not refresh twice: a second 401 after the retry is the answer', async () => {
    const { backend, request } = await refusedAfterSignIn();
    backend
      .expectOne('/api/auth/refresh')
      .flush({ accessToken: jwt(Date.now() + 900_000), refreshToken: 'r2' });
    await flushPromises();
    unauthorised(backend.expectOne('/api/alerts'));
    await expect(request).rejects.toMatchObject({ status: 401 });
    backend.verify();
  });

  it('ends the session when the refresh is refused, with a notice on the sign-in page', async () => {
    const { auth, backend, router, request } = await refusedAfterSignIn();
    unauthorised(backend.expectOne('/api/auth/refresh'));
    await expect(request).rejects.toMatchObject({ status: 401 });
    expect(auth.signedIn()).toBe(false);
    expect(auth.me()).toBeNull();
    expect(sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/sign-in');
    expect(TestBed.inject(NoticeService).notice()?.key).toBe('notice.sessionExpired');
    backend.verify();
  });

  it('refreshes shortly before the access token expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-10T10:00:00Z') });
    const { auth, backend } = setUp();
    await signIn(auth, backend, jwt(Date.now() + 10 * 60_000));
    jest.advanceTimersByTime(10 * 60_000 - REFRESH_MARGIN_MS - 1_000);
    backend.expectNone('/api/auth/refresh');
    jest.advanceTimersByTime(2_000);
    const refresh = backend.expectOne('/api/auth/refresh');
    refresh.flush({ accessToken: jwt(Date.now() + 10 * 60_000, 'second'), refreshToken: 'r2' });
    await flushPromises();
    expect(auth.accessToken()).toBe(jwt(Date.now() + 10 * 60_000, 'second'));
    backend.verify();
  });

  it('signs out: tells the API, clears the session and says so', async () => {
    const { auth, backend, router } = setUp();
    await signIn(auth, backend, jwt(Date.now() + 15 * 60_000));
    const done = auth.signOut();
    const logout = backend.expectOne('/api/auth/logout');
    expect(logout.request.body).toEqual({ refreshToken: 'r1' });
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(auth.signedIn()).toBe(false);
    expect(sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/sign-in');
    expect(TestBed.inject(NoticeService).notice()?.key).toBe('notice.signedOut');
    backend.verify();
  });

  it('resumes a session kept in this tab', async () => {
    sessionStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({
        accessToken: jwt(Date.now() + 600_000),
        refreshToken: 'r9',
        expiresAt: Date.now() + 600_000,
      }),
    );
    const { auth, backend } = setUp();
    const restored = auth.restore();
    backend
      .expectOne('/api/auth/me')
      .flush({ ...ME, role: 'coordinator', permissions: ['reports.read', 'reports.export', 'self'] });
    await restored;
    expect(auth.homeUrl()).toBe('/reports');
    backend.verify();
  });

  it('completes an OpenID Connect sign-in by exchanging the one-time code (asking for TOTP when needed)', async () => {
    const { auth, backend } = setUp();
    const token = jwt(Date.now() + 600_000);
    const asked = auth.exchangeOidcCode('one-time-code');
    const first = backend.expectOne('/api/auth/oidc/exchange');
    expect(first.request.body).toEqual({ code: 'one-time-code' });
    expect(first.request.headers.has('Authorization')).toBe(false);
    flushApiError(first, 401, { message: 'Enter the code', code: 'totp_required' });
    await expect(asked).resolves.toEqual({ kind: 'totp_required' });
    expect(auth.signedIn()).toBe(false);

    const done = auth.exchangeOidcCode('one-time-code', '123456');
    const second = backend.expectOne('/api/auth/oidc/exchange');
    expect(second.request.body).toEqual({ code: 'one-time-code', totp: '123456' });
    second.flush({ accessToken: token, refreshToken: 'r5', expiresIn: 900 });
    await flushPromises();
    backend.expectOne('/api/auth/me').flush(ME);
    await expect(done).resolves.toEqual({ kind: 'signed_in' });
    expect(auth.accessToken()).toBe(token);
    backend.verify();
  });

  it('never takes tokens from the URL: the old fragment entry point is gone', () => {
    const { auth } = setUp();
    expect((auth as unknown as Record<string, unknown>)['completeFromFragment']).toBeUndefined();
  });
});
