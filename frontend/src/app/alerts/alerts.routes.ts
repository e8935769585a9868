import type { Routes } from '@angular/router';
import { featureRoutes } from '../ui/feature-providers';

export const ALERTS_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'alerts.title',
    loadComponent: () => import('./alerts-dashboard.page').then((m) => m.AlertsDashboardPage),
  },
  {
    path: ':id',
    title: 'alertDetail.title',
    loadComponent: () => import('./alert-detail.page').then((m) => m.AlertDetailPage),
  },
]);
