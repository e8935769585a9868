import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MeResponse, ParentDetail, ParentHistory, ParentHistoryEvent, Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { ParentDetailPage } from './parent-detail.page';

jest.setTimeout(20_000);

const MOTHER: ParentDetail = {
  id: 'p1',
  firstName: 'Léa',
  lastName: 'Martin',
  phone: '+33612345678',
  role: 'mother',
  language: 'fr',
  status: 'active',
  birthDate: '2026-02-26',
  expectedTermDate: null,
  referentUserId: null,
  createdAt: '2026-03-02T08:00:00Z',
  nextInvitation: null,
  consent: { recordedBy: 'u1', recordedAt: '2026-03-02T08:00:00Z', textVersion: '2026-01' },
  statusChangedAt: null,
  invitations: [],
  householdId: 'h1',
  household: [
    {
      id: 'p2',
      firstName: 'Louis',
      lastName: 'Martin',
      role: 'father',
      status: 'active',
      invitations: [
        {
          wave: 'day7',
          status: 'completed',
          dueAt: '2026-03-05T09:00:00Z',
          completedAt: '2026-03-05T10:00:00Z',
        },
        { wave: 'day120', status: 'planned', dueAt: '2026-06-26T08:00:00Z', completedAt: null },
      ],
      results: [{ wave: 'day7', band: 'moderate', receivedAt: '2026-03-05T10:00:00Z' }],
    },
  ],
};

const EMPTY_HISTORY: ParentHistory = {
  parentId: 'p1',
  trend: { role: 'mother', thresholds: { moderate: 11, high: 13 }, maxScore: 30, points: [], next: null },
  events: [],
  planned: [],
};

const BLANK: Omit<ParentHistoryEvent, 'id' | 'at' | 'kind'> = {
  actor: null,
  wave: null,
  alertId: null,
  sms: null,
  result: null,
  severity: null,
  contact: null,
  referral: null,
  careStartedOn: null,
  closeOutcome: null,
  assignee: null,
  fields: null,
  note: null,
};
const CLAIRE = { id: 'u1', name: 'Claire Moreau' };

/** Two waves answered, a third to come; a follow-up with a contact, a note and a referral. */
const STORY: ParentHistory = {
  parentId: 'p1',
  trend: {
    role: 'mother',
    thresholds: { moderate: 11, high: 13 },
    maxScore: 30,
    points: [
      { wave: 'day7', score: 8, band: 'low', at: '2026-03-05T18:00:00Z' },
      { wave: 'day42', score: 14, band: 'high', at: '2026-04-09T18:00:00Z' },
    ],
    next: { wave: 'day120', dueAt: '2026-06-26T08:00:00Z' },
  },
  events: [
    { ...BLANK, id: 'enrolled:p1', at: '2026-03-02T08:00:00Z', kind: 'enrolled', actor: CLAIRE },
    {
      ...BLANK,
      id: 'sms:s1',
      at: '2026-03-05T09:00:04Z',
      kind: 'sms',
      wave: 'day7',
      sms: { kind: 'invitation', status: 'delivered', errorCode: null },
    },
    {
      ...BLANK,
      id: 'response:r2',
      at: '2026-04-09T18:00:00Z',
      kind: 'response',
      wave: 'day42',
      alertId: 'a1',
      result: { score: 14, band: 'high', item10Positive: false },
    },
    { ...BLANK, id: 'alert:a1', at: '2026-04-09T18:00:00Z', kind: 'alert', alertId: 'a1', severity: 'high' },
    {
      ...BLANK,
      id: 'follow_up:e1',
      at: '2026-04-10T08:00:00Z',
      kind: 'contact_attempt',
      actor: CLAIRE,
      alertId: 'a1',
      contact: { outcome: 'reached', channel: 'phone' },
      note: 'Rappel vendredi',
    },
    {
      ...BLANK,
      id: 'follow_up:e2',
      at: '2026-04-10T09:00:00Z',
      kind: 'referral',
      actor: CLAIRE,
      alertId: 'a1',
      referral: { to: 'psychiatrist', resourceName: 'CMP de Lens' },
    },
  ],
  planned: [
    {
      id: 's9',
      kind: 'invitation',
      wave: 'day120',
      dueAt: '2026-06-26T08:00:00Z',
      deferredFrom: '2026-06-25T08:00:00Z',
    },
  ],
};

