import type { AbstractControl, FormGroupDirective } from '@angular/forms';
import type { ApiError } from '@lien/shared';
import { apiErrorText, fieldErrors } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** A form field a 400 detail may name: its control and the label the form shows for it. */
export interface NamedField {
  control: AbstractControl;
  label: string;
}

/**
 * The one way a console form takes a 400: each detail goes on its field (a `server` error, shown once touched)
 * and the summary above the form names those fields; with none of the form's fields named, the summary is the
 * error's own text. `find` maps an API field ("name", "entries[2].phone") to the form's, or undefined to skip it.
 */
export function serverErrorSummary(
  error: ApiError,
  find: (field: string) => NamedField | undefined,
  t: Translate,
  summaryKey: TranslationKey = 'organisations.invalidFields',
): string {
  const named: string[] = [];
  for (const [field, message] of Object.entries(fieldErrors(error))) {
    const target = find(field);
    if (!target) continue;
    putServerError(target.control, message);
    named.push(target.label);
  }
  return named.length ? t(summaryKey, { fields: named.join(', ') }) : apiErrorText(error, t);
}

/** The API's message for a field, on its control: a `server` error beside its own, shown at once (touched). */
export function putServerError(control: AbstractControl, message: string): void {
  control.setErrors({ ...(control.errors ?? {}), server: message });
  control.markAsTouched();
}

/**
 * Before sending: an invalid form shows each field's error (all marked touched) and the summary asks to check
 * them; returns that summary, or null when the form may be sent.
 */
export function invalidFormSummary(form: AbstractControl, t: Translate): string | null {
  if (!form.invalid) return null;
  form.markAllAsTouched();
  return t('enrol.errors.checkFields');
}

/**
 * After a save: the form back to its first values and no longer marked as submitted, so its fresh fields show no
 * "required" (a bare `form.reset()` leaves the directive's `submitted`, and Material shows errors on it).
 */
export function clearForm(form: AbstractControl, directive: FormGroupDirective | undefined): void {
  if (directive) directive.resetForm();
  else form.reset();
}
