import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  effect,
  inject,
  Injector,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormArray, FormControl, FormGroup, Validators, type AbstractControl } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { firstValueFrom } from 'rxjs';
import type { ApiError, UserSummary } from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import { FormFeedback } from '../ui/form-feedback.component';
import { TranslationService } from '../i18n/translation.service';
import { serverErrorSummary } from '../ui/form-errors';
import { bindFields, bindRowFields, field, type FieldSpec, type SelectOption } from '../ui/form-fields';
import { FormSubmission } from '../ui/form-submission';
import { required } from '../ui/validators';
import { AdminApi } from './admin-api';
import { OnCallApi, type RotaView } from './on-call-api';
import {
  HOURS,
  ROTA_ERROR_KEYS,
  SLOT_FIELDS,
  SLOT_FIELD_LABELS,
  WEEKDAYS,
  rotaRequest,
  slotForm,
  type SlotField,
  type SlotForm,
} from './on-call-form';
import { ADMIN_FORM_PAGE } from '../ui/admin-form-page';

/**
 * Org admins: who is on call by weekday and hour, with their professional mobile, and how long an urgent alert
 * waits for an acknowledgement before the next person is paged. The API replaces the whole rota at each save.
 */
@Component({
  selector: 'lien-on-call-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ADMIN_FORM_PAGE, MatCheckboxModule],
  templateUrl: './on-call.page.html',
  styleUrl: './on-call.page.css',
})
export class OnCallPage {
  private readonly api = inject(OnCallApi);
  private readonly admin = inject(AdminApi);
  private readonly i18n = inject(TranslationService);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly feedback = viewChild(FormFeedback);

  /** The start and the end of a slot: the same hour picker. */
  protected readonly hourFields = ['start', 'end'] as const;
  protected readonly flow = new FormSubmission(this.i18n.t, this.feedback);
  /** The gaps of the rota as last loaded or saved. */
  protected readonly saved = signal<RotaView | null>(null);

  protected readonly form = new FormGroup({
    ackMinutes: new FormControl(10, {
      nonNullable: true,
      validators: [required, Validators.min(1), Validators.max(120)],
    }),
    voice: new FormControl(false, { nonNullable: true }),
    entries: new FormArray<SlotForm>([]),
  });
  protected readonly fields = bindFields(
    {
      ackMinutes: field('onCall.ackMinutes', 'rota-ack-minutes', {
        hint: 'onCall.ackMinutesHint',
        type: 'number',
        required: true,
        min: 1,
        max: 120,
      }),
    },
    this.form.controls,
    (name) => this.fieldError(this.form.controls[name], name),
  );
  private readonly slotSpecs: Record<SlotField, FieldSpec> = {
    userId: field('onCall.professional', 'rota-user', { required: true }),
    weekdays: field('onCall.weekdays', 'rota-weekdays', { required: true, multiple: true }),
    start: field('onCall.start', 'rota-start', { required: true }),
    end: field('onCall.end', 'rota-end', { hint: 'onCall.endHint', required: true }),
    phone: field('onCall.phone', 'rota-phone', { hint: 'onCall.phoneHint', type: 'tel', required: true }),
  };

