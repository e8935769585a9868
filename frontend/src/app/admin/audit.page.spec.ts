import { configurePageTestBed, openPage, type OpenedPage } from '../ui/page-test-bed';
import { TestBed } from '@angular/core/testing';
import type { AuditEventView } from '@lien/shared';
import { FormatService } from '../i18n/format.service';
import { testIdTyper } from '../ui/spec-helpers';
import { AUDIT_ACTIONS, AuditPage, auditQuery, dayStart, listedParents } from './audit.page';

jest.setTimeout(20_000);

const event = (action: string, targetType: string | null): AuditEventView => ({
  id: action,
  organisationId: 'o1',
  actorId: 'u1',
  actorDisplayName: 'Claire Lefebvre',
  action,
  targetType,
  targetId: targetType ? 'p1' : null,
  ip: '203.0.113.9',
  requestId: 'r1',
  metadata: {},
  parents: [],
  createdAt: '2026-07-14T12:05:00Z',
});

/** The page in French and Paris time, showing these events as the log's first page. */
async function openAuditPage(items: AuditEventView[]): Promise<OpenedPage<AuditPage>> {
  configurePageTestBed([]);
  TestBed.inject(FormatService).setTimeZone('Europe/Paris');
  const page = openPage(AuditPage);
  page.backend
    .expectOne((request) => request.url === '/api/audit')
    .flush({ items, total: items.length, page: 1, pageSize: 50 });
  await page.fixture.whenStable();
  page.fixture.detectChanges();
  return page;
}

describe('audit log', () => {
  it('filters whole days of the organisation’s time zone, across changes of time', () => {
    expect(dayStart('2026-07-14', 'Europe/Paris')).toBe('2026-07-13T22:00:00.000Z');
    expect(dayStart('2026-01-10', 'Europe/Paris')).toBe('2026-01-09T23:00:00.000Z');
    expect(dayStart('2026-03-29', 'Europe/Paris')).toBe('2026-03-28T23:00:00.000Z');
    expect(dayStart('2026-03-30', 'Europe/Paris')).toBe('2026-03-29T22:00:00.000Z');
    expect(dayStart('2026-07-14', 'America/Cayenne')).toBe('2026-07-14T03:00:00.000Z');
    expect(
      auditQuery(
        { action: 'parent.read', from: '2026-07-01', to: '2026-07-14', page: 1, pageSize: 50 },
        'Europe/Paris',
      ),
    ).toEqual({
      action: 'parent.read',
      from: '2026-06-30T22:00:00.000Z',
      to: '2026-07-14T22:00:00.000Z',
      page: 1,
      pageSize: 50,
    });
  });

  it('speaks French: actions as sentences, targets named, dates as the French write them, actions from a list', async () => {
    const { fixture, element, backend } = await openAuditPage([
      event('parent.read', 'parent'),
      event('auth.login.success', null),
      event('future.action', 'thing'),
    ]);

    const labels = [...element.querySelectorAll('[data-testid="audit-action-label"]')].map((cell) =>
      cell.textContent?.trim(),
    );
    expect(labels).toEqual(['Fiche d’un parent consultée', 'Connexion', 'future.action']);
    const firstRow = element.querySelector('[data-testid="audit-row"]')!;
    expect(firstRow.textContent).toContain('Parent');
    expect(firstRow.textContent).toContain('14 juil. 2026, 14:05');
    expect(element.querySelector('[data-testid="audit-from"]')).not.toBeNull();

    element.querySelector<HTMLElement>('[data-testid="audit-action"]')!.click();
    await fixture.whenStable();
    const options = [...document.querySelectorAll('mat-option')].map((option) => option.textContent?.trim());
    expect(options[0]).toBe('Toutes les actions');
    expect(options).toHaveLength(AUDIT_ACTIONS.length + 1);
    expect(options).toContain('Rapport exporté');
    [...document.querySelectorAll<HTMLElement>('mat-option')]
      .find((option) => option.textContent?.trim() === 'Rapport exporté')!
      .click();
    testIdTyper(() => element)('audit-from', '01/07/2026');
    await fixture.whenStable();
    element
      .querySelector<HTMLFormElement>('[data-testid="audit-filters"]')!
      .dispatchEvent(new Event('submit'));
    TestBed.tick();
    const request = backend.expectOne((each) => each.url === '/api/audit');
    expect(request.request.params.get('action')).toBe('report.export');
    expect(request.request.params.get('from')).toBe('2026-06-30T22:00:00.000Z');
    expect(request.request.params.has('to')).toBe(false);
  });

  it('names a parent where the API names it, pseudonymises it otherwise, and counts a list read’s parents', async () => {
    const parentId = '0b8e4c1a-5a9d-4f7e-9a31-2f6d8c0e1b22';
    const otherId = '7c2d9e4f-1b3a-4c5d-8e6f-9a0b1c2d3e4f';
    const { element } = await openAuditPage([
      {
        ...event('parent.read', 'parent'),
        id: '1',
        targetId: parentId,
        parents: [{ id: parentId, name: 'Inès Martin' }],
      },
      {
        ...event('alert.read', 'alert'),
        id: '2',
        targetId: 'a1',
        metadata: { parentId: otherId },
        parents: [{ id: otherId, name: null }],
      },
      {
        ...event('alert.list', 'parent'),
        id: '3',
        targetId: null,
        metadata: { parentIds: [parentId, otherId], page: 1 },
      },
    ]);

    const targets = [...element.querySelectorAll('[data-testid="audit-target"]')].map((cell) =>
      cell.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(targets[0]).toBe('Parent : Inès Martin');
    expect(targets[1]).toBe(`Alerte a1 Parent pseudonymisé ${otherId}`);
    expect(targets[2]).toBe('2 parents nommés dans la liste');
    const firstRow = element.querySelector('[data-testid="audit-row"]')!.textContent;
    expect(firstRow).toContain('Claire Lefebvre');
    expect(firstRow).toContain('Fiche d’un parent consultée');
    expect(firstRow).toContain('14 juil. 2026, 14:05');
    expect(element.querySelector('[data-testid="audit-names-note"]')?.textContent).toContain(
      'chaque page qui en montre est elle-même tracée',
    );
    // On a phone each row is a card, every cell under its column's name.
    expect(element.querySelector('table.data-table')?.classList).toContain('data-table-cards');
    expect(element.querySelector('[data-testid="audit-target"]')?.getAttribute('data-label')).toBe('Cible');
    expect(listedParents({ metadata: {} })).toBeNull();
    expect(listedParents({ metadata: { parentIds: [] } })).toBe(0);
  });
});
