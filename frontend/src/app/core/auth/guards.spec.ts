import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { MeResponse, Permission, UserRole } from '@lien/shared';
import { NoticeService } from '../notice.service';
import { AuthService } from './auth.service';
import { permissionGuard, signedInGuard } from './guards';

@Component({ template: '' })
class Blank {}

function me(role: UserRole, permissions: Permission[]): MeResponse {
  return {
    id: 'u1',
    email: 'x@example.fr',
    displayName: 'X',
    role,
    organisation: null,
    territory: { departements: ['62'], region: null },
    permissions,
    mfa: { totpEnabled: false, required: false },
    oidcLinked: false,
  };
}

async function navigateAs(
  user: MeResponse | null,
  url: string,
): Promise<{ router: Router; notices: NoticeService }> {
  TestBed.resetTestingModule();
  const permissions = new Set(user?.permissions ?? []);
  TestBed.configureTestingModule({
    providers: [
      provideRouter([
        { path: 'sign-in', component: Blank },
        {
          path: '',
          canActivate: [signedInGuard],
          children: [
            { path: 'parents', canMatch: [permissionGuard('parents.read')], component: Blank },
            { path: 'reports', canMatch: [permissionGuard('reports.read')], component: Blank },
            { path: 'alerts', canMatch: [permissionGuard('alerts.read')], component: Blank },
          ],
        },
      ]),
      {
        provide: AuthService,
        useValue: {
          ensureMe: () => Promise.resolve(user),
          can: (permission: Permission) => permissions.has(permission),
          homeUrl: () => (user?.role === 'coordinator' ? '/reports' : '/alerts'),
        },
      },
    ],
  });
  const router = TestBed.inject(Router);
  await router.navigateByUrl(url);
  return { router, notices: TestBed.inject(NoticeService) };
}

describe('route guards', () => {
  it('sends a coordinator who opens /parents to /reports, with an "access refused" notice', async () => {
    const { router, notices } = await navigateAs(
      me('coordinator', ['reports.read', 'reports.export', 'self']),
      '/parents',
    );
    expect(router.url).toBe('/reports');
    expect(notices.notice()).toEqual({ key: 'notice.accessDenied', kind: 'warning' });
  });

  it('lets a professional open /parents', async () => {
    const { router, notices } = await navigateAs(
      me('professional', ['parents.read', 'alerts.read']),
      '/parents',
    );
    expect(router.url).toBe('/parents');
    expect(notices.notice()).toBeNull();
  });

  it('sends a signed-out visitor to the sign-in page, with the way back', async () => {
    const { router } = await navigateAs(null, '/alerts');
    expect(router.url).toBe('/sign-in?returnUrl=%2Falerts');
  });
});
