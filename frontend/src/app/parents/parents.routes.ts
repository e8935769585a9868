import type { Routes } from '@angular/router';
import { featureRoutes } from '../ui/feature-providers';
import { permissionGuard } from '../core/auth/guards';

export const PARENTS_ROUTES: Routes = featureRoutes([
  {
    path: '',
    title: 'parents.title',
    loadComponent: () => import('./parents-list.page').then((m) => m.ParentsListPage),
  },
  {
    path: 'new',
    title: 'enrol.title',
    canMatch: [permissionGuard('parents.write')],
    loadComponent: () => import('./parent-enrol.page').then((m) => m.ParentEnrolPage),
  },
  {
    path: ':id',
    title: 'parentDetail.title',
    loadComponent: () => import('./parent-detail.page').then((m) => m.ParentDetailPage),
  },
]);
