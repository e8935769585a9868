import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { DEFAULT_ORGANISATION_SETTINGS, type OrganisationSettingsResponse } from '@lien/shared';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { DAY120_WAVE } from './settings.fixtures';
import { SettingsPage } from './settings.page';

jest.setTimeout(20_000);

const SETTINGS: OrganisationSettingsResponse = {
  ...DEFAULT_ORGANISATION_SETTINGS,
  smsSender: 'PMI62',
  usedWaveKeys: ['day7'],
  waves: [...DEFAULT_ORGANISATION_SETTINGS.waves, DAY120_WAVE],
};

describe('SettingsPage: waves by role', () => {
  let fixture: ComponentFixture<SettingsPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(async () => {
    configurePageTestBed(['organisation.settings.read', 'organisation.settings.write'], {
      me: { organisation: { id: 'o1', name: 'PMI' } } as never,
    });
    ({ fixture, element, backend } = openPage(SettingsPage));
    backend.expectOne('/api/organisations/o1/settings').flush(SETTINGS);
    backend.expectOne('/api/paging/rota').flush({
      ackMinutes: 10,
      voice: false,
      entries: [],
      gaps: [
        { weekday: 6, start: '00:00', end: '24:00' },
        { weekday: 7, start: '00:00', end: '24:00' },
      ],
    });
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

  it('says when hours of the week have nobody on call, with the way to the rota', () => {
    const notice = element.querySelector('[data-testid="settings-rota-gaps"]');
    expect(notice?.textContent).toContain('2 créneaux de la semaine n’ont personne d’astreinte');
    expect(notice?.querySelector('a')?.getAttribute('href')).toBe('/admin/on-call');
  });

  it('locks a used wave key with a reason, and names the sending window for what it is', () => {
    const usedKey = element.querySelector<HTMLInputElement>('[data-testid="settings-wave-key-0"]');
    const freeKey = element.querySelector<HTMLInputElement>('[data-testid="settings-wave-key-2"]');
    expect(usedKey?.disabled).toBe(true);
    expect(usedKey?.closest('mat-form-field')?.textContent).toContain(
      'Déjà utilisé par des invitations : non modifiable',
    );
    expect(freeKey?.disabled).toBe(false);
    expect(element.textContent).toContain('Plage d’envoi autorisée');
    expect(element.textContent).not.toContain('Heures calmes');
  });

  it('shows each role’s thresholds with their sources, and “saved” beside the save button', async () => {
    const motherHigh = element.querySelector<HTMLInputElement>(
      '[data-testid="settings-threshold-mother-high"]',
    );
    expect(motherHigh?.value).toBe(String(SETTINGS.thresholds.mother.high));
    expect(motherHigh?.closest('mat-form-field')?.textContent).toContain('Cox et al. 1987');
    expect(element.querySelectorAll('lien-threshold-fields')).toHaveLength(3);

    element.querySelector<HTMLButtonElement>('[data-testid="settings-save"]')?.click();
    const patch = backend.expectOne('/api/organisations/o1/settings');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body.waves[0].key).toBe('day7');
    expect(patch.request.body.alertListParentName).toBe('initials');
    expect(element.querySelector('[data-testid="settings-alert-list-names"]')?.textContent).toContain(
      'Initiales',
    );
    patch.flush(SETTINGS);
    await fixture.whenStable();
    fixture.detectChanges();
    const status = element.querySelector('[data-testid="settings-status"]');
    expect(status?.textContent).toContain('Paramètres enregistrés.');
    expect(status?.closest('.sticky-actions')).not.toBeNull();
  });
});