describe('ParentDetailPage: the household', () => {
  let fixture: ComponentFixture<ParentDetailPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.resetTestingModule();
    const permissions = new Set<Permission>(['parents.read', 'parents.write', 'invitations.send']);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: AuthService,
          useValue: { me: signal<Partial<MeResponse>>({ id: 'me' }), permissions: signal(permissions) },
        },
      ],
    });
    fixture = TestBed.createComponent(ParentDetailPage);
    fixture.componentRef.setInput('id', 'p1');
    element = fixture.nativeElement as HTMLElement;
    backend = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    TestBed.tick();
  });

  async function load(detail: ParentDetail, story: ParentHistory = EMPTY_HISTORY): Promise<void> {
    backend.expectOne('/api/parents/p1').flush(detail);
    backend.expectOne('/api/parents/p1/history').flush(story);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('shows the other parent with a link, their waves and their result band only', async () => {
    await load(MOTHER);
    const members = element.querySelectorAll<HTMLElement>('[data-testid="household-member"]');
    expect(members).toHaveLength(1);
    const member = members[0]!;
    expect(member.querySelector('a')?.getAttribute('href')).toBe('/parents/p2');
    expect(member.textContent).toContain('Louis Martin');
    expect(member.textContent).toContain('Père');
    expect(member.textContent).toContain('J120');
    expect(member.querySelector('[data-testid="household-results"]')?.textContent).toContain('modéré');
    expect(element.querySelector('[data-testid="household"]')?.textContent).toContain(
      'Les réponses de chaque parent restent les siennes',
    );
  });

  it('shows no household section for a parent enrolled alone', async () => {
    await load({ ...MOTHER, householdId: null, household: [] });
    expect(element.querySelector('[data-testid="household"]')).toBeNull();
  });
});

describe('ParentDetailPage: trend and history', () => {
  let fixture: ComponentFixture<ParentDetailPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: AuthService,
          useValue: {
            me: signal<Partial<MeResponse>>({ id: 'me' }),
            permissions: signal(new Set<Permission>(['parents.read'])),
          },
        },
      ],
    });
    fixture = TestBed.createComponent(ParentDetailPage);
    fixture.componentRef.setInput('id', 'p1');
    element = fixture.nativeElement as HTMLElement;
    backend = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    TestBed.tick();
    backend.expectOne('/api/parents/p1').flush({ ...MOTHER, householdId: null, household: [] });
    backend.expectOne('/api/parents/p1/history').flush(STORY);
    await fixture.whenStable();
    fixture.detectChanges();
  });

  const rowsOf = (testId: string): string[][] =>
    [...element.querySelectorAll(`[data-testid="${testId}"] tr`)].map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''),
    );

  it('draws the score across waves with the role’s thresholds and the next wave as an empty placeholder', () => {
    expect(element.querySelector('[data-testid="trend-thresholds"]')?.textContent).toContain(
      'modéré à partir de 11, élevé à partir de 13',
    );
    const rows = rowsOf('trend-chart-table');
    expect(rows[0]).toEqual(['Questionnaire', 'Score (sur 30)', 'Seuil modéré', 'Seuil élevé']);
    expect(rows[1]).toEqual(['J7', '8', '11', '13']);
    expect(rows[2]).toEqual(['J42', '14', '11', '13']);
    expect(rows[3]?.[0]).toMatch(/^J120 \(prévu le 26 juin 2026\)$/);
    expect(rows[3]?.slice(1)).toEqual(['—', '11', '13']);
  });

  it('lists planned SMS apart from what happened, newest first, with who did what and the note', () => {
    const planned = [...element.querySelectorAll('[data-testid="planned-sms"]')].map((li) => li.textContent);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toContain('SMS invitation J120, prévu le');
    expect(planned[0]).toContain('décalé, initialement le');
    const entries = [...element.querySelectorAll<HTMLElement>('[data-testid="history-entry"]')];
    expect(entries.map((entry) => entry.dataset['kind'])).toEqual([
      'referral',
      'contact_attempt',
      'alert',
      'response',
      'sms',
      'enrolled',
    ]);
    const text = entries.map((entry) => entry.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    expect(text[0]).toContain('Orientation : Psychiatre, vers CMP de Lens par Claire Moreau');
    expect(text[1]).toContain('Contact par téléphone : Parent joint par Claire Moreau');
    expect(entries[1]!.querySelector('[data-testid="history-note"]')?.textContent).toBe('Rappel vendredi');
    expect(text[2]).toContain('Alerte Élevée');
    expect(entries[2]!.querySelector('a')?.getAttribute('href')).toBe('/alerts/a1');
    expect(text[3]).toContain('Réponse J42 : score 14/30 (élevé) par le parent');
    expect(text[4]).toContain('SMS invitation J7 : ');
    expect(text[5]).toContain('Inscription, consentement recueilli par Claire Moreau');
    // Planned SMS are not history lines, and no line is there twice.
    expect(element.querySelector('[data-testid="parent-history"]')?.textContent).not.toContain('J120');
  });

  it('says so when nobody has answered yet, with the first wave to come', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: AuthService,
          useValue: { me: signal({ id: 'me' }), permissions: signal(new Set<Permission>(['parents.read'])) },
        },
      ],
    });
    const page = TestBed.createComponent(ParentDetailPage);
    page.componentRef.setInput('id', 'p1');
    page.detectChanges();
    TestBed.tick();
    const http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/parents/p1').flush({ ...MOTHER, householdId: null, household: [] });
    http.expectOne('/api/parents/p1/history').flush({
      ...EMPTY_HISTORY,
      trend: { ...EMPTY_HISTORY.trend, next: { wave: 'day7', dueAt: '2026-03-05T09:00:00Z' } },
    });
    await page.whenStable();
    page.detectChanges();
    const root = page.nativeElement as HTMLElement;
    expect(root.querySelector('[data-testid="trend-empty"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="trend-chart"]')).toBeNull();
    expect(root.querySelector('[data-testid="parent-trend"]')?.textContent).toContain(
      'Prochain questionnaire : J7',
    );
  });
});
