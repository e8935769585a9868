import {
  CONTACT_REQUEST_CHANNELS,
  CONTACT_TIME_SLOTS,
  EPDS_ITEM_COUNT,
  EPDS_OPTION_COUNT,
  MAX_CHILD_AGE_WEEKS,
  PARENT_ROLES,
  isEpdsLanguage,
  isFrenchPostalCode,
  type ContactRequestChannel,
  type ContactTimeSlot,
  type EpdsLanguage,
  type ParentRole,
} from '@lien/shared';

/**
 * What the self-screening forms send, read without throwing: every problem is named by its field. Pure.
 * The honeypot field `website` is hidden from people (and from assistive technology); only robots fill it.
 */

export const HONEYPOT_FIELD = 'website';

/** What both public forms (the questions, "be contacted") carry besides their own fields. */
export interface PublicFormFields {
  /** The valid postal code, or null (none, or invalid). */
  postalCode: string | null;
  /** What the parent typed, spaces dropped, kept to re-fill the form. */
  postalCodeText: string;
  postalCodeInvalid: boolean;
  language: EpdsLanguage | null;
  stamp: unknown;
  honeypot: boolean;
}

export interface ScreeningForm extends PublicFormFields {
  answers: (number | undefined)[];
  missing: number[];
  role: ParentRole | null;
  /** Weeks, or "pregnant"; null when missing or invalid. */
  childAge: number | 'pregnant' | null;
  /** What the parent typed, kept to re-fill the form. */
  childAgeText: string;
  pregnantChecked: boolean;
  unexpected: boolean;
}

const OPTION_VALUE = new RegExp(`^[0-${EPDS_OPTION_COUNT - 1}]$`);
const SCREENING_FIELDS = new Set([
  'lang',
  'role',
  'age',
  'pregnant',
  'cp',
  'ts',
  'embed',
  HONEYPOT_FIELD,
  ...Array.from({ length: EPDS_ITEM_COUNT }, (_, index) => `q${index + 1}`),
]);

const text = (value: unknown, max: number): string =>
  typeof value === 'string' ? value.trim().slice(0, max) : '';

/** The optional postal code field of both forms. */
function postalCodeField(
  value: unknown,
): Pick<PublicFormFields, 'postalCode' | 'postalCodeText' | 'postalCodeInvalid'> {
  const postalCodeText = text(value, 10).replace(/\s/g, '');
  const postalCodeInvalid = postalCodeText !== '' && !isFrenchPostalCode(postalCodeText);
  return {
    postalCode: postalCodeText && !postalCodeInvalid ? postalCodeText : null,
    postalCodeText,
    postalCodeInvalid,
  };
}

function record(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export function parseScreeningForm(body: unknown): ScreeningForm {
  const form = record(body);
  const answers: (number | undefined)[] = [];
  const missing: number[] = [];
  for (let number = 1; number <= EPDS_ITEM_COUNT; number += 1) {
    const value = form[`q${number}`];
    if (typeof value === 'string' && OPTION_VALUE.test(value)) answers.push(Number(value));
    else {
      answers.push(undefined);
      missing.push(number);
    }
  }
  const role = (PARENT_ROLES as readonly unknown[]).includes(form.role) ? (form.role as ParentRole) : null;
  const pregnantChecked = form.pregnant === 'yes';
  const childAgeText = text(form.age, 8);
  let childAge: number | 'pregnant' | null = null;
  if (/^\d{1,3}$/.test(childAgeText) && Number(childAgeText) <= MAX_CHILD_AGE_WEEKS)
    childAge = Number(childAgeText);
  else if (childAgeText === '' && pregnantChecked) childAge = 'pregnant';
  return {
    answers,
    missing,
    role,
    childAge,
    childAgeText,
    pregnantChecked,
    ...postalCodeField(form.cp),
    language: isEpdsLanguage(form.lang) ? form.lang : null,
    stamp: form.ts,
    honeypot: text(form[HONEYPOT_FIELD], 500) !== '',
    unexpected: Object.keys(form).some((key) => !SCREENING_FIELDS.has(key)),
  };
}

/** A "be contacted" request as either door (the page's form or the JSON API) sends it. */
export interface ContactInput extends PublicFormFields {
  firstName: string;
  phone: string;
  email: string;
  channel: ContactRequestChannel | null;
  timeSlots: ContactTimeSlot[];
  consent: boolean;
}

const CONTACT_FORM_FIELDS = new Set([
  'lang',
  'ts',
  'first_name',
  'phone',
  'email',
  'channel',
  'slots',
  'consent',
  'cp',
  HONEYPOT_FIELD,
]);

function contactFields(form: Record<string, unknown>, slots: unknown, consent: boolean): ContactInput {
  const slotList = (Array.isArray(slots) ? slots : slots === undefined ? [] : [slots]).filter(
    (slot): slot is ContactTimeSlot => (CONTACT_TIME_SLOTS as readonly unknown[]).includes(slot),
  );
  return {
    firstName: text(form.first_name ?? form.firstName, 200),
    phone: text(form.phone, 40),
    email: text(form.email, 320),
    channel: (CONTACT_REQUEST_CHANNELS as readonly unknown[]).includes(form.channel)
      ? (form.channel as ContactRequestChannel)
      : null,
    timeSlots: [...new Set(slotList)],
    consent,
    ...postalCodeField(form.cp ?? form.postalCode),
    language: isEpdsLanguage(form.lang ?? form.language)
      ? ((form.lang ?? form.language) as EpdsLanguage)
      : null,
    stamp: form.ts ?? form.formStamp,
    honeypot: text(form[HONEYPOT_FIELD], 500) !== '',
  };
}

/** The urlencoded contact form (`slots` may repeat: the flat parser gives an array then). */
export function parseContactForm(body: unknown): ContactInput & { unexpected: boolean } {
  const form = record(body);
  return {
    ...contactFields(form, form.slots, form.consent === 'yes'),
    unexpected: Object.keys(form).some((key) => !CONTACT_FORM_FIELDS.has(key)),
  };
}

const CONTACT_JSON_FIELDS = new Set([
  'formStamp',
  'firstName',
  'phone',
  'email',
  'channel',
  'timeSlots',
  'consent',
  'postalCode',
  'language',
  HONEYPOT_FIELD,
]);

/** The JSON body of `POST /api/public/contact-requests`; unknown keys are reported. */
export function parseContactJson(body: unknown): { input: ContactInput; unknownKeys: string[] } {
  const form = record(body);
  const consent = form.consent;
  const consentGiven =
    typeof consent === 'object' && consent !== null && (consent as Record<string, unknown>).given === true;
  return {
    input: contactFields(form, form.timeSlots, consentGiven),
    unknownKeys: Object.keys(form).filter((key) => !CONTACT_JSON_FIELDS.has(key)),
  };
}