  protected readonly rota = rxResource({ stream: () => this.api.rota() });
  protected readonly members = rxResource({
    // 100: the API's largest page (common/paging.ts); 200 was refused with a 400 and left the picker empty.
    stream: () => this.admin.users({ active: 'true', pageSize: 100 }),
  });
  protected readonly people = computed(() =>
    [...(this.members.value()?.items ?? [])]
      .filter((user: UserSummary) => user.role === 'professional' || user.role === 'org_admin')
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'fr')),
  );

  constructor() {
    // The form follows each load (first visit, retry); a save refills it from the API's answer.
    effect(() => {
      const view = this.rota.value();
      if (view) untracked(() => this.fill(view));
    });
  }

  /** A slot's fields, bound to its controls once: the slot keeps its group for as long as it is shown. */
  protected readonly slotFields = bindRowFields(this.slotSpecs, (slot: SlotForm, name) =>
    this.fieldError(slot.controls[name], name),
  );

  protected get entries(): FormArray<SlotForm> {
    return this.form.controls.entries;
  }

  private readonly hours = computed(() =>
    HOURS.map((hour) => ({ value: hour, label: this.hourLabel(hour) })),
  );
  protected readonly weekdayChoices = computed(() =>
    WEEKDAYS.map((day) => ({ value: day, label: this.i18n.t(this.weekdayKey(day)) })),
  );

  /** The whole hours, and a slot's own time when the API holds one off the hour. */
  protected hourChoices(current: string): readonly SelectOption<string>[] {
    return HOURS.includes(current)
      ? this.hours()
      : [...this.hours(), { value: current, label: this.hourLabel(current) }].sort((a, b) =>
          a.value.localeCompare(b.value),
        );
  }

  /** The professionals who may be on call, and the slot's own person when no longer among them. */
  protected personChoices(current: string): readonly SelectOption<string>[] {
    const people = this.people().map((person) => ({ value: person.id, label: person.displayName }));
    return this.isMissing(current)
      ? [...people, { value: current, label: this.i18n.t('onCall.unknownUser') }]
      : people;
  }

  protected hourLabel(value: string): string {
    const [hours = '', minutes = ''] = value.split(':');
    return this.i18n.t('onCall.hour', { hours, minutes });
  }

  protected weekdayKey(day: number): TranslationKey {
    return `onCall.weekday.${day}` as TranslationKey;
  }

  protected personName(userId: string): string {
    return this.people().find((user) => user.id === userId)?.displayName ?? this.i18n.t('onCall.unknownUser');
  }

  protected isMissing(userId: string): boolean {
    return userId !== '' && !this.people().some((user) => user.id === userId);
  }

  /** The message under a field: the API's refusal (in French), else the form's own check. */
  protected fieldError(control: AbstractControl, field: SlotField | 'ackMinutes'): string {
    const errors = control.errors;
    if (!errors) return '';
    if ('server' in errors) return this.i18n.t(ROTA_ERROR_KEYS[field]);
    if ('required' in errors) return this.i18n.t('enrol.errors.required');
    if ('notMobile' in errors) return this.i18n.t('enrol.errors.notMobile');
    if ('phone' in errors) return this.i18n.t('onCall.errors.phone');
    return this.i18n.t(ROTA_ERROR_KEYS[field]);
  }

  protected addSlot(): void {
    this.entries.push(slotForm());
    this.focusSlot(this.entries.length - 1);
  }

  protected removeSlot(index: number): void {
    this.entries.removeAt(index);
    this.entries.markAsDirty();
    afterNextRender(
      () => this.host.nativeElement.querySelector<HTMLElement>('[data-testid="rota-add"]')?.focus(),
      { injector: this.injector },
    );
  }

  protected save(): Promise<void> {
    return this.flow.submit(
      this.form,
      async () => {
        const value = this.form.getRawValue();
        const view = await firstValueFrom(
          this.api.saveRota(rotaRequest(value.ackMinutes, value.voice, this.entries.controls)),
        );
        this.fill(view);
        this.flow.message.set(this.i18n.t('onCall.saved'));
      },
      (error) => this.showError(error),
    );
  }

  private fill(view: RotaView): void {
    this.saved.set(view);
    this.form.controls.ackMinutes.setValue(view.ackMinutes);
    this.form.controls.voice.setValue(view.voice);
    this.entries.clear();
    for (const entry of view.entries) this.entries.push(slotForm(entry));
    this.form.markAsPristine();
  }

  /** Each 400 detail on its field ("entries[2].phone" → slot 3's mobile); a summary names them above. */
  private showError(error: ApiError): void {
    this.flow.fail(
      serverErrorSummary(
        error,
        (field) => {
          if (field === 'ackMinutes') {
            return { control: this.form.controls.ackMinutes, label: this.i18n.t('onCall.ackMinutes') };
          }
          const match = /^entries\[(\d+)\]\.(\w+)$/.exec(field);
          const slot = match ? this.entries.at(Number(match[1])) : undefined;
          const name = match?.[2] as SlotField | undefined;
          if (!slot || !name || !(SLOT_FIELDS as readonly string[]).includes(name)) return undefined;
          return {
            control: slot.controls[name],
            label: this.i18n.t('onCall.slotField', {
              n: Number(match![1]) + 1,
              field: this.i18n.t(SLOT_FIELD_LABELS[name]),
            }),
          };
        },
        this.i18n.t,
        'onCall.invalidFields',
      ),
    );
  }

  private focusSlot(index: number): void {
    afterNextRender(
      () =>
        this.host.nativeElement.querySelectorAll<HTMLElement>('[data-testid="rota-user"]')[index]?.focus(),
      { injector: this.injector },
    );
  }
}
