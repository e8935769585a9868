import type { Routes } from '@angular/router';
import { featureRoutes } from '../ui/feature-providers';

/** Public pages of the password links (invitation, reset). */
export const SET_PASSWORD_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'password.title',
    loadComponent: () => import('./set-password.page').then((m) => m.SetPasswordPage),
  },
]);

export const FORGOT_PASSWORD_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'password.forgotTitle',
    loadComponent: () => import('./forgot-password.page').then((m) => m.ForgotPasswordPage),
  },
]);
