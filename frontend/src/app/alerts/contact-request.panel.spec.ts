import type { HttpTestingController } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { AlertDetail, ContactRequestView, Permission } from '@lien/shared';
import { CONSENT_TEXT_VERSION } from '../parents/enrolment-form';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { AlertDetailPage } from './alert-detail.page';
import { anAlertDetail, flushApiError, shownTestIds, testIdTyper } from '../ui/spec-helpers';

jest.setTimeout(20_000);

@Component({ selector: 'lien-test-parent', template: 'parent page' })
class ParentStub {}

const REQUEST: ContactRequestView = {
  id: 'c1',
  organisationId: 'o1',
  alertId: 'a1',
  routing: 'postal_code',
  postalCode: '75011',
  departement: '75',
  role: 'mother',
  language: 'fr',
  childAgeWeeks: 5,
  pregnant: false,
  band: 'high',
  item10Positive: true,
  channel: 'call',
  timeSlots: ['morning', 'evening'],
  consentTextVersion: 'contact-2026-12',
  status: 'open',
  enrolledParentId: null,
  createdAt: '2026-03-10T08:00:00Z',
};

function contactAlert(request: ContactRequestView = REQUEST): AlertDetail {
  return anAlertDetail({
    parentId: null,
    severity: 'urgent',
    reasons: ['contact_request'],
    contactRequestId: request.id,
    contactRequest: request,
    allowedEvents: ['acknowledge'],
  });
}

