import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { ParentDetail, ParentHistory, Permission } from '@lien/shared';
import { configurePageTestBed, openPage, tableRows, tick } from '../ui/page-test-bed';
import { EMPTY_HISTORY, STORY, STORY_KINDS_NEWEST_FIRST } from './parent-history.fixtures';
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

const ALONE: ParentDetail = { ...MOTHER, householdId: null, household: [] };
const READER: Permission[] = ['parents.read'];

/** The parent answers, then the history its story asks for once shown. */
async function loadPage(
  fixture: ComponentFixture<ParentDetailPage>,
  backend: HttpTestingController,
  detail: ParentDetail,
  story: ParentHistory,
): Promise<void> {
  backend.expectOne('/api/parents/p1').flush(detail);
  await tick();
  fixture.detectChanges();
  backend.expectOne('/api/parents/p1/history').flush(story);
  await fixture.whenStable();
  fixture.detectChanges();
}

describe('ParentDetailPage: the household', () => {
  let fixture: ComponentFixture<ParentDetailPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(() => {
    configurePageTestBed(['parents.read', 'parents.write', 'invitations.send']);
    ({ fixture, element, backend } = openPage(ParentDetailPage, 'p1'));
  });

  const load = (detail: ParentDetail) => loadPage(fixture, backend, detail, EMPTY_HISTORY);

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

describe('ParentDetailPage: withdrawal', () => {
  it('asks before withdrawing the parent, in their name, and withdraws only once confirmed', async () => {
    configurePageTestBed(['parents.read', 'parents.write'], {
      // The confirmation dialog closes at once (jsdom runs no CSS animation to wait for).
      providers: [{ provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }],
    });
    const { fixture, element, backend } = openPage(ParentDetailPage, 'p1');
    await loadPage(fixture, backend, ALONE, EMPTY_HISTORY);
    element.querySelector<HTMLButtonElement>('[data-testid="withdraw-parent"]')!.click();
    await tick();
    const dialog = document.querySelector('mat-dialog-container')?.textContent ?? '';
    expect(dialog).toContain('Retirer ce parent du suivi ?');
    expect(dialog).toContain('Plus aucun SMS ne sera envoyé à Léa Martin.');
    expect(document.querySelector('[data-testid="confirm-ok"]')?.textContent).toContain('Retirer du suivi');
    backend.expectNone('/api/parents/p1/withdraw');
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-ok"]')!.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    fixture.detectChanges();
    backend.expectOne({ method: 'POST', url: '/api/parents/p1/withdraw' }).flush(null);
  });
});

describe('ParentDetailPage: trend and history', () => {
  let fixture: ComponentFixture<ParentDetailPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(async () => {
    configurePageTestBed(READER);
    ({ fixture, element, backend } = openPage(ParentDetailPage, 'p1'));
    await loadPage(fixture, backend, ALONE, STORY);
  });

  it('draws the score across waves with the role’s thresholds and the next wave as an empty placeholder', () => {
    expect(element.querySelector('[data-testid="trend-thresholds"]')?.textContent).toContain(
      'modéré à partir de 11, élevé à partir de 13',
    );
    const rows = tableRows(element, 'trend-chart-table');
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
    expect(entries.map((entry) => entry.dataset['kind'])).toEqual(STORY_KINDS_NEWEST_FIRST);
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
    configurePageTestBed(READER);
    const page = openPage(ParentDetailPage, 'p1');
    await loadPage(page.fixture, page.backend, ALONE, {
      ...EMPTY_HISTORY,
      trend: { ...EMPTY_HISTORY.trend, next: { wave: 'day7', dueAt: '2026-03-05T09:00:00Z' } },
    });
    const root = page.element;
    expect(root.querySelector('[data-testid="trend-empty"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="trend-chart"]')).toBeNull();
    expect(root.querySelector('[data-testid="parent-trend"]')?.textContent).toContain(
      'Prochain questionnaire : J7',
    );
  });
});
