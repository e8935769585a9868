import type { Routes } from '@angular/router';
import { featureProviders } from '../ui/feature-providers';

export const ALERTS_ROUTES: Routes = [
  {
    path: '',
    providers: featureProviders(),
    children: [
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
    ],
  },
];
