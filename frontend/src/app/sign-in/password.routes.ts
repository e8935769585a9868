import type { Routes } from '@angular/router';
import { featureProviders } from '../ui/feature-providers';

/** Public pages of the password links (invitation, reset). */
export const SET_PASSWORD_ROUTES: Routes = [
  {
    path: '',
    title: 'password.title',
    providers: featureProviders(),
    loadComponent: () => import('./set-password.page').then((m) => m.SetPasswordPage),
  },
];

export const FORGOT_PASSWORD_ROUTES: Routes = [
  {
    path: '',
    title: 'password.forgotTitle',
    providers: featureProviders(),
    loadComponent: () => import('./forgot-password.page').then((m) => m.ForgotPasswordPage),
  },
];
