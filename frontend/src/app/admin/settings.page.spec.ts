import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  type MeResponse,
  type OrganisationSettingsResponse,
  type Permission,
} from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { SettingsPage } from './settings.page';

jest.setTimeout(20_000);

const SETTINGS: OrganisationSettingsResponse = {
  ...DEFAULT_ORGANISATION_SETTINGS,
  smsSender: 'PMI62',
  waves: [
    ...DEFAULT_ORGANISATION_SETTINGS.waves,
    {
      key: 'day120',
      offsetDays: 120,
      windowStartDay: 90,
      windowEndDay: 180,
      noResponseTask: true,
      roles: ['father', 'co_parent'],
      rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 2 },
    },
  ],
};

describe('SettingsPage: waves by role', () => {
  let fixture: ComponentFixture<SettingsPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.resetTestingModule();
    const permissions = new Set<Permission>(['organisation.settings.read', 'organisation.settings.write']);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: AuthService,
          useValue: {
            me: signal<Partial<MeResponse>>({ id: 'me', organisation: { id: 'o1', name: 'PMI' } } as never),
            permissions: signal(permissions),
          },
        },
      ],
    });
    fixture = TestBed.createComponent(SettingsPage);
    element = fixture.nativeElement as HTMLElement;
    backend = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    TestBed.tick();
    backend.expectOne('/api/organisations/o1/settings').flush(SETTINGS);
    await fixture.whenStable();
    fixture.detectChanges();
  });

  it('shows the roles a wave is for and its re-screen rule; a wave for everyone lists no role', () => {
    expect(element.querySelector('[data-testid="settings-wave-roles-2"]')?.textContent).toContain(
      'Père, Coparent',
    );
    expect(element.querySelector('[data-testid="settings-wave-roles-0"]')?.textContent?.trim()).toBe('');
    expect(element.querySelector('[data-testid="settings-wave-rescreen-2"]')?.textContent).toContain(
      'Nouvelle invitation 28 jours après un score modéré, 2 fois au plus',
    );
    expect(element.querySelector('[data-testid="settings-wave-rescreen-0"]')).toBeNull();
  });
});
