import type { Routes } from '@angular/router';
import { homeRedirect, permissionGuard, signedInGuard } from './core/auth/guards';
import { adminGuard } from './admin/admin.guard';

/** Every feature is a lazy chunk; the initial bundle holds the shell, auth and i18n only. */
export const routes: Routes = [
  {
    path: 'sign-in',
    loadChildren: () => import('./sign-in/sign-in.routes').then((m) => m.SIGN_IN_ROUTES),
  },
  {
    path: 'set-password',
    loadChildren: () => import('./sign-in/password.routes').then((m) => m.SET_PASSWORD_ROUTES),
  },
  {
    path: 'forgot-password',
    loadChildren: () => import('./sign-in/password.routes').then((m) => m.FORGOT_PASSWORD_ROUTES),
  },
  {
    path: 'auth/callback',
    title: 'signIn.title',
    loadComponent: () => import('./sign-in/oidc-callback.page').then((m) => m.OidcCallbackPage),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: homeRedirect },
      {
        path: 'alerts',
        canMatch: [permissionGuard('alerts.read')],
        loadChildren: () => import('./alerts/alerts.routes').then((m) => m.ALERTS_ROUTES),
      },
      {
        path: 'parents',
        canMatch: [permissionGuard('parents.read')],
        loadChildren: () => import('./parents/parents.routes').then((m) => m.PARENTS_ROUTES),
      },
      {
        path: 'admin',
        canMatch: [adminGuard],
        loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES),
      },
      {
        path: 'reports',
        canMatch: [permissionGuard('reports.read')],
        loadChildren: () => import('./reports/reports.routes').then((m) => m.REPORTS_ROUTES),
      },
      {
        path: 'outbox',
        canMatch: [permissionGuard('outbox.read')],
        loadChildren: () => import('./outbox/outbox.routes').then((m) => m.OUTBOX_ROUTES),
      },
    ],
  },
  {
    path: '**',
    title: 'notFound.title',
    loadComponent: () => import('./shell/not-found.page').then((m) => m.NotFoundPage),
  },
];
