import {
  FormControl,
  FormGroup,
  Validators,
  type AbstractControl,
  type ValidationErrors,
  type ValidatorFn,
} from '@angular/forms';
import { putServerError } from '../ui/form-errors';
import { required } from '../ui/validators';
import type { ApiError, EnrolParentRequest, ParentRole } from '@lien/shared';
import { detailsObject, fieldErrors } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';
import { checkFrenchMobile } from './phone';

/** Version of the consent text shown in the form (recorded with the enrolment). */
export const CONSENT_TEXT_VERSION = 'consent-v1';
export const NAME_MAX_LENGTH = 100;

export type DateKind = 'birth' | 'term';

/** The first parent: their own fields and the birth (which the other parent shares). */
export type EnrolmentForm = FormGroup<
  ParentIdentityControls & {
    dateKind: FormControl<DateKind>;
    birthDate: FormControl<string>;
    expectedTermDate: FormControl<string>;
  }
>;

/** One parent's own fields (name, phone, role, language, consent): the first parent's and the other's alike. */
export interface ParentIdentityControls {
  firstName: FormControl<string>;
  lastName: FormControl<string>;
  phone: FormControl<string>;
  role: FormControl<ParentRole | ''>;
  language: FormControl<string>;
  consent: FormControl<boolean>;
}

/** The first error of a control, as a message key (the order is the order of importance). */
const ERROR_KEYS: [string, TranslationKey][] = [
  ['required', 'enrol.errors.required'],
  ['consent', 'enrol.errors.consent'],
  ['maxlength', 'enrol.errors.tooLong'],
  ['phone', 'enrol.errors.phone'],
  ['notMobile', 'enrol.errors.notMobile'],
  ['future', 'enrol.errors.future'],
  ['tooOld', 'enrol.errors.tooOld'],
  ['termTooEarly', 'enrol.errors.termTooEarly'],
  ['termTooLate', 'enrol.errors.termTooLate'],
];

export function errorKey(errors: Record<string, unknown> | null): TranslationKey | null {
  if (!errors) return null;
  for (const [name, key] of ERROR_KEYS) if (name in errors) return key;
  return 'server' in errors ? 'enrol.errors.server' : null;
}

/** What an enrolment field says under it once touched: its error in words (the API's message for a 400), or null. */
export function fieldErrorText(
  control: AbstractControl,
  t: (key: TranslationKey, params?: TranslationParams) => string,
): string | null {
  const key = control.touched || control.dirty ? errorKey(control.errors) : null;
  if (!key) return null;
  const server: unknown = control.errors?.['server'];
  return t(key, { message: typeof server === 'string' ? server : '' });
}

/** "YYYY-MM-DD" of an instant in a time zone (the organisation's calendar, not the browser's). */
export function dayIn(timeZone: string, instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** Adds months to a "YYYY-MM-DD" day (clamped to the month's last day). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, last));
  return target.toISOString().slice(0, 10);
}

/** The parent's consent must be recorded (its own error key, to say why in words). */
export const consentValidator: ValidatorFn = (control: AbstractControl<boolean>): ValidationErrors | null =>
  control.value === true ? null : { consent: true };

export function phoneValidator(): ValidatorFn {
  return (control: AbstractControl<string>): ValidationErrors | null => {
    const result = checkFrenchMobile(control.value ?? '');
    if (result.ok) return null;
    return result.reason === 'empty'
      ? { required: true }
      : { [result.reason === 'not_mobile' ? 'notMobile' : 'phone']: true };
  };
}

/**
 * Birth date: not in the future, at most a year old. Expected term: from a month ago to ten months ahead
 * (the API's rules, shared/src/api/parents.ts). Checked on the group: only the chosen one is required.
 */
export function dateRuleValidator(today: () => string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const form = group as EnrolmentForm;
    const { dateKind, birthDate, expectedTermDate } = form.controls;
    const now = today();
    const set = (control: FormControl<string>, error: string | null): void => {
      const others = { ...(control.errors ?? {}) };
      for (const key of ['required', 'future', 'tooOld', 'termTooEarly', 'termTooLate']) delete others[key];
      const next = error ? { ...others, [error]: true } : others;
      control.setErrors(Object.keys(next).length ? next : null, { emitEvent: false });
    };
    if (dateKind.value === 'birth') {
      set(expectedTermDate, null);
      const value = birthDate.value;
      set(
        birthDate,
        !value ? 'required' : value > now ? 'future' : value < addMonths(now, -12) ? 'tooOld' : null,
      );
    } else {
      set(birthDate, null);
      const value = expectedTermDate.value;
      set(
        expectedTermDate,
        !value
          ? 'required'
          : value < addMonths(now, -1)
            ? 'termTooEarly'
            : value > addMonths(now, 10)
              ? 'termTooLate'
              : null,
      );
    }
    return null;
  };
}

export function createEnrolmentForm(today: () => string, language = 'fr'): EnrolmentForm {
  // The consent stays last (the form's order is the page's).
  const { consent, ...identity } = parentIdentityControls('', language);
  return new FormGroup(
    {
      ...identity,
      dateKind: new FormControl<DateKind>('birth', { nonNullable: true }),
      birthDate: new FormControl('', { nonNullable: true }),
      expectedTermDate: new FormControl('', { nonNullable: true }),
      consent,
    },
    { validators: [dateRuleValidator(today)] },
  );
}

