import { inject } from '@angular/core';
import { type CanMatchFn, Router, type UrlTree } from '@angular/router';
import type { Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { NoticeService } from '../core/notice.service';

/**
 * The admin area opens for users who can manage users, edit settings, read the audit log or keep a referral
 * directory (coordinators: their territory's).
 */
export const ADMIN_PERMISSIONS: readonly Permission[] = [
  'users.manage',
  'organisation.settings.write',
  'audit.read',
  'referrals.manage',
];

export const adminGuard: CanMatchFn = async (): Promise<boolean | UrlTree> => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const notices = inject(NoticeService);
  const me = await auth.ensureMe();
  if (!me) return router.createUrlTree(['/sign-in']);
  if (ADMIN_PERMISSIONS.some((permission) => auth.can(permission))) return true;
  notices.show('notice.accessDenied', 'warning');
  return router.parseUrl(auth.homeUrl(me));
};

/** `/admin`: the first admin page the user may open. */
export const adminHomeRedirect = (): string => {
  const auth = inject(AuthService);
  if (auth.can('users.manage')) return '/admin/users';
  if (auth.can('organisation.settings.write')) return '/admin/settings';
  if (auth.can('audit.read')) return '/admin/audit';
  return '/admin/referrals';
};
