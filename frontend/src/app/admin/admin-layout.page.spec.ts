import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { AdminLayoutPage } from './admin-layout.page';

jest.setTimeout(20_000);

/** The tabs a user sees follow the API's permissions (the routes' guards say the same). */
function tabs(permissions: Permission[]): string[] {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      { provide: AuthService, useValue: { permissions: signal(new Set(permissions)) } },
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
    const shown = tabs(['organisation.settings.read', 'organisation.settings.write', 'users.manage']);
    expect(shown).toEqual(
      expect.arrayContaining(['admin-tab-on-call', 'admin-tab-referrals', 'admin-tab-sources']),
    );
  });

  it('shows none of them to a platform admin, who belongs to no organisation', () => {
    const shown = tabs(['organisations.manage', 'users.manage', 'reports.read', 'audit.read']);
    expect(shown).not.toContain('admin-tab-on-call');
    expect(shown).not.toContain('admin-tab-referrals');
    expect(shown).not.toContain('admin-tab-sources');
  });

  it('shows the directory alone to someone who may read but not write the settings', () => {
    const shown = tabs(['organisation.settings.read', 'audit.read']);
    expect(shown).toContain('admin-tab-referrals');
    expect(shown).not.toContain('admin-tab-on-call');
    expect(shown).not.toContain('admin-tab-sources');
  });
});