/** One parent's own part of a request: trimmed names, the phone in E.164 (as typed when it is not a mobile). */
function identityRequest(
  value: ReturnType<OtherParentForm['getRawValue']>,
): Pick<EnrolParentRequest, 'firstName' | 'lastName' | 'phone' | 'role' | 'language'> {
  const phone = checkFrenchMobile(value.phone);
  return {
    firstName: value.firstName.trim(),
    lastName: value.lastName.trim(),
    phone: phone.ok ? phone.e164 : value.phone.trim(),
    role: value.role as ParentRole,
    language: value.language,
  };
}

/** The API request for a valid form (trimmed names, E.164 phone, only the chosen date). */
export function toEnrolRequest(form: EnrolmentForm): EnrolParentRequest {
  const value = form.getRawValue();
  return {
    ...identityRequest(value),
    ...(value.dateKind === 'birth'
      ? { birthDate: value.birthDate }
      : { expectedTermDate: value.expectedTermDate }),
    consent: { given: value.consent, textVersion: CONSENT_TEXT_VERSION },
  };
}

/** API field paths → form controls. */
const FIELD_CONTROLS: Record<string, keyof EnrolmentForm['controls']> = {
  firstName: 'firstName',
  lastName: 'lastName',
  phone: 'phone',
  role: 'role',
  language: 'language',
  birthDate: 'birthDate',
  expectedTermDate: 'expectedTermDate',
  consent: 'consent',
  'consent.given': 'consent',
  'consent.textVersion': 'consent',
};

/**
 * Puts a 400's field errors on the matching controls (`server` error with the API's message) and returns
 * the messages that match no field, to show above the form.
 */
export function applyApiErrors(form: EnrolmentForm, error: ApiError): string[] {
  return placeApiErrors(error, (field) => {
    const name = controlName(field);
    return name ? form.controls[name] : undefined;
  });
}

/** The form control an API field names ("phone", "birthDate", "consent.given" → "consent"). */
function controlName(field: string): keyof EnrolmentForm['controls'] | undefined {
  return FIELD_CONTROLS[field] ?? FIELD_CONTROLS[field.split(/[.[]/)[0] ?? ''];
}

/**
 * Each detail of a 400 on the control `find` names (a `server` error, shown once touched); returns the messages
 * that match no control (the error's own message when it names no field).
 */
function placeApiErrors(error: ApiError, find: (field: string) => AbstractControl | undefined): string[] {
  const unmatched: string[] = [];
  const fields = fieldErrors(error);
  for (const [field, message] of Object.entries(fields)) {
    const control = find(field);
    if (control) putServerError(control, message);
    else unmatched.push(message);
  }
  if (Object.keys(fields).length === 0) unmatched.push(error.message);
  return unmatched;
}

/** The existing parent of a 409 duplicate enrolment, when the API names it. */
export function duplicateParentId(error: ApiError): string | null {
  if (error.statusCode !== 409) return null;
  const details = detailsObject(error);
  for (const key of ['existingParentId', 'parentId', 'id']) {
    const value = details?.[key];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** The other parent of the birth, enrolled with the first (own name, phone, role, language and consent). */
export type OtherParentForm = FormGroup<ParentIdentityControls>;

export function createOtherParentForm(language = 'fr'): OtherParentForm {
  return new FormGroup(parentIdentityControls('father', language));
}

/** One parent's own controls, empty: the first parent's form and the other parent's share them. */
function parentIdentityControls(role: ParentRole | '', language: string): ParentIdentityControls {
  const name = (): FormControl<string> =>
    new FormControl('', { nonNullable: true, validators: [required, Validators.maxLength(NAME_MAX_LENGTH)] });
  return {
    firstName: name(),
    lastName: name(),
    phone: new FormControl('', { nonNullable: true, validators: [phoneValidator()] }),
    role: new FormControl<ParentRole | ''>(role, { nonNullable: true, validators: [required] }),
    language: new FormControl(language, { nonNullable: true, validators: [required] }),
    consent: new FormControl(false, { nonNullable: true, validators: [consentValidator] }),
  };
}

/** The other parent's request: the same birth as the first parent's, their own identity and consent. */
export function toOtherParentRequest(first: EnrolParentRequest, form: OtherParentForm): EnrolParentRequest {
  const value = form.getRawValue();
  return {
    ...identityRequest(value),
    ...(first.birthDate ? { birthDate: first.birthDate } : { expectedTermDate: first.expectedTermDate }),
    consent: { given: value.consent, textVersion: CONSENT_TEXT_VERSION },
  };
}

/**
 * A household enrolment's 400: `parents[0].x` goes to the first parent's form, `parents[1].x` to the other's
 * (the birth is the first form's); returns the messages that match no field.
 */
export function applyHouseholdErrors(
  first: EnrolmentForm,
  other: OtherParentForm,
  error: ApiError,
): string[] {
  return placeApiErrors(error, (field) => {
    const match = /^parents\[(\d+)\]\.(.+)$/.exec(field);
    const index = match ? Number(match[1]) : -1;
    const name = match ? controlName(match[2]!) : undefined;
    const otherName =
      name && name in other.controls ? (name as keyof OtherParentForm['controls']) : undefined;
    return index === 0 && name
      ? first.controls[name]
      : index === 1 && otherName
        ? other.controls[otherName]
        : index === 1 && name
          ? first.controls[name]
          : undefined;
  });
}
