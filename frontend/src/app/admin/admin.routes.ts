import type { Routes } from '@angular/router';
import { featureRoutes } from '../ui/feature-providers';
import { permissionGuard } from '../core/auth/guards';
import { adminHomeRedirect } from './admin.guard';

export const ADMIN_ROUTES: Routes = featureRoutes([
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
      {
        path: 'on-call',
        title: 'admin.onCall',
        canMatch: [permissionGuard('organisation.settings.write')],
        loadComponent: () => import('./on-call.page').then((m) => m.OnCallPage),
      },
      {
        path: 'referrals',
        title: 'admin.referrals',
        canMatch: [permissionGuard('referrals.read')],
        loadComponent: () => import('./referrals.page').then((m) => m.ReferralsPage),
      },
      {
        // Listing needs reports.read, creating and the QR codes settings.write: org admins hold both.
        path: 'sources',
        title: 'admin.sources',
        canMatch: [permissionGuard('organisation.settings.write')],
        loadComponent: () => import('./sources.page').then((m) => m.SourcesPage),
      },
    ],
  },
]);
