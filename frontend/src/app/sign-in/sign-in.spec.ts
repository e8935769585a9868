import { oidcErrorKey } from './oidc-callback.page';
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
    expect(oidcErrorKey('accessToken=a&refreshToken=b')).toBeNull();
  });
});

describe('outbox links', () => {
  it('makes only http(s) links clickable', () => {
    expect(safeLink('http://localhost:3000/q/abc')).toBe('http://localhost:3000/q/abc');
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink(null)).toBeNull();
  });
});
