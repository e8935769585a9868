import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { OrganisationSummary, Permission, UserRole } from '@lien/shared';
import type { ReferralResource } from './referrals-api';
import { referralRequest } from './referral-form';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { ReferralsPage } from './referrals.page';
import { flushApiError, flushBadRequest, shownTestIds, testIdTools } from '../ui/spec-helpers';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const ARRAS = { organisationId: 'a0a0a0a0-0000-4000-8000-000000000001', organisationName: 'PMI d’Arras' };
const LILLE = {
  organisationId: 'a0a0a0a0-0000-4000-8000-000000000002',
  organisationName: 'Maternité de Lille',
};

const CMP: ReferralResource = {
  ...ARRAS,
  id: 'b0b0b0b0-0000-4000-8000-000000000001',
  name: 'CMP de Lens',
  kind: 'cmp',
  address: '12 rue de Lille, 62300 Lens',
  phone: '+33321000000',
  languages: ['fr', 'ar'],
  acceptsNewPatients: true,
  usualDelayDays: 21,
  updatedAt: '2026-03-01T08:00:00.000Z',
};
const UMB: ReferralResource = {
  ...ARRAS,
  id: 'b0b0b0b0-0000-4000-8000-000000000002',
  name: 'Unité mère-bébé d’Arras',
  kind: 'mother_baby_unit',
  address: '3 avenue Winston-Churchill, 62000 Arras',
  phone: null,
  languages: [],
  acceptsNewPatients: false,
  usualDelayDays: null,
  updatedAt: '2026-03-01T08:00:00.000Z',
};

describe('referralRequest', () => {
  it('sends empty texts as null and the languages as a list of codes', () => {
    expect(
      referralRequest({
        name: ' Écoute parents ',
        kind: 'helpline',
        address: ' ',
        phone: '',
        languages: 'FR, en,',
        acceptsNewPatients: true,
        usualDelayDays: null,
      }),
    ).toEqual({
      name: 'Écoute parents',
      kind: 'helpline',
      address: null,
      phone: null,
      languages: ['fr', 'en'],
      acceptsNewPatients: true,
      usualDelayDays: null,
    });
  });
});

