import type { Routes } from '@angular/router';
import { featureProviders } from '../ui/feature-providers';
import { permissionGuard } from '../core/auth/guards';
import { adminHomeRedirect } from './admin.guard';

export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    providers: featureProviders(),
    children: [
      {
        path: '',
        loadComponent: () => import('./admin-layout.page').then((m) => m.AdminLayoutPage),
        children: [
          { path: '', pathMatch: 'full', redirectTo: adminHomeRedirect },
          {
            path: 'users',
            title: 'admin.users',
            canMatch: [permissionGuard('users.manage')],
            loadComponent: () => import('./users.page').then((m) => m.UsersPage),
          },
          {
            path: 'organisations',
            title: 'admin.organisations',
            canMatch: [permissionGuard('organisations.manage')],
            loadComponent: () => import('./organisations.page').then((m) => m.OrganisationsPage),
          },
          {
            path: 'settings',
            title: 'admin.settings',
            canMatch: [permissionGuard('organisation.settings.write')],
            loadComponent: () => import('./settings.page').then((m) => m.SettingsPage),
          },
          {
            path: 'audit',
            title: 'admin.audit',
            canMatch: [permissionGuard('audit.read')],
            loadComponent: () => import('./audit.page').then((m) => m.AuditPage),
          },
          {
            path: 'integrations',
            title: 'admin.integrations',
            canMatch: [permissionGuard('integrations.manage')],
            loadComponent: () => import('./integrations.page').then((m) => m.IntegrationsPage),
          },
        ],
      },
    ],
  },
];
