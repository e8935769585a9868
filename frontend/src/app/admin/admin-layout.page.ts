import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import type { Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

const TABS: { path: string; label: TranslationKey; permission: Permission; testId: string }[] = [
  {
    path: '/admin/organisations',
    label: 'admin.organisations',
    permission: 'organisations.manage',
    testId: 'admin-tab-organisations',
  },
  { path: '/admin/users', label: 'admin.users', permission: 'users.manage', testId: 'admin-tab-users' },
  {
    path: '/admin/settings',
    label: 'admin.settings',
    permission: 'organisation.settings.write',
    testId: 'admin-tab-settings',
  },
  { path: '/admin/audit', label: 'admin.audit', permission: 'audit.read', testId: 'admin-tab-audit' },
  {
    path: '/admin/integrations',
    label: 'admin.integrations',
    permission: 'integrations.manage',
    testId: 'admin-tab-integrations',
  },
  {
    path: '/admin/on-call',
    label: 'admin.onCall',
    permission: 'organisation.settings.write',
    testId: 'admin-tab-on-call',
  },
  {
    path: '/admin/referrals',
    label: 'admin.referrals',
    permission: 'referrals.read',
    testId: 'admin-tab-referrals',
  },
  {
    path: '/admin/sources',
    label: 'admin.sources',
    permission: 'organisation.settings.write',
    testId: 'admin-tab-sources',
  },
];

@Component({
  selector: 'lien-admin-layout-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule, TranslatePipe],
  template: `
    <h1>{{ 'admin.title' | t }}</h1>
    <nav mat-tab-nav-bar [tabPanel]="panel" [attr.aria-label]="'admin.sections' | t">
      @for (tab of tabs(); track tab.path) {
        <a
          mat-tab-link
          [routerLink]="tab.path"
          routerLinkActive
          #rla="routerLinkActive"
          [active]="rla.isActive"
          [attr.data-testid]="tab.testId"
        >
          {{ tab.label | t }}
        </a>
      }
    </nav>
    <mat-tab-nav-panel #panel>
      <div class="admin-content"><router-outlet /></div>
    </mat-tab-nav-panel>
  `,
  styles: `
    .admin-content {
      padding-top: 16px;
    }
  `,
})
export class AdminLayoutPage {
  private readonly auth = inject(AuthService);
  protected readonly tabs = computed(() => TABS.filter((tab) => this.auth.can(tab.permission)));
}
