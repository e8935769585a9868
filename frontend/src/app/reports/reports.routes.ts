import type { Routes } from '@angular/router';
import { featureRoutes } from '../ui/feature-providers';

export const REPORTS_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'reports.title',
    loadComponent: () => import('./reports.page').then((m) => m.ReportsPage),
  },
]);
