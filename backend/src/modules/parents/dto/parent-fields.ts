import { IsString, Matches } from 'class-validator';
import { Field, TextField, type FieldOptions, type TextFieldOptions } from '../../../common/api-fields.js';

/** At least one letter, no control characters. */
const NAME = /^(?=.*\p{L})[^\p{Cc}]+$/u;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A parent's fields, shared by every input that carries them (enrolment, update, enrolment of a contact
 * request). Whether a field is optional, and its example or description, stay with each input.
 */

/** A first or last name: trimmed, 1 to 100 characters, with letters and no control characters. */
export function ParentNameField(options: TextFieldOptions = {}): PropertyDecorator {
  return TextField(
    { ...options, min: 1, max: 100, trim: true },
    Matches(NAME, { message: '$property must contain letters and no control characters' }),
  );
}

/** A phone as typed (normalised and checked as a mobile number by the service). */
export function ParentPhoneField(options: TextFieldOptions = {}): PropertyDecorator {
  return TextField({ ...options, max: 40 });
}

/** A calendar day, `YYYY-MM-DD` (birth, expected term). */
export function IsoDayField(options: FieldOptions = {}): PropertyDecorator {
  return Field(options, IsString(), Matches(ISO_DATE, { message: '$property must be a date YYYY-MM-DD' }));
}
