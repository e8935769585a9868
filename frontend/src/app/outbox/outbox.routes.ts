import type { Routes } from '@angular/router';
import { featureProviders } from '../ui/feature-providers';

export const OUTBOX_ROUTES: Routes = [
  {
    path: '',
    providers: featureProviders(),
    children: [
      {
        path: '',
        title: 'outbox.title',
        loadComponent: () => import('./outbox.page').then((m) => m.OutboxPage),
      },
    ],
  },
];
