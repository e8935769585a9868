import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { OrganisationSummary } from '@lien/shared';
import { anOrganisation, flushBadRequest, testIdFormSubmitter, testIdTools } from '../ui/spec-helpers';
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

  /** Answers the save with `saved`, then the list it reloads with `listed`. */
  async function answerSave(
    save: TestRequest,
    saved: OrganisationSummary,
    listed: OrganisationSummary[],
  ): Promise<void> {
    save.flush(saved);
    // The save resolves, then the list reloads (a pending request: not whenStable).
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
    TestBed.tick();
    backend.expectOne('/api/organisations').flush(listed);
    await settle();
  }

  const { byTestId, fieldError } = testIdTools(() => element);
  const submit = testIdFormSubmitter(() => fixture);

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
    submit(
      {
        'organisation-name': 'Maternité de Pointe-à-Pitre',
        'organisation-departement': '971',
        'organisation-sender': 'LienGP',
      },
      'organisation-submit',
    );
    const request = backend.expectOne({ method: 'POST', url: '/api/organisations' });
    expect(request.request.body).toEqual({
      name: 'Maternité de Pointe-à-Pitre',
      kind: 'pmi',
      departement: '971',
      smsSender: 'LienGP',
    });
    await answerSave(request, { ...LENS, id: 'o2', name: 'Maternité de Pointe-à-Pitre' }, [LENS]);
    expect(element.querySelector('[data-testid="organisations-status"]')?.textContent).toContain(
      'Organisation « Maternité de Pointe-à-Pitre » créée.',
    );
  });

  it('edits an organisation with PATCH, the sender fixed', async () => {
    byTestId('organisation-edit').click();
    fixture.detectChanges();
    expect(byTestId<HTMLInputElement>('organisation-sender').disabled).toBe(true);
    submit({ 'organisation-name': 'PMI de Lens-Liévin' }, 'organisation-submit');
    const request = backend.expectOne({ method: 'PATCH', url: '/api/organisations/o1' });
    expect(request.request.body).toEqual({
      name: 'PMI de Lens-Liévin',
      kind: 'pmi',
      departement: '62',
      timeZone: 'Europe/Paris',
    });
    const renamed = { ...LENS, name: 'PMI de Lens-Liévin' };
    await answerSave(request, renamed, [renamed]);
    expect(element.querySelector('[data-testid="organisation-row"]')?.textContent).toContain(
      'PMI de Lens-Liévin',
    );
  });

  it('says an API refusal in French: each field’s own message on it, the fields named above', async () => {
    submit(
      { 'organisation-name': 'X', 'organisation-departement': '99', 'organisation-sender': 'Lien99' },
      'organisation-submit',
    );
    flushBadRequest(backend.expectOne({ method: 'POST', url: '/api/organisations' }), [
      { field: 'departement', message: 'departement must be an INSEE département code' },
      { field: 'timeZone', message: 'timeZone must be an IANA time zone' },
    ]);
    await settle();
    const error = element.querySelector('[data-testid="organisations-error"]')?.textContent ?? '';
    expect(error).toContain('À vérifier : Département, Fuseau horaire.');
    expect(error).not.toContain('must be');
    expect(fieldError('organisation-departement')).toContain('Numéro de département attendu');
    expect(fieldError('organisation-time-zone')).toContain('Fuseau horaire inconnu');
    expect(fieldError('organisation-name')).toBe('');
    expect(element.textContent).not.toContain('must be');
  });
});
