import { FormControl, FormGroup, type AbstractControl, type ValidationErrors } from '@angular/forms';
import type { TranslationKey } from '../i18n/fr';
import { phoneValidator } from '../parents/enrolment-form';
import { checkFrenchMobile } from '../parents/phone';
import { displayPhone } from '../parents/phone-format';
import { required } from '../ui/validators';
import type { RotaEntry, RotaRequest } from './on-call-api';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Whole hours, 24 h: "00:00" … "23:00" (the API takes any "HH:MM"; the editor offers the hour). */
export const HOURS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);
export const SLOT_FIELDS = ['userId', 'weekdays', 'start', 'end', 'phone'] as const;
export type SlotField = (typeof SLOT_FIELDS)[number];

export type SlotForm = FormGroup<{
  userId: FormControl<string>;
  weekdays: FormControl<number[]>;
  start: FormControl<string>;
  end: FormControl<string>;
  phone: FormControl<string>;
}>;

const atLeastOneDay = (control: AbstractControl<number[]>): ValidationErrors | null =>
  control.value?.length ? null : { required: true };

/** A slot's form, the phone shown as people write it (06 12 34 56 78). */
export function slotForm(entry?: RotaEntry): SlotForm {
  return new FormGroup({
    userId: new FormControl(entry?.userId ?? '', { nonNullable: true, validators: [required] }),
    weekdays: new FormControl<number[]>(entry?.weekdays ?? [1, 2, 3, 4, 5], {
      nonNullable: true,
      validators: [atLeastOneDay],
    }),
    start: new FormControl(entry?.start ?? '18:00', { nonNullable: true, validators: [required] }),
    end: new FormControl(entry?.end ?? '08:00', { nonNullable: true, validators: [required] }),
    phone: new FormControl(entry ? displayPhone(entry.phone) : '', {
      nonNullable: true,
      validators: [phoneValidator()],
    }),
  });
}

/** The PUT body: weekdays in order, phones as E.164 when they read as a French mobile (the API stays the judge). */
export function rotaRequest(ackMinutes: number, voice: boolean, slots: SlotForm[]): RotaRequest {
  return {
    ackMinutes,
    voice,
    entries: slots.map((slot) => {
      const value = slot.getRawValue();
      const phone = checkFrenchMobile(value.phone);
      return {
        userId: value.userId,
        weekdays: [...value.weekdays].sort((a, b) => a - b),
        start: value.start,
        end: value.end,
        phone: phone.ok ? phone.e164 : value.phone.trim(),
      };
    }),
  };
}

export const SLOT_FIELD_LABELS: Record<SlotField, TranslationKey> = {
  userId: 'onCall.professional',
  weekdays: 'onCall.weekdays',
  start: 'onCall.start',
  end: 'onCall.end',
  phone: 'onCall.phone',
};

/** What the API refused, per field, in the console's words (never its English text). */
export const ROTA_ERROR_KEYS: Record<SlotField | 'ackMinutes', TranslationKey> = {
  userId: 'onCall.errors.userId',
  weekdays: 'onCall.errors.weekdays',
  start: 'onCall.errors.time',
  end: 'onCall.errors.end',
  phone: 'onCall.errors.phone',
  ackMinutes: 'onCall.errors.ackMinutes',
};