describe('ContactRequestPanel (on a contact-request alert)', () => {
  let fixture: ComponentFixture<AlertDetailPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  function setUp(permissions: Permission[]): void {
    configurePageTestBed(permissions, { routes: [{ path: 'parents/:id', component: ParentStub }] });
    ({ fixture, element, backend } = openPage(AlertDetailPage, 'a1'));
  }

  beforeEach(() => setUp(['alerts.read', 'alerts.write', 'parents.read', 'parents.write']));
  afterEach(() => backend.verify());

  async function settle(): Promise<void> {
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    TestBed.tick();
    await fixture.whenStable();
    fixture.detectChanges();
  }

  async function load(detail: AlertDetail = contactAlert()): Promise<void> {
    backend.expectOne('/api/alerts/a1').flush(detail);
    await settle();
  }

  const text = (testId: string): string =>
    element.querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const click = (testId: string): void =>
    (element.querySelector(`[data-testid="${testId}"]`) as HTMLElement).click();
  const type = testIdTyper(() => element);
  const checkConsent = (): void =>
    (
      element.querySelector('[data-testid="enrol-consent"] input[type="checkbox"]') as HTMLInputElement
    ).click();

  /** Loads the alert and opens its enrolment form. */
  async function openEnrolment(detail?: AlertDetail): Promise<void> {
    await load(detail);
    click('contact-request-enrol');
    await settle();
  }

  /** Fills the enrolment form (last name, birth or term date, the parent's consent unless not given) and sends it. */
  function sendEnrolment(lastName: string, date: string, consent = true): void {
    type('enrol-last-name', lastName);
    type('enrol-date', date);
    if (consent) checkConsent();
    click('enrol-submit');
  }

  it('shows the request (band, item 10, channel, time slots, routing) and no parent identity section', async () => {
    await load();
    expect(text('contact-request-band')).toBe('élevé');
    expect(text('contact-request-item10')).toContain('item 10');
    expect(text('contact-request-channel')).toBe('appel téléphonique');
    expect(text('contact-request-slots')).toBe('matin, soir');
    expect(text('contact-request-routing')).toBe('code postal desservi par l’équipe (75011)');
    expect(element.querySelector('[data-testid="reveal-identity"]')).toBeNull();
    // No parent yet: no history request (verify() in afterEach fails on an unexpected one).
    backend.expectNone('/api/parents/null/history');
  });

  it('says "any time" without slots and hides the item-10 warning when it is negative', async () => {
    await load(contactAlert({ ...REQUEST, timeSlots: [], item10Positive: false, band: null }));
    expect(text('contact-request-slots')).toBe('indifférent');
    expect(text('contact-request-band')).toBe('non communiqué');
    expect(element.querySelector('[data-testid="contact-request-item10"]')).toBeNull();
  });

  it('reads the identity only on demand and shows the phone in French format', async () => {
    await load();
    expect(element.querySelector('[data-testid="contact-request-identity"]')).toBeNull();
    click('contact-request-reveal');
    const call = backend.expectOne('/api/contact-requests/c1/identity');
    expect(call.request.method).toBe('GET');
    call.flush({ id: 'c1', firstName: 'Camille', phone: '+33612345678', email: 'camille@example.org' });
    await settle();
    expect(text('contact-request-first-name')).toBe('Camille');
    expect(text('contact-request-phone')).toBe('06 12 34 56 78');
    expect(element.querySelector('[data-testid="contact-request-phone"]')?.getAttribute('href')).toBe(
      'tel:+33612345678',
    );
    expect(text('contact-request-email')).toBe('camille@example.org');
  });

  it('says when the identity could not be read', async () => {
    await load();
    click('contact-request-reveal');
    flushApiError(backend.expectOne('/api/contact-requests/c1/identity'), 403, { message: 'no' });
    await settle();
    expect(element.querySelector('[data-testid="contact-request-identity"]')).toBeNull();
    expect(element.textContent).toContain('Les coordonnées n’ont pas pu être affichées.');
  });

  it('enrols the parent with what the request lacks, after consent, then opens the new parent', async () => {
    await openEnrolment();
    sendEnrolment(' Martin ', '2026-02-03', false);
    await settle();
    // No consent: nothing is sent.
    expect(text('enrol-consent-error')).toContain('L’accord du parent est nécessaire');
    backend.expectNone('/api/contact-requests/c1/enrol');
    checkConsent();
    click('enrol-submit');
    const call = backend.expectOne('/api/contact-requests/c1/enrol');
    expect(call.request.method).toBe('POST');
    expect(call.request.body).toEqual({
      lastName: 'Martin',
      birthDate: '2026-02-03',
      consent: { given: true, textVersion: CONSENT_TEXT_VERSION },
    });
    call.flush({ id: 'p9' });
    await settle();
    await fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/parents/p9');
  });

  it('asks for the expected term when the parent is pregnant', async () => {
    await openEnrolment(contactAlert({ ...REQUEST, pregnant: true, childAgeWeeks: null }));
    expect(element.querySelector('[data-testid="contact-request-enrol-form"]')?.textContent).toContain(
      'Date prévue du terme',
    );
    sendEnrolment('Martin', '2026-06-15');
    const call = backend.expectOne('/api/contact-requests/c1/enrol');
    expect(call.request.body).toEqual(
      expect.objectContaining({ expectedTermDate: '2026-06-15', lastName: 'Martin' }),
    );
    expect(call.request.body).not.toHaveProperty('birthDate');
    call.flush({ id: 'p9' });
    await settle();
  });

  it('asks for a phone when the API says the request has none, and sends it', async () => {
    await openEnrolment(contactAlert({ ...REQUEST, channel: 'email' }));
    expect(element.querySelector('[data-testid="enrol-phone"]')).toBeNull();
    sendEnrolment('Martin', '2026-02-03');
    // One field refused by the service (its `invalid`): the message names it.
    flushApiError(backend.expectOne('/api/contact-requests/c1/enrol'), 400, {
      message: 'phone: is required to enrol',
      code: 'invalid_input',
      details: [{ field: 'phone', message: 'is required to enrol' }],
    });
    await settle();
    expect(text('enrol-error')).toContain('phone');
    type('enrol-phone', '06 12 34 56 78');
    click('enrol-submit');
    const call = backend.expectOne('/api/contact-requests/c1/enrol');
    expect(call.request.body).toEqual(expect.objectContaining({ phone: '06 12 34 56 78' }));
    call.flush({ id: 'p9' });
    await settle();
  });

  it('links to the parent when a colleague enrolled the request meanwhile (409)', async () => {
    await openEnrolment();
    sendEnrolment('Martin', '2026-02-03');
    flushApiError(backend.expectOne('/api/contact-requests/c1/enrol'), 409, {
      message: 'already',
      code: 'contact_request_enrolled',
      details: { parentId: 'p7' },
    });
    await settle();
    expect(element.querySelector('[data-testid="contact-request-parent-link"]')?.getAttribute('href')).toBe(
      '/parents/p7',
    );
    expect(element.querySelector('[data-testid="contact-request-enrol-form"]')).toBeNull();
  });

  it('links to the parent of an enrolled request and offers no second enrolment', async () => {
    await load(contactAlert({ ...REQUEST, status: 'enrolled', enrolledParentId: 'p5' }));
    expect(element.querySelector('[data-testid="contact-request-parent-link"]')?.getAttribute('href')).toBe(
      '/parents/p5',
    );
    expect(element.querySelector('[data-testid="contact-request-enrol"]')).toBeNull();
  });

  it('offers neither the identity nor enrolment without the parents permissions', async () => {
    setUp(['alerts.read', 'alerts.write']);
    await load();
    expect(text('contact-request-channel')).toBe('appel téléphonique');
    expect(shownTestIds(element, ['contact-request-reveal', 'contact-request-enrol'])).toEqual([]);
  });
});
