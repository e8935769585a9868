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
import {
  FormArray,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import type { ApiError, UserSummary } from '@lien/shared';
import { toApiError } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { FormFeedback } from '../ui/form-feedback.component';
import { TranslationService } from '../i18n/translation.service';
import { invalidFormSummary, serverErrorSummary } from '../ui/form-errors';
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

/**
 * Org admins: who is on call by weekday and hour, with their professional mobile, and how long an urgent alert
 * waits for an acknowledgement before the next person is paged. The API replaces the whole rota at each save.
 */
@Component({
  selector: 'lien-on-call-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
    FormFeedback,
  ],
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

  protected readonly weekdays = WEEKDAYS;
  protected readonly busy = signal(false);
  protected readonly message = signal('');
  protected readonly error = signal<string | null>(null);
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

  protected get entries(): FormArray<SlotForm> {
    return this.form.controls.entries;
  }

  protected hourOptions(current: string): string[] {
    return HOURS.includes(current) ? HOURS : [...HOURS, current].sort();
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

  protected async save(): Promise<void> {
    if (this.busy()) return;
    this.message.set('');
    this.error.set(null);
    const invalid = invalidFormSummary(this.form, this.i18n.t);
    if (invalid) {
      this.error.set(invalid);
      this.focusError();
      return;
    }
    const value = this.form.getRawValue();
    this.busy.set(true);
    try {
      const view = await firstValueFrom(
        this.api.saveRota(rotaRequest(value.ackMinutes, value.voice, this.entries.controls)),
      );
      this.fill(view);
      this.message.set(this.i18n.t('onCall.saved'));
    } catch (caught) {
      this.showError(toApiError(caught));
    } finally {
      this.busy.set(false);
    }
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
    this.error.set(
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
    this.focusError();
  }

  private focusError(): void {
    this.feedback()?.focusError();
  }

  private focusSlot(index: number): void {
    afterNextRender(
      () =>
        this.host.nativeElement.querySelectorAll<HTMLElement>('[data-testid="rota-user"]')[index]?.focus(),
      { injector: this.injector },
    );
  }
}
