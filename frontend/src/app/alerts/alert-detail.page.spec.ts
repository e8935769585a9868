import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { AlertDetail, ParentHistory, Permission } from '@lien/shared';
import { EMPTY_HISTORY, STORY, STORY_KINDS_NEWEST_FIRST } from '../parents/parent-history.fixtures';
import { configurePageTestBed, openPage, tableRows, tick } from '../ui/page-test-bed';
import { anAlertDetail, flushApiError, shownTestIds, testIdTyper } from '../ui/spec-helpers';
import { AlertDetailPage } from './alert-detail.page';

jest.setTimeout(20_000);

const DETAIL: AlertDetail = anAlertDetail({
  severity: 'high',
  reasons: ['high_score'],
  status: 'acknowledged',
  acknowledgedAt: '2026-03-10T09:00:00Z',
  updatedAt: '2026-03-10T09:00:00Z',
  allowedEvents: ['assign', 'note', 'contact_attempt', 'close'],
  parent: {
    id: 'p1',
    role: 'mother',
    language: 'fr',
    birthDate: '2026-02-28',
    referentUserId: null,
    status: 'active',
  },
  responses: [
    {
      id: 'r1',
      invitationId: 'i1',
      wave: 'day7',
      createdAt: '2026-03-07T10:00:00Z',
      instrumentId: 'epds',
      instrumentVersion: '1.0',
      language: 'fr',
      channel: 'web_form',
      score: 14,
      band: 'high',
      item10Positive: false,
      anxietyScore: 4,
      anxietyFlag: false,
      items: Array.from({ length: 10 }, (_, index) => ({
        number: index + 1,
        answer: 1,
        points: index === 9 ? 0 : 1,
      })),
    },
  ],
});

