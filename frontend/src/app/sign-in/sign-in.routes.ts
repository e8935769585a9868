import type { Routes } from '@angular/router';
import { signedOutGuard } from '../core/auth/guards';
import { featureProviders } from '../ui/feature-providers';

export const SIGN_IN_ROUTES: Routes = [
  {
    path: '',
    title: 'signIn.title',
    providers: featureProviders(),
    canActivate: [signedOutGuard],
    loadComponent: () => import('./sign-in.page').then((m) => m.SignInPage),
  },
];
