import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { testIdFinder, testIdTyper } from '../ui/spec-helpers';
import { linkToken, SetPasswordPage } from './set-password.page';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const TOKEN = 'Zm9vYmFyYmF6cXV4LXRva2VuLTEyMzQ1Njc4OTA';

describe('linkToken', () => {
  it('reads the token from the fragment, and still from the query of older links', () => {
    expect(linkToken(`token=${TOKEN}`, null)).toBe(TOKEN);
    expect(linkToken(`#token=${encodeURIComponent('a+b/c')}`, null)).toBe('a+b/c');
    expect(linkToken(null, TOKEN)).toBe(TOKEN);
    expect(linkToken('other=1', null)).toBeNull();
    expect(linkToken(null, null)).toBeNull();
  });
});

describe('SetPasswordPage', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let replaceState: jest.SpyInstance;

  beforeEach(async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'set-password', component: SetPasswordPage },
          { path: 'sign-in', children: [] },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    replaceState = jest.spyOn(window.history, 'replaceState');
    harness = await RouterTestingHarness.create();
  });
  afterEach(() => {
    replaceState.mockRestore();
    backend.verify();
  });

  const element = (): HTMLElement => harness.routeNativeElement as HTMLElement;
  const byTestId = testIdFinder(element);
  const type = testIdTyper(element);

  it('reads the token from the URL fragment, clears it from the address bar, and POSTs it', async () => {
    await harness.navigateByUrl(`/set-password#token=${TOKEN}`, SetPasswordPage);
    // The address bar (and so the history) no longer holds the token.
    expect(replaceState).toHaveBeenCalledWith(null, '', '/set-password');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl');

    type('set-password-new', 'Une-Bonne-Phrase-2026');
    type('set-password-confirm', 'Une-Bonne-Phrase-2026');
    byTestId<HTMLButtonElement>('set-password-submit').click();
    await harness.fixture.whenStable();

    const request = backend.expectOne('/api/users/password/set');
    expect(request.request.method).toBe('POST');
    expect(request.request.urlWithParams).toBe('/api/users/password/set');
    expect(request.request.body).toEqual({ token: TOKEN, password: 'Une-Bonne-Phrase-2026' });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await harness.fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/sign-in');
  });

  it('says the link is incomplete when there is no token, and sends nothing', async () => {
    await harness.navigateByUrl('/set-password', SetPasswordPage);
    expect(element().querySelector('[data-testid="set-password-form"]')).toBeNull();
    expect(element().querySelector('[role="alert"]')).not.toBeNull();
    expect(replaceState).not.toHaveBeenCalled();
    backend.expectNone('/api/users/password/set');
  });
});
