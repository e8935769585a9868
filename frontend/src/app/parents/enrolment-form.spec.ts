import { anApiError } from '../ui/spec-helpers';
import {
  CONSENT_TEXT_VERSION,
  addMonths,
  applyApiErrors,
  createEnrolmentForm,
  duplicateParentId,
  errorKey,
  toEnrolRequest,
} from './enrolment-form';
import { checkFrenchMobile, type PhoneCheck } from './phone';

const TODAY = '2026-03-10';

function validForm() {
  const form = createEnrolmentForm(() => TODAY);
  form.setValue({
    firstName: ' Léa ',
    lastName: 'Martin',
    phone: '06 12 34 56 78',
    role: 'mother',
    language: 'fr',
    dateKind: 'birth',
    birthDate: '2026-03-01',
    expectedTermDate: '',
    consent: true,
  });
  return form;
}

describe('French mobile numbers', () => {
  // Metropolitan and overseas mobiles, national or international, become E.164; a landline is refused saying so.
  it.each<[string, PhoneCheck]>([
    ['06 12 34 56 78', { ok: true, e164: '+33612345678' }],
    ['+33 7 81 23 45 67', { ok: true, e164: '+33781234567' }],
    ['0690 12 34 56', { ok: true, e164: '+590690123456' }],
    ['0694 20 12 34', { ok: true, e164: '+594694201234' }],
    ['0692 12 34 56', { ok: true, e164: '+262692123456' }],
    ['01 23 45 67 89', { ok: false, reason: 'not_mobile' }],
    ['+33 9 70 12 34 56', { ok: false, reason: 'not_mobile' }],
    ['+44 7911 123456', { ok: false, reason: 'invalid' }],
    ['06 12', { ok: false, reason: 'invalid' }],
    ['  ', { ok: false, reason: 'empty' }],
  ])('reads %j as %o', (input, expected) => {
    expect(checkFrenchMobile(input)).toEqual(expected);
  });
});

describe('enrolment form', () => {
  it('is valid when complete and builds the API request (E.164 phone, trimmed names, consent version)', () => {
    const form = validForm();
    expect(form.valid).toBe(true);
    expect(toEnrolRequest(form)).toEqual({
      firstName: 'Léa',
      lastName: 'Martin',
      phone: '+33612345678',
      role: 'mother',
      language: 'fr',
      birthDate: '2026-03-01',
      consent: { given: true, textVersion: CONSENT_TEXT_VERSION },
    });
    expect(CONSENT_TEXT_VERSION).toBe('consent-v1');
  });

  it('requires the consent, the role and a mobile number', () => {
    const form = validForm();
    form.controls.consent.setValue(false);
    form.controls.role.setValue('');
    form.controls.phone.setValue('01 23 45 67 89');
    expect(form.valid).toBe(false);
    expect(errorKey(form.controls.consent.errors)).toBe('enrol.errors.consent');
    expect(errorKey(form.controls.role.errors)).toBe('enrol.errors.required');
    expect(errorKey(form.controls.phone.errors)).toBe('enrol.errors.notMobile');
  });

  it('checks the birth date: not in the future, at most a year old', () => {
    const form = validForm();
    form.controls.birthDate.setValue('2026-03-11');
    expect(errorKey(form.controls.birthDate.errors)).toBe('enrol.errors.future');
    form.controls.birthDate.setValue('2025-03-09');
    expect(errorKey(form.controls.birthDate.errors)).toBe('enrol.errors.tooOld');
    form.controls.birthDate.setValue('2025-03-10');
    expect(form.controls.birthDate.errors).toBeNull();
    form.controls.birthDate.setValue('');
    expect(errorKey(form.controls.birthDate.errors)).toBe('enrol.errors.required');
  });

  it('takes an expected term instead of a birth date for an antenatal enrolment (a month ago to ten months ahead)', () => {
    const form = validForm();
    form.controls.dateKind.setValue('term');
    form.controls.birthDate.setValue('');
    expect(errorKey(form.controls.expectedTermDate.errors)).toBe('enrol.errors.required');
    form.controls.expectedTermDate.setValue('2026-02-09');
    expect(errorKey(form.controls.expectedTermDate.errors)).toBe('enrol.errors.termTooEarly');
    form.controls.expectedTermDate.setValue('2027-01-11');
    expect(errorKey(form.controls.expectedTermDate.errors)).toBe('enrol.errors.termTooLate');
    form.controls.expectedTermDate.setValue('2026-06-15');
    expect(form.valid).toBe(true);
    const request = toEnrolRequest(form);
    expect(request.expectedTermDate).toBe('2026-06-15');
    expect('birthDate' in request).toBe(false);
  });

  it('adds months on calendar days, clamping to the end of the month', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-03-10', -12)).toBe('2025-03-10');
    expect(addMonths('2026-03-10', 10)).toBe('2027-01-10');
  });
});

describe('API errors on the enrolment form', () => {
  it('puts each 400 detail on its field and returns the others', () => {
    const form = validForm();
    const error = anApiError(400, {
      message: 'Invalid',
      details: [
        { field: 'phone', message: 'must be a French mobile number' },
        { field: 'consent.given', message: 'must be true' },
        { field: 'referentUserId', message: 'unknown user' },
      ],
    });
    expect(applyApiErrors(form, error)).toEqual(['unknown user']);
    expect(form.controls.phone.errors).toEqual({ server: 'must be a French mobile number' });
    expect(errorKey(form.controls.phone.errors)).toBe('enrol.errors.server');
    expect(form.controls.consent.errors?.['server']).toBe('must be true');
    expect(form.valid).toBe(false);
    // Editing the field clears the server's complaint.
    form.controls.phone.setValue('07 81 23 45 67');
    expect(form.controls.phone.errors).toBeNull();
  });

  it('falls back to the message when the 400 names no field', () => {
    const form = validForm();
    expect(applyApiErrors(form, anApiError(400, { message: 'body: not JSON' }))).toEqual(['body: not JSON']);
  });

  it('finds the existing parent of a 409 duplicate', () => {
    expect(duplicateParentId(anApiError(409, { message: 'dup', details: { existingParentId: 'p-1' } }))).toBe(
      'p-1',
    );
    expect(duplicateParentId(anApiError(409, { message: 'dup', details: { parentId: 'p-2' } }))).toBe('p-2');
    expect(duplicateParentId(anApiError(409, { message: 'dup' }))).toBeNull();
    expect(
      duplicateParentId(anApiError(400, { message: 'x', details: { existingParentId: 'p' } })),
    ).toBeNull();
  });
});
