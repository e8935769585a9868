import type { Routes } from '@angular/router';
import { featureProviders } from '../ui/feature-providers';

export const REPORTS_ROUTES: Routes = [
  {
    path: '',
    providers: featureProviders(),
    children: [
      {
        path: '',
        title: 'reports.title',
        loadComponent: () => import('./reports.page').then((m) => m.ReportsPage),
      },
    ],
  },
];
