import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { testIdTyper, flushApiError } from '../ui/spec-helpers';
import { OidcCallbackPage } from './oidc-callback.page';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const CODE = 'c'.repeat(43);

/** An unsigned JWT (the console only reads `exp`). */
const JWT = `${btoa('{"alg":"HS256"}')}.${btoa(JSON.stringify({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 900 }))}.sig`;

describe('OidcCallbackPage', () => {
  let fixture: ComponentFixture<OidcCallbackPage>;
  let backend: HttpTestingController;
  let navigate: jest.SpyInstance;

  async function open(fragment: string): Promise<HTMLElement> {
    sessionStorage.clear();
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    history.replaceState(null, '', `/auth/callback#${fragment}`);
    fixture = TestBed.createComponent(OidcCallbackPage);
    backend = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    await fixture.whenStable();
  };

  it('exchanges the one-time code, asks for the authenticator code when told, and clears the address bar', async () => {
    const element = await open(`code=${CODE}`);
    expect(location.hash).toBe('');
    const first = backend.expectOne('/api/auth/oidc/exchange');
    expect(first.request.body).toEqual({ code: CODE });
    flushApiError(first, 401, { message: 'Enter the code', code: 'totp_required' });
    await flush();
    testIdTyper(() => element)('oidc-totp-input', '123456');
    element.querySelector<HTMLFormElement>('[data-testid="oidc-totp"]')?.dispatchEvent(new Event('submit'));
    await flush();
    const second = backend.expectOne('/api/auth/oidc/exchange');
    expect(second.request.body).toEqual({ code: CODE, totp: '123456' });
    second.flush({ accessToken: JWT, refreshToken: 'r1', expiresIn: 900 });
    await flush();
    backend.expectOne('/api/auth/me').flush({
      id: 'u1',
      email: 'a@b.fr',
      displayName: 'A',
      role: 'professional',
      organisation: null,
      territory: { departements: [], region: null },
      permissions: ['alerts.read'],
      mfa: { totpEnabled: true, required: false },
      oidcLinked: true,
    });
    for (let i = 0; i < 20 && navigate.mock.calls.length === 0; i += 1) await flush();
    expect(navigate).toHaveBeenCalledWith('/alerts', { replaceUrl: true });
    backend.verify();
  });

  it('refuses tokens pushed into its URL: no session, no request, an error shown', async () => {
    const element = await open(`accessToken=${JWT}&refreshToken=r1&expiresIn=900`);
    await flush();
    backend.expectNone(() => true);
    expect(sessionStorage.length).toBe(0);
    expect(element.querySelector('[data-testid="oidc-failed"]')).not.toBeNull();
    expect(navigate).not.toHaveBeenCalled();
  });
});
