import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { UserListResponse, UserSummary } from '@lien/shared';
import type { RotaView } from './on-call-api';
import { rotaRequest, slotForm } from './on-call-form';
import { OnCallPage } from './on-call.page';
import { flushBadRequest, testIdTools } from '../ui/spec-helpers';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const SOPHIE = 'a0a0a0a0-0000-4000-8000-000000000001';
const NADIA = 'a0a0a0a0-0000-4000-8000-000000000002';

const member = (id: string, displayName: string): UserSummary => ({
  id,
  email: `${id}@lien.demo`,
  displayName,
  role: 'professional',
  organisationId: 'o1',
  organisationName: 'PMI de Lens',
  territory: { departements: [], region: null },
  rpps: null,
  status: 'active',
  active: true,
  totpEnabled: false,
  oidcLinked: false,
  lastLoginAt: null,
  createdAt: '2026-01-01T00:00:00Z',
});

const MEMBERS: UserListResponse = {
  items: [member(SOPHIE, 'Sophie Martin'), member(NADIA, 'Nadia Benali')],
  total: 2,
  page: 1,
  pageSize: 100,
};

const ROTA: RotaView = {
  ackMinutes: 10,
  voice: false,
  entries: [
    { userId: SOPHIE, weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '08:00', phone: '+33612345678' },
  ],
  gaps: [{ weekday: 1, start: '00:00', end: '18:00' }],
};

describe('rotaRequest', () => {
  it('sends weekdays in order and a French mobile as E.164', () => {
    const slot = slotForm();
    slot.setValue({ userId: NADIA, weekdays: [6, 1], start: '08:00', end: '20:00', phone: '07 81 23 45 61' });
    expect(rotaRequest(15, true, [slot])).toEqual({
      ackMinutes: 15,
      voice: true,
      entries: [{ userId: NADIA, weekdays: [1, 6], start: '08:00', end: '20:00', phone: '+33781234561' }],
    });
  });
});