describe('AlertDetailPage', () => {
  let fixture: ComponentFixture<AlertDetailPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const WRITER: Permission[] = ['alerts.read', 'alerts.write', 'parents.read', 'parents.write'];

  beforeEach(() => {
    configurePageTestBed(WRITER);
    ({ fixture, element, backend } = openPage(AlertDetailPage, 'a1'));
  });

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  /** The alert, then the parent's history the page asks for once (one audited read). */
  async function load(detail: AlertDetail = DETAIL, story: ParentHistory = EMPTY_HISTORY): Promise<void> {
    backend.expectOne('/api/alerts/a1').flush(detail);
    await tick();
    backend.expectOne('/api/parents/p1/history').flush(story);
    await settle();
  }

  /** A one-click step: clicks it, checks what is posted, and answers as the API does. */
  async function oneClick(step: string, posted: object): Promise<void> {
    (element.querySelector(`[data-testid="action-${step}"]`) as HTMLButtonElement).click();
    fixture.detectChanges();
    const post = backend.expectOne('/api/alerts/a1/events');
    expect(post.request.body).toEqual(posted);
    post.flush({
      alert: DETAIL,
      event: { id: 'e-new', type: step, actorId: 'me', payload: {}, createdAt: '' },
      allowedEvents: [],
    });
    await settle();
  }

  /** "Show the identity": the audited read of the parent answers with a name and a phone. */
  async function reveal(): Promise<void> {
    (element.querySelector('[data-testid="reveal-identity"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    backend.expectOne('/api/parents/p1').flush({
      ...DETAIL.parent,
      firstName: 'Léa',
      lastName: 'Martin',
      phone: '+33612345678',
      expectedTermDate: null,
      createdAt: '',
      nextInvitation: null,
    });
    await settle();
  }

  const actions = (): string[] =>
    [...element.querySelectorAll<HTMLElement>('[data-testid^="action-"]')]
      .map((button) => button.dataset['testid'] ?? '')
      .filter((id) => id !== 'action-status' && id !== 'action-error');

  it('says when the other parent is not enrolled, and offers no invitation', async () => {
    await load();
    expect(element.querySelector('[data-testid="other-parent"]')?.textContent).toContain(
      'L’autre parent n’est pas inscrit',
    );
    expect(element.querySelector('[data-testid="invite-other-parent"]')).toBeNull();
  });

  it('invites the enrolled other parent of the birth now', async () => {
    await load({
      ...DETAIL,
      otherParent: { parentId: 'p2', role: 'father', enrolled: true, invited: false },
    });
    expect(element.querySelector('[data-testid="other-parent"]')?.textContent).toContain(
      'L’autre parent (Père) est inscrit, sans questionnaire en cours.',
    );
    (element.querySelector('[data-testid="invite-other-parent"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    const request = backend.expectOne('/api/alerts/a1/other-parent');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({});
    request.flush({ parentId: 'p2', enrolled: false, invitations: [] });
    await tick();
    backend.expectOne('/api/alerts/a1').flush(DETAIL);
    await tick();
    // The parent is the same: no second read of the history.
    backend.expectNone('/api/parents/p1/history');
    await settle();
    expect(element.querySelector('[data-testid="action-status"]')?.textContent).toContain(
      'Questionnaire envoyé à l’autre parent',
    );
  });

  it('offers only the valid next steps of the status', async () => {
    await load();
    expect(actions()).toEqual(['action-contact_attempt', 'action-close', 'action-assign', 'action-note']);
    expect(element.textContent).not.toContain('Orienter');
  });

  it('keeps the identity hidden until asked, then reads it through the audited endpoint', async () => {
    await load();
    expect(element.querySelector('[data-testid="parent-name"]')).toBeNull();
    expect(element.textContent).not.toContain('Martin');
    await reveal();
    expect(element.querySelector('[data-testid="parent-name"]')?.textContent).toContain('Léa Martin');
    expect(element.querySelector('[data-testid="parent-phone"]')?.getAttribute('href')).toBe(
      'tel:+33612345678',
    );
  });

  it('shows the answers with the validated wording and the score', async () => {
    await load();
    const response = element.querySelector('[data-testid="response"]');
    expect(response?.textContent).toContain('score 14/30');
    expect(response?.textContent).toContain("J'ai pu rire et prendre les choses du bon côté");
    expect(response?.querySelectorAll('tbody tr').length).toBe(10);
  });

  it('records "assign to me" and, on a 409, says which steps are still possible', async () => {
    await load();
    (element.querySelector('[data-testid="action-assign"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    const post = backend.expectOne('/api/alerts/a1/events');
    expect(post.request.body).toEqual({ type: 'assign', assigneeId: 'me' });
    flushApiError(post, 409, {
      message: 'invalid transition',
      code: 'invalid_transition',
      details: { status: 'in_care', allowed: ['assign', 'note', 'close'] },
    });
    // A few promise turns until the refusal is shown (the reload it starts keeps the page from being stable).
    await tick();
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="action-error"]')?.textContent).toContain(
      'Cette action n’est plus possible (statut actuel : Soins commencés). Actions possibles : Clôturer, M’assigner l’alerte, Ajouter une note.',
    );
    // The alert is loaded again to show its current state.
    backend
      .expectOne('/api/alerts/a1')
      .flush({ ...DETAIL, status: 'in_care', allowedEvents: ['assign', 'note', 'close'] });
    await settle();
    expect(actions()).toEqual(['action-close', 'action-assign', 'action-note']);
  });

  it('marks "in care" in one click once the parent is reached', async () => {
    await load({
      ...DETAIL,
      status: 'referred',
      allowedEvents: ['assign', 'note', 'referral', 'in_care', 'close'],
    });
    await oneClick('in_care', { type: 'in_care' });
    backend.expectOne('/api/alerts/a1').flush(DETAIL);
  });

  it('acknowledges an open alert in one click', async () => {
    await load({ ...DETAIL, status: 'open', allowedEvents: ['acknowledge', 'assign', 'note', 'close'] });
    await oneClick('acknowledge', { type: 'acknowledge' });
    expect(element.querySelector('[data-testid="action-status"]')?.textContent).toContain(
      'Action enregistrée : Prendre en compte.',
    );
    backend.expectOne('/api/alerts/a1').flush(DETAIL);
  });

  it('keeps a revealed identity shown for the session: back on the alert, no second click nor read', async () => {
    await load();
    await reveal();
    fixture.destroy();

    ({ fixture, element } = openPage(AlertDetailPage, 'a1'));
    await load();
    expect(element.querySelector('[data-testid="parent-name"]')?.textContent).toContain('Léa Martin');
    expect(element.querySelector('[data-testid="reveal-identity"]')).toBeNull();
    backend.expectNone('/api/parents/p1');
  });

  it('records the day care began when it is not today', async () => {
    await load({
      ...DETAIL,
      status: 'referred',
      allowedEvents: ['assign', 'note', 'referral', 'in_care', 'close'],
    });
    // Typed day first, as in France, in the console's date picker.
    testIdTyper(() => element, ['change', 'blur'])('care-started-on', '11/03/2026');
    await settle();
    await oneClick('in_care', { type: 'in_care', careStartedOn: '2026-03-11' });
    backend.expectOne('/api/alerts/a1').flush(DETAIL);
  });

  it('shows the follow-up as a timeline, newest first, with the referral destination in words', async () => {
    await load({
      ...DETAIL,
      assigneeId: 'u2',
      userNames: { u2: 'Claire Dubois' },
      events: [
        {
          id: 'e0',
          type: 'acknowledge',
          actorId: 'u2',
          payload: {},
          createdAt: '2026-03-10T09:00:00Z',
        },
        ...DETAIL.events,
        {
          id: 'e2',
          type: 'referral',
          actorId: 'me',
          payload: {
            from: 'contacted',
            to: 'referred',
            referredTo: 'sector_psychiatry',
            resourceName: 'CMP Arras',
          },
          createdAt: '2026-03-11T08:00:00Z',
        },
      ],
    });
    const entries = [...element.querySelectorAll<HTMLElement>('[data-testid="alert-event"]')];
    expect(entries.map((entry) => entry.dataset['eventType'])).toEqual([
      'referral',
      'acknowledge',
      'created',
    ]);
    expect(entries[0]?.textContent).toContain('CMP Arras (Psychiatrie de secteur (CMP))');
    expect(entries[0]?.textContent).toContain('par moi');
    // The colleague by name, in the history and as the one holding the alert.
    expect(entries[1]?.textContent).toContain('par Claire Dubois');
    expect(element.querySelector('[data-testid="alert-assignee"]')?.textContent?.trim()).toBe(
      'Claire Dubois',
    );
  });

  it('shows the parent’s trend with the role’s bands and what happened, without the planned SMS', async () => {
    await load(DETAIL, STORY);
    const rows = tableRows(element, 'trend-chart-table');
    expect(rows[1]).toEqual(['J7', '8', '11', '13']);
    expect(rows[2]).toEqual(['J42', '14', '11', '13']);
    const entries = [...element.querySelectorAll<HTMLElement>('[data-testid="history-entry"]')];
    expect(entries.map((entry) => entry.dataset['kind'])).toEqual(STORY_KINDS_NEWEST_FIRST);
    expect(entries[0]?.textContent).toContain('Orientation : Psychiatre, vers CMP de Lens');
    expect(entries[0]?.textContent).toContain('par Claire Moreau');
    expect(shownTestIds(element, ['parent-planned', 'planned-sms'])).toEqual([]);
  });

  it('reads no parent history without parents.read, and still shows the alert’s follow-up', async () => {
    configurePageTestBed(['alerts.read', 'alerts.write']);
    ({ fixture, element, backend } = openPage(AlertDetailPage, 'a1'));
    backend.expectOne('/api/alerts/a1').flush(DETAIL);
    await tick();
    backend.expectNone('/api/parents/p1/history');
    await settle();
    expect(element.querySelector('[data-testid="parent-history"]')).toBeNull();
    expect(element.querySelectorAll('[data-testid="alert-event"]')).toHaveLength(1);
  });
});