describe('ReferralsPage', () => {
  let fixture: ComponentFixture<ReferralsPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const { byTestId, type, fieldError } = testIdTools(() => element);
  const rows = (): HTMLElement[] => [
    ...element.querySelectorAll<HTMLElement>('[data-testid="referral-row"]'),
  ];
  async function tick(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
  }
  /** After a save: the list reloads (a pending request, so not whenStable). */
  async function afterSave(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
    TestBed.tick();
  }
  async function pick(select: HTMLElement, label: string): Promise<void> {
    select.querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const panel = document.getElementById(select.getAttribute('aria-controls') ?? '');
    const option = [...(panel?.querySelectorAll<HTMLElement>('mat-option') ?? [])].find(
      (candidate) => candidate.textContent?.trim() === label,
    );
    if (!option) throw new Error(`no option ${label}`);
    option.click();
    await tick();
  }

  async function open(permissions: Permission[], role: UserRole = 'org_admin'): Promise<void> {
    configurePageTestBed(permissions, {
      me: { role },
      // The confirmation dialog closes at once (jsdom runs no CSS animation to wait for).
      providers: [{ provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }],
    });
    ({ fixture, element, backend } = openPage(ReferralsPage));
    backend.expectOne('/api/referral-resources').flush(directory);
    // A coordinator's page also reads the territory's organisations (for its picker and filter).
    if (role === 'coordinator') backend.expectOne('/api/organisations').flush(territory);
    await tick();
  }
  let directory: ReferralResource[] = [];
  let territory: OrganisationSummary[] = [];
  beforeEach(() => {
    directory = [UMB, CMP];
  });
  afterEach(() => backend.verify());

  it('lists the directory by name, phones in French format, and filters by kind and by territory', async () => {
    await open(['referrals.read', 'referrals.manage']);
    expect(rows().map((row) => row.querySelector('h3')?.textContent?.trim())).toEqual([
      'CMP de Lens',
      'Unité mère-bébé d’Arras',
    ]);
    expect(byTestId('referral-row-phone', rows()[0]).textContent).toContain('03 21 00 00 00');
    expect(rows()[0]!.textContent).toContain('CMP (centre médico-psychologique)');
    expect(rows()[0]!.textContent).toContain('21 jours');

    await pick(byTestId('referral-filter-kind'), 'Unité mère-bébé');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.textContent).toContain('Arras');

    await pick(byTestId('referral-filter-kind'), 'Tous les types');
    type('referral-filter-territory', '62300');
    await tick();
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.textContent).toContain('CMP de Lens');
    type('referral-filter-territory', 'arras');
    await tick();
    expect(rows().map((row) => row.querySelector('h3')?.textContent?.trim())).toEqual([
      'Unité mère-bébé d’Arras',
    ]);
    expect(byTestId('referrals-count').textContent).toMatch(/\b1 ressource\b(?![s(])/);
  });

  it('adds a resource with POST and lists it', async () => {
    await open(['referrals.read', 'referrals.manage']);
    type('referral-name', 'Écoute parents 62');
    await pick(byTestId('referral-kind'), 'Ligne d’écoute');
    type('referral-phone', '03 21 11 22 33');
    type('referral-languages', 'fr, en');
    type('referral-delay', '0');
    await tick();
    byTestId<HTMLButtonElement>('referral-submit').click();
    const request = backend.expectOne({ method: 'POST', url: '/api/referral-resources' });
    expect(request.request.body).toEqual({
      name: 'Écoute parents 62',
      kind: 'helpline',
      address: null,
      phone: '03 21 11 22 33',
      languages: ['fr', 'en'],
      acceptsNewPatients: true,
      usualDelayDays: 0,
    });
    const created: ReferralResource = {
      ...request.request.body,
      id: 'b0b0b0b0-0000-4000-8000-000000000003',
      phone: '+33321112233',
      updatedAt: CMP.updatedAt,
    };
    request.flush(created);
    await afterSave();
    backend.expectOne('/api/referral-resources').flush([UMB, CMP, created]);
    await tick();
    expect(byTestId('referrals-status').textContent).toContain('Ressource « Écoute parents 62 » ajoutée.');
    // The emptied form is not marked as submitted: no "required" on its fresh fields.
    expect(byTestId('referral-form').querySelectorAll('mat-error')).toHaveLength(0);
    expect(byTestId<HTMLInputElement>('referral-languages').value).toBe('fr');
    expect(rows()).toHaveLength(3);
  });

  it('edits a resource with PATCH, the form filled from it', async () => {
    await open(['referrals.read', 'referrals.manage']);
    byTestId<HTMLButtonElement>('referral-edit', rows()[0]).click();
    await tick();
    expect(byTestId<HTMLInputElement>('referral-name').value).toBe('CMP de Lens');
    expect(byTestId<HTMLInputElement>('referral-phone').value).toBe('03 21 00 00 00');
    expect(document.activeElement).toBe(byTestId('referral-name'));
    byTestId('referral-accepts').querySelector('input')!.click();
    type('referral-delay', '45');
    await tick();
    byTestId<HTMLButtonElement>('referral-submit').click();
    const request = backend.expectOne({ method: 'PATCH', url: `/api/referral-resources/${CMP.id}` });
    expect(request.request.body).toMatchObject({
      acceptsNewPatients: false,
      usualDelayDays: 45,
      kind: 'cmp',
    });
    request.flush({ ...CMP, acceptsNewPatients: false, usualDelayDays: 45 });
    await afterSave();
    backend.expectOne('/api/referral-resources').flush([UMB, { ...CMP, usualDelayDays: 45 }]);
    await tick();
    expect(byTestId('referrals-status').textContent).toContain('Ressource « CMP de Lens » enregistrée.');
    expect(rows()[0]!.textContent).toContain('45 jours');
  });

  it('removes a resource after asking, with DELETE', async () => {
    await open(['referrals.read', 'referrals.manage']);
    byTestId<HTMLButtonElement>('referral-remove', rows()[1]).click();
    await tick();
    expect(document.querySelector('mat-dialog-container')?.textContent).toContain('Unité mère-bébé d’Arras');
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-ok"]')!.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    fixture.detectChanges();
    backend.expectOne({ method: 'DELETE', url: `/api/referral-resources/${UMB.id}` }).flush(null);
    await afterSave();
    backend.expectOne('/api/referral-resources').flush([CMP]);
    await tick();
    expect(byTestId('referrals-status').textContent).toContain('retirée de l’annuaire');
    expect(rows()).toHaveLength(1);
  });

  it('puts a 400’s field errors on their fields, in French', async () => {
    await open(['referrals.read', 'referrals.manage']);
    type('referral-name', 'CMP de Liévin');
    await pick(byTestId('referral-kind'), 'CMP (centre médico-psychologique)');
    type('referral-phone', '01 23');
    await tick();
    byTestId<HTMLButtonElement>('referral-submit').click();
    flushBadRequest(backend.expectOne({ method: 'POST', url: '/api/referral-resources' }), [
      { field: 'phone', message: 'phone must be a French phone number' },
    ]);
    await tick();
    expect(fieldError('referral-phone')).toContain('Saisissez un numéro de téléphone français valide.');
    expect(byTestId('referrals-error').textContent).toContain('À vérifier : Téléphone.');
    expect(byTestId('referrals-error').textContent).not.toContain('must');
  });

  it('is read-only without the right to keep the directory: no form, no edit or remove', async () => {
    await open(['referrals.read']);
    expect(rows()).toHaveLength(2);
    expect(shownTestIds(element, ['referral-form', 'referral-edit', 'referral-remove'])).toEqual([]);
  });

  describe('for a coordinator (the directories of a territory)', () => {
    const organisation = (values: typeof ARRAS): OrganisationSummary =>
      ({ id: values.organisationId, name: values.organisationName }) as OrganisationSummary;
    const LILLE_CMP: ReferralResource = {
      ...CMP,
      ...LILLE,
      id: 'b0b0b0b0-0000-4000-8000-000000000009',
      name: 'CMP Lille Sud',
      address: '5 rue Nationale, 59000 Lille',
    };

    async function openAsCoordinator(): Promise<void> {
      directory = [UMB, CMP, LILLE_CMP];
      territory = [organisation(LILLE), organisation(ARRAS)];
      await open(['referrals.read', 'referrals.manage', 'reports.read'], 'coordinator');
    }

    it('names each entry’s organisation and filters by organisation', async () => {
      await openAsCoordinator();
      expect(
        rows().map((row) => [
          row.querySelector('h3')?.textContent?.trim(),
          byTestId('referral-row-organisation', row).textContent?.trim(),
        ]),
      ).toEqual([
        ['CMP de Lens', 'PMI d’Arras'],
        ['CMP Lille Sud', 'Maternité de Lille'],
        ['Unité mère-bébé d’Arras', 'PMI d’Arras'],
      ]);
      await pick(byTestId('referral-filter-organisation'), 'Maternité de Lille');
      expect(rows().map((row) => row.querySelector('h3')?.textContent?.trim())).toEqual(['CMP Lille Sud']);
    });

    it('asks which organisation receives a new entry, and sends it', async () => {
      await openAsCoordinator();
      type('referral-name', 'Écoute parents 59');
      await pick(byTestId('referral-kind'), 'Ligne d’écoute');
      byTestId<HTMLButtonElement>('referral-submit').click();
      await tick();
      // Not sent without an organisation: the field says so.
      backend.expectNone({ method: 'POST', url: '/api/referral-resources' });
      expect(fieldError('referral-organisation')).toContain('Ce champ est obligatoire');

      await pick(byTestId('referral-organisation'), 'Maternité de Lille');
      byTestId<HTMLButtonElement>('referral-submit').click();
      const request = backend.expectOne({ method: 'POST', url: '/api/referral-resources' });
      expect(request.request.body).toMatchObject({
        organisationId: LILLE.organisationId,
        name: 'Écoute parents 59',
        kind: 'helpline',
      });
      request.flush({ ...LILLE_CMP, id: 'b0b0b0b0-0000-4000-8000-00000000000a', name: 'Écoute parents 59' });
      await afterSave();
      backend.expectOne('/api/referral-resources').flush(directory);
      await tick();
      expect(byTestId('referrals-status').textContent).toContain('Ressource « Écoute parents 59 » ajoutée.');
      // The next entry goes to the same organisation unless changed; the fresh fields show no error.
      expect(byTestId('referral-organisation').textContent).toContain('Maternité de Lille');
      expect(byTestId('referral-form').querySelectorAll('mat-error')).toHaveLength(0);
    });

    it('edits an entry without moving it to another organisation', async () => {
      await openAsCoordinator();
      byTestId<HTMLButtonElement>('referral-edit', rows()[1]).click();
      await tick();
      expect(byTestId('referral-organisation').textContent).toContain('Maternité de Lille');
      expect(byTestId('referral-organisation').getAttribute('aria-disabled')).toBe('true');
      type('referral-delay', '30');
      await tick();
      byTestId<HTMLButtonElement>('referral-submit').click();
      const request = backend.expectOne({ method: 'PATCH', url: `/api/referral-resources/${LILLE_CMP.id}` });
      expect(request.request.body).not.toHaveProperty('organisationId');
      expect(request.request.body).toMatchObject({ usualDelayDays: 30 });
      request.flush({ ...LILLE_CMP, usualDelayDays: 30 });
      await afterSave();
      backend.expectOne('/api/referral-resources').flush(directory);
      await tick();
    });

    it('puts a 404 on the organisation field in French', async () => {
      await openAsCoordinator();
      await pick(byTestId('referral-organisation'), 'PMI d’Arras');
      type('referral-name', 'CMP');
      await pick(byTestId('referral-kind'), 'CMP (centre médico-psychologique)');
      byTestId<HTMLButtonElement>('referral-submit').click();
      flushApiError(backend.expectOne({ method: 'POST', url: '/api/referral-resources' }), 404, {
        message: 'organisationId: Organisation not found',
        code: 'not_found',
        details: [{ field: 'organisationId', message: 'organisationId names no organisation you keep' }],
      });
      await tick();
      expect(fieldError('referral-organisation')).toContain(
        'Choisissez une organisation de votre territoire.',
      );
      expect(byTestId('referrals-error').textContent).toContain('À vérifier : Organisation.');
    });
  });

  it('asks no organisation of an org admin (their own receives the entry)', async () => {
    await open(['referrals.read', 'referrals.manage']);
    backend.expectNone('/api/organisations');
    expect(
      shownTestIds(element, [
        'referral-organisation',
        'referral-filter-organisation',
        'referral-row-organisation',
      ]),
    ).toEqual([]);
  });
});
