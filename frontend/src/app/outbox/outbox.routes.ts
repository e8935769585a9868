import type { Routes } from '@angular/router';
import { featureRoutes } from '../ui/feature-providers';

export const OUTBOX_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'outbox.title',
    loadComponent: () => import('./outbox.page').then((m) => m.OutboxPage),
  },
]);
