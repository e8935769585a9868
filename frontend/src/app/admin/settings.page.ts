import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom, of } from 'rxjs';
import {
  ALERT_SEVERITIES,
  PARENT_ROLES,
  type EpdsBand,
  getEpdsUiText,
  isEpdsLanguage,
  type AlertSeverity,
  type OrganisationSettingsResponse,
} from '@lien/shared';
import { apiErrorText, toApiError } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import { LienTimeField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { bandKey, LABELS } from '../ui/labels';
import { AdminApi } from './admin-api';
import { OnCallApi } from './on-call-api';
import {
  ANXIETY_SOURCE,
  DEFAULTS,
  applySettingsErrors,
  createSettingsForm,
  newResourceGroup,
  settingsErrorText,
  toSettingsPatch,
  type ResourceForm,
  type SettingsForm,
} from './settings-form';
import { SmsTemplateEditor } from './sms-template-editor.component';
import { ThresholdFields } from './threshold-fields.component';
import { LienIcon } from '../ui/icon';
import { FormField, bindFields, bindRowFields, field } from '../ui/form-fields';

/** The organisation's contact fields; bound again to each form the page builds (load, save, reset). */
const CONTACT_FIELDS = {
  smsSender: field('settings.smsSender', 'settings-sms-sender', {
    hint: 'settings.smsSenderHint',
    maxlength: 11,
  }),
  onCallEmail: field('settings.onCallEmail', '', { type: 'email', hint: 'settings.onCallEmailHint' }),
  contactPhone: field('settings.contactPhone', '', { type: 'tel', hint: 'settings.contactPhoneHint' }),
};

/** A local resource's fields (one row of the list); each row is bound once, for as long as it is shown. */
const RESOURCE_FIELDS = {
  name: field('settings.resourceName', '', { required: true, maxlength: 120 }),
  phone: field('settings.resourcePhone', '', { type: 'tel' }),
  url: field('settings.resourceUrl', '', { type: 'url' }),
  description: field('settings.resourceDescription', ''),
};

@Component({
  selector: 'lien-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LienTimeField,
    FormField,
    RouterLink,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    LienIcon,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
    SmsTemplateEditor,
    ThresholdFields,
  ],
  templateUrl: './settings.page.html',
  styleUrl: './settings.page.css',
})
export class SettingsPage {
  private readonly api = inject(AdminApi);
  private readonly onCall = inject(OnCallApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly summary = viewChild.required<ElementRef<HTMLElement>>('summary');

  protected readonly roles = PARENT_ROLES;
  protected readonly severities = ALERT_SEVERITIES;
  protected readonly defaults = DEFAULTS;
  protected readonly anxietySource = ANXIETY_SOURCE;
  protected readonly labels = LABELS;
  /** How parents are named in the alert list (each list read is audited either way). */
  protected readonly listNameChoices = [
    { value: 'initials', label: 'settings.alertListParentName.initials' },
    { value: 'full', label: 'settings.alertListParentName.full' },
  ] as const;

  protected readonly organisationId = computed(() => this.auth.me()?.organisation?.id ?? null);
  protected readonly organisationName = computed(() => this.auth.me()?.organisation?.name ?? '');
  protected readonly settings = rxResource({
    params: () => this.organisationId(),
    stream: ({ params }) => (params ? this.api.settings(params) : of(null)),
  });
  /** Hours nobody is on call: an urgent alert then pages the organisation admin, so the settings say so. */
  protected readonly rotaGaps = rxResource({
    params: () => this.organisationId(),
    stream: ({ params }) => (params ? this.onCall.rota() : of(null)),
  });
  protected readonly form = signal<SettingsForm | null>(null);
  /** How the organisation is reached: text fields, each with its hint and the form's error text. */
  protected readonly contactFields = computed(() => {
    const form = this.form();
    return (
      form && bindFields(CONTACT_FIELDS, form.controls, (name) => this.errorText(form.controls[name].errors))
    );
  });
  /** A local resource's fields, bound to its controls once per row. */
  protected readonly resourceFields = bindRowFields(RESOURCE_FIELDS, (resource: ResourceForm, name) =>
    this.errorText(resource.controls[name].errors),
  );
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[]>([]);
  protected readonly saved = signal('');

  constructor() {
    effect(() => {
      const value = this.settings.hasValue() ? this.settings.value() : null;
      if (value) this.form.set(createSettingsForm(value));
    });
  }

  protected rescreenBands(bands: readonly EpdsBand[]): string {
    return bands.map((band) => this.i18n.t(bandKey(band))).join(', ');
  }

  protected templateLanguages(form: SettingsForm): string[] {
    // French first (the fallback language), then the others alphabetically.
    return Object.keys(form.controls.smsTemplates.controls).sort((a, b) =>
      a === 'fr' ? -1 : b === 'fr' ? 1 : a.localeCompare(b),
    );
  }

  protected languageName(language: string): string {
    return isEpdsLanguage(language) ? getEpdsUiText(language).languageName : language;
  }

  protected defaultWave(index: number, field: 'offsetDays' | 'windowStartDay' | 'windowEndDay'): string {
    const wave = this.defaults.waves[index];
    return wave ? String(wave[field]) : '—';
  }

  protected defaultContact(severity: AlertSeverity): string {
    const deadline = this.defaults.deadlines[severity];
    const value =
      deadline.contactWorkingDays !== undefined
        ? `${deadline.contactWorkingDays} ${this.i18n.t('settings.unitWorkingDays')}`
        : `${deadline.contactHours ?? '—'} ${this.i18n.t('settings.unitHours')}`;
    return this.i18n.t('settings.default', { value });
  }

  protected errorText(errors: Record<string, unknown> | null): string {
    return settingsErrorText(errors, this.i18n.t);
  }

  protected addResource(form: SettingsForm): void {
    form.controls.localResources.push(newResourceGroup());
  }

  protected removeResource(form: SettingsForm, index: number): void {
    form.controls.localResources.removeAt(index);
  }

  protected reset(): void {
    const value = this.settings.hasValue() ? this.settings.value() : null;
    if (value) this.form.set(createSettingsForm(value));
    this.errors.set([]);
    this.saved.set('');
  }

  protected async save(form: SettingsForm): Promise<void> {
    const organisationId = this.organisationId();
    if (!organisationId || this.busy()) return;
    this.errors.set([]);
    this.saved.set('');
    if (form.invalid) {
      form.markAllAsTouched();
      this.errors.set([this.i18n.t('enrol.errors.checkFields')]);
      this.focusSummary();
      return;
    }
    this.busy.set(true);
    try {
      const updated: OrganisationSettingsResponse = await firstValueFrom(
        this.api.updateSettings(organisationId, toSettingsPatch(form)),
      );
      this.form.set(createSettingsForm(updated));
      this.saved.set(this.i18n.t('settings.saved'));
    } catch (error) {
      const apiError = toApiError(error);
      const unmatched =
        apiError.statusCode === 400
          ? applySettingsErrors(form, apiError)
          : [apiErrorText(apiError, this.i18n.t)];
      this.errors.set(unmatched.length ? unmatched : [this.i18n.t('enrol.errors.checkFields')]);
      this.focusSummary();
    } finally {
      this.busy.set(false);
    }
  }

  private focusSummary(): void {
    setTimeout(() => this.summary().nativeElement.focus());
  }
}
