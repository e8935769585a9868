import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { OrganisationSummary, UserSummary } from '@lien/shared';
import { anOrganisation, flushBadRequest, testIdFormSubmitter } from '../ui/spec-helpers';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { UsersPage } from './users.page';

const organisation = (id: string, name: string, departement: string): OrganisationSummary =>
  anOrganisation({ id, name, departement });

const user: UserSummary = {
  id: 'u1',
  email: 'claire@lien.demo',
  displayName: 'Claire Lefebvre',
  role: 'org_admin',
  organisationId: 'o2',
  organisationName: 'PMI de Lens',
  territory: { departements: [], region: null },
  rpps: null,
  status: 'active',
  active: true,
  totpEnabled: true,
  oidcLinked: false,
  lastLoginAt: null,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('UsersPage (platform admin)', () => {
  let fixture: ComponentFixture<UsersPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(async () => {
    configurePageTestBed(['users.manage', 'organisations.manage'], { me: { role: 'platform_admin' } });
    ({ fixture, element, backend } = openPage(UsersPage));
    backend
      .expectOne((request) => request.url === '/api/users')
      .flush({ items: [user], total: 1, page: 1, pageSize: 25 });
    backend
      .expectOne('/api/organisations')
      .flush([organisation('o2', 'PMI de Lens', '62'), organisation('o1', 'Maternité d’Arras', '62')]);
    await fixture.whenStable();
    fixture.detectChanges();
  });

  const submit = testIdFormSubmitter(() => fixture);

  it('shows each user’s organisation', () => {
    expect(element.querySelector('[data-testid="user-organisation"]')?.textContent?.trim()).toBe(
      'PMI de Lens',
    );
    expect(element.querySelector('thead')?.textContent).toContain('Organisation');
  });

  it('invites an organisation admin into an organisation picked from a list, not a typed identifier', async () => {
    const trigger = element.querySelector<HTMLElement>(
      '[data-testid="invite-organisation"] .mat-mdc-select-trigger',
    );
    expect(trigger).not.toBeNull();
    expect(element.querySelector('input[formcontrolname="organisationId"]')).toBeNull();
    trigger!.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((option) => option.textContent?.trim())).toEqual([
      'Maternité d’Arras (62)',
      'PMI de Lens (62)',
    ]);
    options[1]!.click();
    fixture.detectChanges();

    submit({ 'invite-name': 'Nadia Benali', 'invite-email': 'nadia@lien.demo' }, 'invite-submit');
    const request = backend.expectOne({ method: 'POST', url: '/api/users' });
    expect(request.request.body).toMatchObject({
      email: 'nadia@lien.demo',
      role: 'org_admin',
      organisationId: 'o2',
    });
  });

  it('says a refused invitation in French, naming the fields as the form does (never the API’s English)', async () => {
    submit({ 'invite-name': 'Nadia Benali', 'invite-email': 'nadia@lien.demo' }, 'invite-submit');
    flushBadRequest(backend.expectOne({ method: 'POST', url: '/api/users' }), [
      { field: 'email', message: 'email must be an email' },
      { field: 'organisationId', message: 'organisationId must be a UUID' },
    ]);
    await fixture.whenStable();
    fixture.detectChanges();
    const error = element.querySelector('[data-testid="users-error"]')?.textContent ?? '';
    expect(error).toContain('À vérifier : Adresse e-mail, Organisation.');
    expect(error).not.toContain('must be');
    expect(error).not.toContain('organisationId');
  });
});
