import { oidcCallbackOf, oidcErrorKey } from './oidc-callback.page';
import { safeReturnUrl } from './sign-in.page';
import { safeLink } from '../outbox/outbox.page';

describe('sign-in helpers', () => {
  it('follows only same-site return paths', () => {
    expect(safeReturnUrl('/alerts/123')).toBe('/alerts/123');
    expect(safeReturnUrl('//evil.example/x')).toBeNull();
    expect(safeReturnUrl('/\\evil.example')).toBeNull();
    expect(safeReturnUrl('https://evil.example')).toBeNull();
    expect(safeReturnUrl('/sign-in')).toBeNull();
    expect(safeReturnUrl(null)).toBeNull();
  });

  it('names the OIDC callback errors', () => {
    expect(oidcErrorKey('error=oidc_unknown_user')).toBe('signIn.oidcUnknownUser');
    expect(oidcErrorKey('error=oidc_denied')).toBe('signIn.oidcDenied');
    expect(oidcErrorKey('error=whatever')).toBe('signIn.oidcFailed');
    expect(oidcErrorKey('error=oidc_account_unavailable')).toBe('signIn.oidcAccountUnavailable');
    expect(oidcErrorKey('accessToken=a&refreshToken=b')).toBeNull();
  });

  it('takes only a one-time code from the OIDC callback, never tokens pushed into the URL', () => {
    const code = 'A'.repeat(43);
    expect(oidcCallbackOf(`code=${code}`)).toEqual({ kind: 'code', code });
    expect(oidcCallbackOf('linked=true')).toEqual({ kind: 'linked' });
    expect(oidcCallbackOf('error=oidc_denied')).toEqual({ kind: 'error', key: 'signIn.oidcDenied' });
    expect(oidcCallbackOf('accessToken=a.b.c&refreshToken=r&expiresIn=900')).toEqual({ kind: 'invalid' });
    expect(oidcCallbackOf(`code=${code}&accessToken=a.b.c`)).toEqual({ kind: 'invalid' });
    expect(oidcCallbackOf('code=short')).toEqual({ kind: 'invalid' });
    expect(oidcCallbackOf('')).toEqual({ kind: 'invalid' });
  });
});

describe('outbox links', () => {
  it('makes only http(s) links clickable', () => {
    expect(safeLink('http://localhost:3000/q/abc')).toBe('http://localhost:3000/q/abc');
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink(null)).toBeNull();
  });
});
