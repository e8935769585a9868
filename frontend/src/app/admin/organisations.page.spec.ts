import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { OrganisationSummary } from '@lien/shared';
import { anOrganisation, flushBadRequest, testIdTyper } from '../ui/spec-helpers';
import { OrganisationsPage } from './organisations.page';

const LENS: OrganisationSummary = anOrganisation({ smsSender: 'Lien62' });

describe('OrganisationsPage (platform admin)', () => {
  let fixture: ComponentFixture<OrganisationsPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  /** The save resolves, then the list reloads (a pending request: not whenStable). */
  async function afterSave(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
    TestBed.tick();
  }

  const type = testIdTyper(() => element);

  beforeEach(async () => {
    configurePageTestBed([]);
    ({ fixture, element, backend } = openPage(OrganisationsPage));
    backend.expectOne('/api/organisations').flush([LENS]);
    await settle();
  });

  it('lists the organisations with their département, time zone and sender', () => {
    const rows = [...element.querySelectorAll('[data-testid="organisation-row"]')];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toContain('PMI de Lens');
    expect(rows[0]?.textContent).toContain('62');
    expect(rows[0]?.textContent).toContain('Europe/Paris');
    expect(rows[0]?.textContent).toContain('Lien62');
  });

  it('creates an organisation (time zone from the département unless chosen) and lists it', async () => {
    type('organisation-name', 'Maternité de Pointe-à-Pitre');
    type('organisation-departement', '971');
    type('organisation-sender', 'LienGP');
    fixture.detectChanges();
    (element.querySelector('[data-testid="organisation-submit"]') as HTMLButtonElement).click();
    const request = backend.expectOne({ method: 'POST', url: '/api/organisations' });
    expect(request.request.body).toEqual({
      name: 'Maternité de Pointe-à-Pitre',
      kind: 'pmi',
      departement: '971',
      smsSender: 'LienGP',
    });
    request.flush({ ...LENS, id: 'o2', name: 'Maternité de Pointe-à-Pitre' });
    await afterSave();
    backend.expectOne('/api/organisations').flush([LENS]);
    await settle();
    expect(element.querySelector('[data-testid="organisations-status"]')?.textContent).toContain(
      'Organisation « Maternité de Pointe-à-Pitre » créée.',
    );
  });

  it('edits an organisation with PATCH, the sender fixed', async () => {
    (element.querySelector('[data-testid="organisation-edit"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    expect(element.querySelector<HTMLInputElement>('[data-testid="organisation-sender"]')?.disabled).toBe(
      true,
    );
    type('organisation-name', 'PMI de Lens-Liévin');
    fixture.detectChanges();
    (element.querySelector('[data-testid="organisation-submit"]') as HTMLButtonElement).click();
    const request = backend.expectOne({ method: 'PATCH', url: '/api/organisations/o1' });
    expect(request.request.body).toEqual({
      name: 'PMI de Lens-Liévin',
      kind: 'pmi',
      departement: '62',
      timeZone: 'Europe/Paris',
    });
    request.flush({ ...LENS, name: 'PMI de Lens-Liévin' });
    await afterSave();
    backend.expectOne('/api/organisations').flush([{ ...LENS, name: 'PMI de Lens-Liévin' }]);
    await settle();
    expect(element.querySelector('[data-testid="organisation-row"]')?.textContent).toContain(
      'PMI de Lens-Liévin',
    );
  });

  it('says an API refusal in French: each field’s own message on it, the fields named above', async () => {
    type('organisation-name', 'X');
    type('organisation-departement', '99');
    type('organisation-sender', 'Lien99');
    fixture.detectChanges();
    (element.querySelector('[data-testid="organisation-submit"]') as HTMLButtonElement).click();
    flushBadRequest(backend.expectOne({ method: 'POST', url: '/api/organisations' }), {
      message: 'Validation failed',
      details: [
        { field: 'departement', message: 'departement must be an INSEE département code' },
        { field: 'timeZone', message: 'timeZone must be an IANA time zone' },
      ],
    });
    await settle();
    const error = element.querySelector('[data-testid="organisations-error"]')?.textContent ?? '';
    expect(error).toContain('À vérifier : Département, Fuseau horaire.');
    expect(error).not.toContain('must be');
    const fieldError = (testId: string) =>
      element
        .querySelector(`[data-testid="${testId}"]`)
        ?.closest('mat-form-field')
        ?.querySelector('mat-error')?.textContent ?? '';
    expect(fieldError('organisation-departement')).toContain('Numéro de département attendu');
    expect(fieldError('organisation-time-zone')).toContain('Fuseau horaire inconnu');
    expect(fieldError('organisation-name')).toBe('');
    expect(element.textContent).not.toContain('must be');
  });
});
