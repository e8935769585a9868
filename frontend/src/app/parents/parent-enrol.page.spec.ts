import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router } from '@angular/router';
import { configurePageTestBed } from '../ui/page-test-bed';
import { dayIn } from './enrolment-form';
import { ParentEnrolPage } from './parent-enrol.page';
import { flushBadRequest, testIdFinder, testIdTyper, flushApiError } from '../ui/spec-helpers';

/** A birth three days ago, in the default time zone of the console. */
const BIRTH = dayIn('Europe/Paris', new Date(Date.now() - 3 * 86_400_000));

/** The enrolment `fillValidForm` types, as the page sends it (E.164 phone, consent version). */
const LEA = {
  firstName: 'Léa',
  lastName: 'Martin',
  phone: '+33612345678',
  role: 'mother',
  language: 'fr',
  birthDate: BIRTH,
  consent: { given: true, textVersion: 'consent-v1' },
};

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

describe('ParentEnrolPage', () => {
  let fixture: ComponentFixture<ParentEnrolPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  beforeEach(async () => {
    configurePageTestBed([]);
    fixture = TestBed.createComponent(ParentEnrolPage);
    element = fixture.nativeElement as HTMLElement;
    backend = TestBed.inject(HttpTestingController);
    jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await fixture.whenStable();
  });

  const byTestId = testIdFinder(() => element);
  const type = testIdTyper(() => element);

  async function fillValidForm(): Promise<void> {
    type('enrol-first-name', 'Léa');
    type('enrol-last-name', 'Martin');
    type('enrol-phone', '06 12 34 56 78');
    byTestId('enrol-role-mother').querySelector('input')?.click();
    type('enrol-birth-date', BIRTH);
    byTestId('enrol-consent').querySelector('input')?.click();
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    byTestId<HTMLButtonElement>('enrol-submit').click();
    await fixture.whenStable();
  }

  /** The API refuses what was sent to `url` with a 400 naming one field. */
  async function refuse(url: string, field: string, message: string): Promise<void> {
    flushBadRequest(backend.expectOne(url), [{ field, message }]);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('shows the consent text and its version', () => {
    expect(byTestId('consent-text').textContent).toContain('consent-v1');
    expect(byTestId('consent-text').textContent).toContain('EPDS');
  });

  it('does not send an incomplete form and says what is missing', async () => {
    type('enrol-phone', '01 23 45 67 89');
    await submit();
    backend.expectNone('/api/parents');
    expect(byTestId('enrol-error').textContent).toContain('Certains champs sont à corriger');
    expect(element.textContent).toContain('Il faut un numéro de mobile');
    expect(element.textContent).toContain('Le consentement du parent est nécessaire');
  });

  it('sends the enrolment with the E.164 phone and the consent version', async () => {
    await fillValidForm();
    await submit();
    const request = backend.expectOne('/api/parents');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual(LEA);
    request.flush({ id: 'p-9' });
    await fixture.whenStable();
    expect(TestBed.inject(Router).navigate).toHaveBeenCalledWith(['/parents', 'p-9']);
  });

  it("shows the API's 400 details next to their fields", async () => {
    await fillValidForm();
    await submit();
    await refuse('/api/parents', 'phone', 'number not reachable by SMS');
    expect(element.textContent).toContain('Valeur refusée : number not reachable by SMS');
    expect(byTestId('enrol-error').textContent).toContain('Certains champs sont à corriger');
  });

  it('links to the existing parent on a 409 duplicate', async () => {
    await fillValidForm();
    await submit();
    flushApiError(backend.expectOne('/api/parents'), 409, {
      message: 'duplicate',
      code: 'duplicate_parent',
      details: { existingParentId: 'p-1' },
    });
    await fixture.whenStable();
    fixture.detectChanges();
    const link = byTestId<HTMLAnchorElement>('enrol-duplicate-link');
    expect(link.getAttribute('href')).toBe('/parents/p-1');
  });

  describe('with the other parent of the birth', () => {
    /** Adds Louis Martin, the father, ticking his own consent unless told not to. */
    async function addOther(consent = true): Promise<void> {
      byTestId('enrol-with-other').querySelector('input')?.click();
      await fixture.whenStable();
      fixture.detectChanges();
      type('other-first-name', 'Louis');
      type('other-last-name', 'Martin');
      type('other-phone', '06 98 76 54 32');
      if (consent) byTestId('other-consent').querySelector('input')?.click();
      await fixture.whenStable();
    }

    it('needs the other parent’s own consent before sending anything', async () => {
      await fillValidForm();
      await addOther(false);
      await submit();
      backend.expectNone('/api/households');
      backend.expectNone('/api/parents');
      expect(byTestId('enrol-other').textContent).toContain('Le consentement du parent est nécessaire');
    });

    it('enrols both in one request: same birth, each with their own phone, role and consent', async () => {
      await fillValidForm();
      await addOther();
      await submit();
      backend.expectNone('/api/parents');
      const request = backend.expectOne('/api/households');
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toEqual({
        parents: [
          LEA,
          {
            firstName: 'Louis',
            lastName: 'Martin',
            phone: '+33698765432',
            role: 'father',
            language: 'fr',
            birthDate: BIRTH,
            consent: { given: true, textVersion: 'consent-v1' },
          },
        ],
      });
      request.flush({ householdId: 'h1', parents: [{ id: 'p-1' }, { id: 'p-2' }] });
      await fixture.whenStable();
      expect(TestBed.inject(Router).navigate).toHaveBeenCalledWith(['/parents', 'p-1']);
    });

    it('puts the API’s error on the other parent’s field', async () => {
      await fillValidForm();
      await addOther();
      await submit();
      await refuse('/api/households', 'parents[1].phone', 'must differ from the other parent');
      expect(byTestId('enrol-other').textContent).toContain('must differ from the other parent');
    });
  });
});
