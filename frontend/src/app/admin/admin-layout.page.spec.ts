import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ROLE_PERMISSIONS, type Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { AdminLayoutPage } from './admin-layout.page';
import { ADMIN_PERMISSIONS } from './admin.guard';

jest.setTimeout(20_000);

/** The tabs a user sees follow the API's permissions (the routes' guards say the same). */
function tabs(permissions: readonly Permission[]): string[] {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      {
        provide: AuthService,
        useValue: { can: (permission: Permission) => permissions.includes(permission) },
      },
    ],
  });
  const fixture = TestBed.createComponent(AdminLayoutPage);
  fixture.detectChanges();
  return [...(fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid^="admin-tab-"]')].map(
    (tab) => tab.getAttribute('data-testid') ?? '',
  );
}

describe('AdminLayoutPage tabs', () => {
  it('gives an organisation admin the on-call rota, the referral directory and the sources', () => {
    const shown = tabs(ROLE_PERMISSIONS.org_admin);
    expect(shown).toEqual(
      expect.arrayContaining(['admin-tab-on-call', 'admin-tab-referrals', 'admin-tab-sources']),
    );
  });

  it('shows none of them to a platform admin, who belongs to no organisation', () => {
    const shown = tabs(ROLE_PERMISSIONS.platform_admin);
    expect(shown).not.toContain('admin-tab-on-call');
    expect(shown).not.toContain('admin-tab-referrals');
    expect(shown).not.toContain('admin-tab-sources');
  });

  it('shows the directory alone to someone who may read but not keep it or write the settings', () => {
    const shown = tabs(['referrals.read', 'audit.read']);
    expect(shown).toContain('admin-tab-referrals');
    expect(shown).not.toContain('admin-tab-on-call');
    expect(shown).not.toContain('admin-tab-sources');
  });

  it('opens the admin area to a coordinator with the directory of the territory as its one tab', () => {
    expect(ADMIN_PERMISSIONS.some((permission) => ROLE_PERMISSIONS.coordinator.includes(permission))).toBe(
      true,
    );
    expect(tabs(ROLE_PERMISSIONS.coordinator)).toEqual(['admin-tab-referrals']);
  });

  it('keeps the admin area closed to a professional', () => {
    expect(ADMIN_PERMISSIONS.some((permission) => ROLE_PERMISSIONS.professional.includes(permission))).toBe(
      false,
    );
  });
});
