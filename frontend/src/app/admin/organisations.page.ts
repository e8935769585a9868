import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, Validators } from '@angular/forms';
import { firstValueFrom } from 'rxjs';
import {
  ORGANISATION_KINDS,
  type CreateOrganisationRequest,
  type OrganisationKind,
  type OrganisationSummary,
  type UpdateOrganisationRequest,
} from '@lien/shared';
import { toApiError } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import { clearForm, serverErrorSummary, type NamedField } from '../ui/form-errors';
import { TranslationService } from '../i18n/translation.service';
import { required } from '../ui/validators';
import { AdminApi } from './admin-api';
import { bindFields, field, type BoundField } from '../ui/form-fields';
import { ADMIN_FORM_PAGE } from '../ui/admin-form-page';

export const ORGANISATION_KIND_KEYS: Record<OrganisationKind, TranslationKey> = {
  pmi: 'organisations.kindPmi',
  maternity: 'organisations.kindMaternity',
  other: 'organisations.kindOther',
};

/** The text under each field once it is invalid (none for the kind, a choice that cannot be wrong). */
const INVALID_KEYS = {
  name: 'organisations.nameInvalid',
  kind: null,
  departement: 'organisations.departementInvalid',
  timeZone: 'organisations.timeZoneInvalid',
  smsSender: 'organisations.senderInvalid',
} as const satisfies Record<string, TranslationKey | null>;

/** Time zones of metropolitan and overseas France (the API defaults one from the département when empty). */
export const FRENCH_TIME_ZONES = [
  'Europe/Paris',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'Indian/Reunion',
  'Indian/Mayotte',
  'America/Miquelon',
] as const;

/**
 * Platform admins: the organisations (list), a new one (name, kind, département, time zone, SMS sender), and an
 * existing one edited in the same form (the sender is set at creation; the API does not change it afterwards).
 */
@Component({
  selector: 'lien-organisations-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ADMIN_FORM_PAGE],
  templateUrl: './organisations.page.html',
  styleUrls: ['../ui/admin-forms.css', './organisations.page.css'],
})
export class OrganisationsPage {
  private readonly api = inject(AdminApi);
  private readonly i18n = inject(TranslationService);
  private readonly formRef = viewChild<FormGroupDirective>('formRef');

  protected readonly kinds = ORGANISATION_KINDS;
  protected readonly kindKeys = ORGANISATION_KIND_KEYS;
  protected readonly timeZones = FRENCH_TIME_ZONES;
  protected readonly busy = signal(false);
  protected readonly message = signal('');
  protected readonly error = signal<string | null>(null);
  /** The organisation being edited, or null when the form creates one. */
  protected readonly editing = signal<OrganisationSummary | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [required, Validators.maxLength(200)]],
    kind: ['pmi' as OrganisationKind, required],
    departement: ['', [required, Validators.pattern(/^(?:\d{2}|2[AB]|97[1-6])$/i)]],
    /** Empty: the API derives it from the département (overseas ones included). */
    timeZone: [''],
    smsSender: ['', [required, Validators.pattern(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/)]],
  });
  protected readonly fields = bindFields(
    {
      name: field('organisations.name', 'organisation-name', { required: true }),
      kind: field('organisations.kind', 'organisation-kind'),
      departement: field('organisations.departement', 'organisation-departement', {
        hint: 'organisations.departementHint',
        required: true,
        maxlength: 3,
      }),
      timeZone: field('organisations.timeZone', 'organisation-time-zone'),
      smsSender: field('organisations.smsSender', 'organisation-sender', {
        hint: 'settings.smsSenderHint',
        required: true,
        maxlength: 11,
      }),
    },
    this.form.controls,
    (name) => this.fieldError(name),
  );
  /** Set at creation: the API does not change it afterwards. */
  protected readonly fixedSmsSender: BoundField = {
    ...this.fields.smsSender,
    spec: field('organisations.smsSender', 'organisation-sender', {
      hint: 'organisations.senderFixed',
      required: true,
      maxlength: 11,
    }),
  };
  protected readonly kindChoices = computed(() =>
    this.kinds.map((kind) => ({ value: kind, label: this.i18n.t(this.kindKeys[kind]) })),
  );
  protected readonly timeZoneChoices = computed(() => [
    { value: '', label: this.i18n.t('organisations.timeZoneAuto') },
    ...this.timeZones.map((zone) => ({ value: zone, label: zone })),
  ]);

  protected readonly organisations = rxResource({ stream: () => this.api.organisations() });
  protected readonly sorted = computed(() =>
    [...(this.organisations.value() ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'fr')),
  );

  protected fieldError(name: keyof typeof INVALID_KEYS): string {
    const key = INVALID_KEYS[name];
    if (!key) return '';
    const missingName = name === 'name' && this.form.controls.name.hasError('required');
    return this.i18n.t(missingName ? 'enrol.errors.required' : key);
  }

  protected edit(organisation: OrganisationSummary): void {
    this.editing.set(organisation);
    this.message.set('');
    this.error.set(null);
    this.form.setValue({
      name: organisation.name,
      kind: organisation.kind,
      departement: organisation.departement,
      timeZone: organisation.timeZone,
      smsSender: organisation.smsSender,
    });
    this.form.controls.smsSender.disable();
  }

  protected cancelEdit(): void {
    this.editing.set(null);
    clearForm(this.form, this.formRef());
    this.form.controls.smsSender.enable();
  }

  protected async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const editing = this.editing();
    this.busy.set(true);
    this.error.set(null);
    this.message.set('');
    try {
      if (editing) {
        const patch: UpdateOrganisationRequest = {
          name: value.name.trim(),
          kind: value.kind,
          departement: value.departement.trim().toUpperCase(),
          ...(value.timeZone ? { timeZone: value.timeZone } : {}),
        };
        await firstValueFrom(this.api.updateOrganisation(editing.id, patch));
        this.message.set(this.i18n.t('organisations.updated', { name: patch.name ?? '' }));
        this.cancelEdit();
      } else {
        const request: CreateOrganisationRequest = {
          name: value.name.trim(),
          kind: value.kind,
          departement: value.departement.trim().toUpperCase(),
          ...(value.timeZone ? { timeZone: value.timeZone } : {}),
          smsSender: value.smsSender.trim(),
        };
        await firstValueFrom(this.api.createOrganisation(request));
        this.message.set(this.i18n.t('organisations.created', { name: request.name }));
        clearForm(this.form, this.formRef());
      }
      this.organisations.reload();
    } catch (caught) {
      // Each 400 detail on its field, said in French by the field's own message; the summary names the fields.
      this.error.set(serverErrorSummary(toApiError(caught), (field) => this.namedField(field), this.i18n.t));
    } finally {
      this.busy.set(false);
    }
  }

  /** The API names fields in English ("departement"): the form's control and label for each. */
  private namedField(field: string): NamedField | undefined {
    const keys: Record<string, TranslationKey> = {
      name: 'organisations.name',
      kind: 'organisations.kind',
      departement: 'organisations.departement',
      timeZone: 'organisations.timeZone',
      smsSender: 'organisations.smsSender',
    };
    const name = field.split(/[.[]/)[0] ?? '';
    const key = keys[name];
    const control = this.form.get(name);
    return key && control ? { control, label: this.i18n.t(key) } : undefined;
  }
}
