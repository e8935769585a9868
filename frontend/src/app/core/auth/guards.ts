import { inject } from '@angular/core';
import { type CanActivateFn, type CanMatchFn, Router, type UrlTree } from '@angular/router';
import type { Permission } from '@lien/shared';
import { NoticeService } from '../notice.service';
import { AuthService } from './auth.service';

// Every inject() happens before the first await: after it, the injection context is gone.

/** Signed-in users only; the others go to the sign-in page, which brings them back afterwards. */
export const signedInGuard: CanActivateFn = async (_route, state): Promise<boolean | UrlTree> => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const me = await auth.ensureMe();
  if (me) return true;
  return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
};

/**
 * A page needing a permission (the same map as the API's). A user without it is sent to their home page
 * with a notice, e.g. a coordinator opening /parents lands on /reports with "access refused".
 */
export function permissionGuard(permission: Permission): CanMatchFn {
  return async (_route, segments): Promise<boolean | UrlTree> => {
    const auth = inject(AuthService);
    const router = inject(Router);
    const notices = inject(NoticeService);
    const me = await auth.ensureMe();
    const navigation = router.currentNavigation();
    const url = navigation
      ? router.serializeUrl(navigation.extractedUrl)
      : '/' + segments.map((segment) => segment.path).join('/');
    if (!me) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: url } });
    if (auth.can(permission)) return true;
    notices.show('notice.accessDenied', 'warning');
    const home = auth.homeUrl(me);
    // Never send someone back to the page they may not open (that would loop).
    return router.parseUrl(url.startsWith(home) ? '/sign-in' : home);
  };
}

/** The sign-in page is for signed-out users; a signed-in user goes home. */
export const signedOutGuard: CanActivateFn = async (): Promise<boolean | UrlTree> => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (!auth.signedIn()) return true;
  const me = await auth.ensureMe();
  return me ? router.parseUrl(auth.homeUrl(me)) : true;
};

/** `/`: the user's home page. */
export const homeRedirect = async (): Promise<string | UrlTree> => {
  const auth = inject(AuthService);
  const me = await auth.ensureMe();
  return auth.homeUrl(me);
};