describe('OnCallPage', () => {
  let fixture: ComponentFixture<OnCallPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const { byTestId, type, fieldError } = testIdTools(() => element, ['blur']);
  const slots = (): HTMLElement[] => [...element.querySelectorAll<HTMLElement>('[data-testid="rota-slot"]')];
  async function tick(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
  }
  /** Opens a select, clicks the options by their text (in that select's own panel), closes it. */
  async function pick(select: HTMLElement, labels: string[]): Promise<void> {
    select.querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const panel = document.getElementById(select.getAttribute('aria-controls') ?? '');
    if (!panel) throw new Error('the select did not open');
    for (const label of labels) {
      const option = [...panel.querySelectorAll<HTMLElement>('mat-option')].find(
        (candidate) => candidate.textContent?.trim() === label,
      );
      if (!option) throw new Error(`no option ${label}`);
      option.click();
      fixture.detectChanges();
    }
    // A multiple select stays open: Escape closes it (a single one is already closed).
    select.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    fixture.detectChanges();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    configurePageTestBed([]);
    ({ fixture, element, backend } = openPage(OnCallPage));
    backend.expectOne('/api/paging/rota').flush(ROTA);
    backend.expectOne((request) => request.url === '/api/users').flush(MEMBERS);
    await tick();
  });
  afterEach(() => backend.verify());

  it('shows each slot with its professional, days, 24 h times, the mobile in French format, and the gaps', () => {
    expect(slots()).toHaveLength(1);
    const slot = slots()[0]!;
    expect(byTestId('rota-user', slot).textContent).toContain('Sophie Martin');
    expect(byTestId('rota-weekdays', slot).textContent).toContain('Lundi, Mardi, Mercredi, Jeudi, Vendredi');
    expect(byTestId('rota-start', slot).textContent).toContain('18 h 00');
    expect(byTestId('rota-end', slot).textContent).toContain('08 h 00');
    expect(byTestId<HTMLInputElement>('rota-phone', slot).value).toBe('06 12 34 56 78');
    expect(byTestId('rota-gaps').textContent).toContain('Lundi de 00 h 00 à 18 h 00');
    // Every field has a visible label (the accessible name of the select).
    expect(slot.querySelector('legend')?.textContent).toContain('Créneau 1');
    expect(slot.querySelectorAll('mat-label')).toHaveLength(5);
  });

  it('adds a slot, edits it and saves the whole rota with PUT', async () => {
    byTestId<HTMLButtonElement>('rota-add').click();
    await tick();
    expect(slots()).toHaveLength(2);
    const added = slots()[1]!;
    await pick(byTestId('rota-user', added), ['Nadia Benali']);
    await pick(byTestId('rota-weekdays', added), [
      'Lundi',
      'Mardi',
      'Mercredi',
      'Jeudi',
      'Vendredi',
      'Samedi',
    ]);
    await pick(byTestId('rota-start', added), ['08 h 00']);
    await pick(byTestId('rota-end', added), ['18 h 00']);
    type('rota-phone', '07 81 23 45 62', added);
    // And the first slot's mobile is edited.
    type('rota-phone', '06 98 76 54 32', slots()[0]);
    fixture.detectChanges();
    byTestId<HTMLButtonElement>('rota-save').click();
    const request = backend.expectOne({ method: 'PUT', url: '/api/paging/rota' });
    expect(request.request.body).toEqual({
      ackMinutes: 10,
      voice: false,
      entries: [
        { userId: SOPHIE, weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '08:00', phone: '+33698765432' },
        { userId: NADIA, weekdays: [6], start: '08:00', end: '18:00', phone: '+33781234562' },
      ],
    });
    request.flush({ ...ROTA, entries: request.request.body.entries, gaps: [] });
    await tick();
    expect(byTestId('rota-status').textContent).toContain('Astreinte enregistrée.');
    expect(byTestId('rota-no-gap').textContent).toContain('Toute la semaine est couverte.');
    expect(byTestId<HTMLInputElement>('rota-phone', slots()[1]).value).toBe('07 81 23 45 62');
  });

  it('removes a slot and saves an empty rota', async () => {
    byTestId<HTMLButtonElement>('rota-remove').click();
    await tick();
    expect(slots()).toHaveLength(0);
    expect(byTestId('rota-empty').textContent).toContain('Aucun créneau');
    byTestId<HTMLButtonElement>('rota-save').click();
    const request = backend.expectOne({ method: 'PUT', url: '/api/paging/rota' });
    expect(request.request.body).toEqual({ ackMinutes: 10, voice: false, entries: [] });
    request.flush({ ...ROTA, entries: [], gaps: [] });
    await tick();
  });

  it('puts each field error of a 400 on its field, in French, and names the fields above', async () => {
    byTestId<HTMLButtonElement>('rota-save').click();
    flushBadRequest(backend.expectOne({ method: 'PUT', url: '/api/paging/rota' }), [
      { field: 'entries[0].phone', message: 'entries[0].phone must be a mobile number' },
      { field: 'entries[0].end', message: 'entries[0].end must differ from the start' },
    ]);
    await tick();
    const slot = slots()[0]!;
    expect(fieldError('rota-phone', slot)).toContain('Saisissez un numéro de mobile français valide.');
    expect(fieldError('rota-end', slot)).toContain(
      'L’heure de fin doit être différente de l’heure de début.',
    );
    const summary = byTestId('rota-error').textContent ?? '';
    expect(summary).toContain('créneau 1, Mobile professionnel');
    expect(summary).toContain('créneau 1, Fin');
    expect(summary).not.toContain('must');
  });

  it('checks a slot before sending: no professional, no request', async () => {
    byTestId<HTMLButtonElement>('rota-add').click();
    await tick();
    byTestId<HTMLButtonElement>('rota-save').click();
    await tick();
    backend.expectNone({ method: 'PUT', url: '/api/paging/rota' });
    const added = slots()[1]!;
    expect(fieldError('rota-user', added)).toContain('Ce champ est obligatoire.');
    expect(byTestId('rota-error').textContent).toContain('Certains champs sont à corriger');
  });
});
