import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MeResponse, ParentDetail, Permission } from '@lien/shared';
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

  async function load(detail: ParentDetail): Promise<void> {
    backend.expectOne('/api/parents/p1').flush(detail);
    backend.expectOne('/api/parents/p1/timeline').flush({ parentId: 'p1', entries: [] });
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
