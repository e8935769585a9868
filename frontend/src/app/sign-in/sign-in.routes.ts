import type { Routes } from '@angular/router';
import { signedOutGuard } from '../core/auth/guards';
import { featureRoutes } from '../ui/feature-providers';

export const SIGN_IN_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'signIn.title',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./sign-in.page').then((m) => m.SignInPage),
  },
]);
