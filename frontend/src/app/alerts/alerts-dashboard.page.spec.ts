import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { signal, type WritableSignal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { AlertListItem, AlertListResponse } from '@lien/shared';
import { EVENT_SOURCE_FACTORY, STREAM_RECONNECT_DELAY_MS } from './alert-stream.service';
import { AlertsDashboardPage } from './alerts-dashboard.page';
import { RevealedIdentities } from './revealed-identities';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { anAlert } from '../ui/spec-helpers';

/** Stands for the browser's EventSource: the test pushes server-sent events by hand. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }

  emit(type: string, data: unknown): void {
    const event = new MessageEvent(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function alert(overrides: Partial<AlertListItem>): AlertListItem {
  return {
    ...anAlert(),
    parentLabel: 'C. M.',
    parentRole: 'mother',
    wave: 'day7',
    score: 12,
    band: 'moderate',
    assigneeName: null,
    ...overrides,
  };
}

function page(items: AlertListItem[]): AlertListResponse {
  const counts = { urgent: 0, high: 0, moderate: 0, low: 0 };
  for (const item of items) counts[item.severity] += 1;
  return {
    items,
    parentNames: 'initials',
    page: 1,
    pageSize: 25,
    total: items.length,
    countsBySeverity: counts,
  };
}

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

describe('AlertsDashboardPage', () => {
  let fixture: ComponentFixture<AlertsDashboardPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let accessToken: WritableSignal<string | null>;

  beforeEach(() => {
    accessToken = signal<string | null>('token-1');
    configurePageTestBed(['alerts.read', 'parents.write'], {
      auth: { accessToken, refresh: () => Promise.resolve(null) },
      providers: [
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: (url: string) => new FakeEventSource(url) as unknown as EventSource,
        },
        { provide: STREAM_RECONNECT_DELAY_MS, useValue: 20 },
      ],
    });
    // Not whenStable(): the list request is pending (a pending task) until the test answers it.
    ({ fixture, element, backend } = openPage(AlertsDashboardPage));
  });

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  /** Answers the page's pending GET /api/alerts with these alerts. */
  function answerList(items: AlertListItem[]): void {
    backend.expectOne((request) => request.url === '/api/alerts').flush(page(items));
  }

  /** The next GET /api/alerts, as soon as the page sends it (within 5 s). */
  async function nextListRequest(): Promise<TestRequest> {
    for (let waited = 0; waited < 5_000; waited += 25) {
      const [request] = backend.match((candidate) => candidate.url === '/api/alerts');
      if (request) return request;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the dashboard did not reload its list');
  }

  const rows = (): HTMLElement[] => [...element.querySelectorAll<HTMLElement>('[data-testid="alert-row"]')];

  it('lists the alerts urgent first, with counts per severity and the overdue ones said in words', async () => {
    answerList([
      alert({ id: 'm', severity: 'moderate' }),
      alert({ id: 'u', severity: 'urgent', reasons: ['item10'], overdue: true, assigneeId: 'me' }),
    ]);
    await settle();
    expect(rows().map((row) => row.dataset['alertId'])).toEqual(['u', 'm']);
    expect(rows()[0]?.textContent).toContain('Urgente');
    expect(rows()[0]?.textContent).toContain('En retard');
    expect(rows()[0]?.textContent).toContain('Moi');
    expect(element.querySelector('[data-testid="filter-severity-urgent"]')?.textContent).toContain('(1)');
  });

  it('lets a professional recognise each case: parent, role, latest answer, who holds it', async () => {
    answerList([
      alert({
        id: 'c',
        parentLabel: 'I. M.',
        parentRole: 'father',
        wave: 'day42',
        score: 14,
        band: 'high',
        assigneeId: 'colleague',
        assigneeName: 'Claire Dubois',
      }),
      alert({
        id: 'r',
        parentId: null,
        parentLabel: null,
        parentRole: null,
        wave: null,
        score: null,
        band: null,
      }),
    ]);
    await settle();
    const [named, request] = rows();
    expect(named?.querySelector('[data-testid="alert-parent"]')?.textContent).toContain('I. M.');
    expect(named?.querySelector('[data-testid="alert-parent"]')?.textContent).toContain('Père');
    expect(named?.querySelector('[data-testid="alert-answer"]')?.textContent?.trim()).toBe(
      'J42 : score 14 (élevé)',
    );
    expect(named?.querySelector('[data-testid="alert-assignee"]')?.textContent?.trim()).toBe('Claire Dubois');
    expect(request?.querySelector('[data-testid="alert-parent"]')?.textContent).toContain(
      'Demande de contact',
    );
    expect(request?.querySelector('[data-testid="alert-answer"]')).toBeNull();
    expect(request?.querySelector('[data-testid="alert-assignee"]')?.textContent?.trim()).toBe('Personne');
  });

  it('puts my own overdue alerts first, then the other overdue ones, then the rest', async () => {
    answerList([
      alert({ id: 'urgent-on-time', severity: 'urgent' }),
      alert({ id: 'theirs-overdue', severity: 'high', overdue: true, assigneeId: 'colleague' }),
      alert({ id: 'mine-overdue', severity: 'low', overdue: true, assigneeId: 'me' }),
    ]);
    await settle();
    expect(rows().map((row) => row.dataset['alertId'])).toEqual([
      'mine-overdue',
      'theirs-overdue',
      'urgent-on-time',
    ]);
  });

  it('shows the full name of a parent whose identity was revealed in this session', async () => {
    TestBed.inject(RevealedIdentities).remember({
      id: 'p1',
      firstName: 'Inès',
      lastName: 'Moreau',
    } as Parameters<RevealedIdentities['remember']>[0]);
    answerList([
      alert({ id: 'a1', parentId: 'p1', parentLabel: 'I. M.' }),
      alert({ id: 'a2', parentId: 'p2' }),
    ]);
    await settle();
    expect(rows()[0]?.querySelector('[data-testid="alert-parent"]')?.textContent).toContain('Inès Moreau');
    expect(rows()[1]?.querySelector('[data-testid="alert-parent"]')?.textContent).toContain('C. M.');
  });

  /** Answers the stream-ticket request the feed makes before each (re)connection. */
  function answerTicket(ticket: string): void {
    const request = backend.expectOne((candidate) => candidate.url === '/api/alerts/stream-ticket');
    expect(request.request.method).toBe('POST');
    request.flush({ ticket, expiresIn: 30 });
  }

  /** Answers the list with these alerts, then the first stream ticket: the live feed the page opens with it. */
  async function openFeed(items: AlertListItem[]): Promise<FakeEventSource | null> {
    answerList(items);
    answerTicket('ticket-1');
    await settle();
    return FakeEventSource.last;
  }

  it('opens the live feed with a stream ticket, never the access token, refreshes on a message and announces a new urgent alert politely', async () => {
    const source = await openFeed([alert({ id: 'm' })]);
    expect(source?.url).toBe('/api/alerts/stream?ticket=ticket-1');
    expect(source?.url).not.toContain('token-1');
    source?.open();
    await settle();
    expect(element.querySelector('[data-testid="stream-state"]')?.textContent).toContain(
      'Mises à jour en direct',
    );

    const region = element.querySelector('[data-testid="alerts-live-region"]');
    expect(region?.getAttribute('aria-live')).toBe('polite');
    expect(region?.textContent?.trim()).toBe('');

    source?.emit('alert.created', {
      type: 'alert.created',
      alert: alert({ id: 'new', severity: 'urgent', createdAt: '2026-03-10T09:30:00Z' }),
    });
    await settle();
    expect(region?.textContent).toContain('Nouvelle alerte urgente');

    // The list reload is batched (300 ms): wait for it rather than for a fixed time (a loaded machine is slower).
    (await nextListRequest()).flush(page([alert({ id: 'new', severity: 'urgent' }), alert({ id: 'm' })]));
    await settle();
    expect(rows().map((row) => row.dataset['alertId'])).toEqual(['new', 'm']);
  });

  it('sends the filters to the API', async () => {
    answerList([]);
    await settle();
    (element.querySelector('[data-testid="filter-severity-urgent"] button') as HTMLButtonElement).click();
    fixture.detectChanges();
    TestBed.tick();
    const request = backend.expectOne((candidate) => candidate.url === '/api/alerts');
    expect(request.request.params.get('severity')).toBe('urgent');
    expect(request.request.params.get('page')).toBe('1');
    request.flush(page([]));
    await settle();
    expect(element.querySelector('[data-testid="alerts-empty"]')).not.toBeNull();
  });

  it('lays the list out as cards on a phone: every cell named, the deadline and status among them', async () => {
    answerList([alert({ id: 'a1' })]);
    await settle();
    expect(element.querySelector('table.data-table')?.classList).toContain('data-table-cards');
    const labels = [...element.querySelectorAll('[data-testid="alert-row"] td')].map((cell) =>
      cell.getAttribute('data-label'),
    );
    expect(labels).toEqual(['Gravité', 'Parent', 'Motif', 'Statut', 'Échéance', 'Assignée à', 'Créée le']);
  });

  it('offers "Inscrire un parent" on an empty dashboard', async () => {
    answerList([]);
    await settle();
    const link = element.querySelector<HTMLAnchorElement>('[data-testid="alerts-empty-enrol"]');
    expect(link?.textContent?.trim()).toContain('Inscrire un parent');
    expect(link?.getAttribute('href')).toBe('/parents/new');
  });

  it('reconnects with a new ticket after the stream fails (the spent ticket is never reused)', async () => {
    const first = await openFeed([]);
    first?.open();
    first?.onerror?.();
    await settle();
    expect(first?.closed).toBe(true);
    expect(element.querySelector('[data-testid="stream-state"]')?.textContent).not.toContain(
      'Mises à jour en direct',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    answerTicket('ticket-2');
    await settle();
    const second = FakeEventSource.last;
    expect(second).not.toBe(first);
    expect(second?.url).toBe('/api/alerts/stream?ticket=ticket-2');
    second?.open();
    await settle();
    expect(element.querySelector('[data-testid="stream-state"]')?.textContent).toContain(
      'Mises à jour en direct',
    );
  });

  it('keeps the stream across an access-token refresh and closes it on sign-out', async () => {
    const source = await openFeed([]);
    source?.open();
    accessToken.set('token-2');
    await settle();
    backend.expectNone((request) => request.url === '/api/alerts/stream-ticket');
    expect(FakeEventSource.last).toBe(source);
    expect(source?.closed).toBe(false);
    accessToken.set(null);
    await settle();
    expect(source?.closed).toBe(true);
    backend.expectNone((request) => request.url === '/api/alerts/stream-ticket');
  });
});
