import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { Permission, ScreeningSourceStats, ScreeningSourceView } from '@lien/shared';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { SourcesPage, sourceRequest } from './sources.page';
import {
  flushApiError,
  flushBadRequest,
  shownTestIds,
  testIdFormSubmitter,
  testIdTools,
} from '../ui/spec-helpers';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const LEAFLET: ScreeningSourceView = {
  id: 'c0c0c0c0-0000-4000-8000-000000000001',
  code: 'maternite-lens',
  name: 'Dépliant de la maternité de Lens',
  partner: 'Maternité de Lens',
  url: 'https://lien.example/depistage/maternite-lens',
  createdAt: '2026-03-01T08:00:00.000Z',
};
const STATS: ScreeningSourceStats = {
  source: LEAFLET,
  screenings: { value: 120, suppressed: false },
  positive: { value: 30, suppressed: false },
  positiveRate: { value: 0.25, suppressed: false },
  contactRequests: { value: null, suppressed: true, reason: 'small_count' },
};

describe('sourceRequest', () => {
  it('leaves an empty partner and code out', () => {
    expect(sourceRequest({ name: ' Affiche CAF ', partner: ' ', code: '' })).toEqual({ name: 'Affiche CAF' });
    expect(sourceRequest({ name: 'Affiche', partner: 'CAF 62', code: 'caf-62' })).toEqual({
      name: 'Affiche',
      partner: 'CAF 62',
      code: 'caf-62',
    });
  });
});

describe('SourcesPage', () => {
  let fixture: ComponentFixture<SourcesPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const { byTestId, fieldError } = testIdTools(() => element);
  const submit = testIdFormSubmitter(() => fixture);
  const rows = (): HTMLElement[] => [...element.querySelectorAll<HTMLElement>('[data-testid="source-row"]')];
  async function tick(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
  }

  async function open(permissions: Permission[]): Promise<void> {
    configurePageTestBed(permissions);
    ({ fixture, element, backend } = openPage(SourcesPage));
    backend.expectOne('/api/screening-sources').flush([STATS]);
    await fixture.whenStable();
    fixture.detectChanges();
  }
  afterEach(() => backend.verify());

  it('lists each source with its screenings, positive rate and contact requests, small counts hidden', async () => {
    await open(['reports.read', 'organisation.settings.write']);
    const row = rows()[0]!;
    expect(row.textContent).toContain('Dépliant de la maternité de Lens');
    expect(row.textContent).toContain('maternite-lens');
    expect(byTestId('source-screenings', row).textContent?.replace(/\s/g, '')).toBe('120');
    expect(byTestId('source-positive-rate', row).textContent?.replace(/\s/g, '')).toBe('25%');
    expect(byTestId('source-contact-requests', row).textContent?.trim()).toBe('<5');
  });

  it('creates a source with POST and lists it', async () => {
    await open(['reports.read', 'organisation.settings.write']);
    submit({ 'source-name': 'Affiche de la CAF', 'source-partner': 'CAF du Pas-de-Calais' }, 'source-submit');
    const request = backend.expectOne({ method: 'POST', url: '/api/screening-sources' });
    expect(request.request.body).toEqual({ name: 'Affiche de la CAF', partner: 'CAF du Pas-de-Calais' });
    const created = {
      ...LEAFLET,
      id: 'c0c0c0c0-0000-4000-8000-000000000002',
      code: 'affiche-de-la-caf-a1b2c3',
    };
    request.flush({ ...created, name: 'Affiche de la CAF' });
    await tick();
    backend
      .expectOne('/api/screening-sources')
      .flush([STATS, { ...STATS, source: { ...created, name: 'Affiche de la CAF' } }]);
    await tick();
    expect(byTestId('sources-status').textContent).toContain(
      'Source « Affiche de la CAF » créée (code affiche-de-la-caf-a1b2c3).',
    );
    expect(rows()).toHaveLength(2);
  });

  it('puts a 400 on the field it names, and a taken code on the code field, in French', async () => {
    await open(['reports.read', 'organisation.settings.write']);
    submit({ 'source-name': 'Affiche', 'source-code': 'affiche-lens' }, 'source-submit');
    flushBadRequest(backend.expectOne({ method: 'POST', url: '/api/screening-sources' }), [
      { field: 'partner', message: 'partner must not contain control characters' },
    ]);
    await tick();
    expect(fieldError('source-partner')).toContain('Saisissez un partenaire de 1 à 120 caractères');
    expect(byTestId('sources-error').textContent).toContain('À vérifier : Partenaire.');

    submit({ 'source-partner': '' }, 'source-submit');
    flushApiError(backend.expectOne({ method: 'POST', url: '/api/screening-sources' }), 409, {
      message: 'code "affiche-lens" is already used',
      code: 'source_code_taken',
      details: { field: 'code' },
    });
    await tick();
    expect(fieldError('source-code')).toContain('Ce code de source est déjà utilisé.');
    expect(byTestId('sources-error').textContent).toContain('Ce code de source est déjà utilisé.');
  });

  it('downloads the QR code with the session (SVG and PNG) and copies the widget snippet, saying so', async () => {
    await open(['reports.read', 'organisation.settings.write']);
    const created: Blob[] = [];
    const clicked: string[] = [];
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return `blob:qr-${created.length}`;
    };
    URL.revokeObjectURL = () => undefined;
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    byTestId<HTMLButtonElement>('source-qr-svg').click();
    backend
      .expectOne(`/api/screening-sources/${LEAFLET.id}/qr.svg`)
      .flush(new Blob(['<svg/>'], { type: 'image/svg+xml' }));
    await tick();
    byTestId<HTMLButtonElement>('source-qr-png').click();
    backend
      .expectOne(`/api/screening-sources/${LEAFLET.id}/qr.png`)
      .flush(new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }));
    await tick();
    click.mockRestore();
    expect(clicked).toEqual(['qr-maternite-lens.svg', 'qr-maternite-lens.png']);
    expect(created.map((blob) => blob.type)).toEqual(['image/svg+xml', 'image/png']);

    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => (written.push(text), Promise.resolve()) },
    });
    const snippet = '<iframe id="lien-depistage-maternite-lens" src="…"></iframe>';
    byTestId<HTMLButtonElement>('source-copy-widget').click();
    backend.expectOne(`/api/screening-sources/${LEAFLET.id}/widget`).flush({ url: LEAFLET.url, snippet });
    await tick();
    await tick();
    expect(written).toEqual([snippet]);
    expect(byTestId('source-copied').textContent).toContain('Code du widget copié dans le presse-papiers.');
    expect(byTestId<HTMLTextAreaElement>('source-snippet').value).toBe(snippet);
  });

  it('shows the figures only, without the right to write the settings: no form, no QR code, no widget', async () => {
    await open(['reports.read']);
    expect(rows()).toHaveLength(1);
    expect(shownTestIds(element, ['source-form', 'source-qr-svg', 'source-copy-widget'])).toEqual([]);
  });
});
