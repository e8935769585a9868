import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  effect,
  signal,
  inject,
  viewChild,
} from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, FormGroupDirective, Validators } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { firstValueFrom } from 'rxjs';
import {
  REFERRAL_RESOURCE_FIELDS,
  REFERRAL_RESOURCE_KINDS,
  type ApiError,
  type ReferralResourceField,
  type ReferralResourceKind,
} from '@lien/shared';
import { AuthService, allowed } from '../core/auth/auth.service';
import { FormFeedback } from '../ui/form-feedback.component';
import { TranslationService } from '../i18n/translation.service';
import { displayPhone } from '../parents/phone-format';
import { confirmDestructive } from '../ui/confirm.dialog';
import { clearForm, serverErrorSummary } from '../ui/form-errors';
import { FormField, bindFields, field } from '../ui/form-fields';
import { FormSubmission } from '../ui/form-submission';
import { required } from '../ui/validators';
import {
  LANGUAGE_CODES,
  REFERRAL_ERROR_KEYS,
  REFERRAL_FIELD_LABELS,
  REFERRAL_KIND_KEYS,
  plain,
  referralRequest,
} from './referral-form';
import { ReferralsApi, type ReferralResource } from './referrals-api';
import { ADMIN_FORM_PAGE } from '../ui/admin-form-page';

/**
 * The referral directory: searched by kind and by territory (a commune or a postal code of the address), kept by
 * those holding `referrals.manage` (the API's rule), read by the others. An org admin keeps their organisation's;
 * a coordinator keeps every organisation of their territory, so the page then names each entry's organisation,
 * filters by it and asks which organisation a new entry goes to.
 */
@Component({
  selector: 'lien-referrals-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ADMIN_FORM_PAGE, MatCheckboxModule],
  templateUrl: './referrals.page.html',
  styleUrls: ['../ui/admin-forms.css'],
})
export class ReferralsPage {
  private readonly api = inject(ReferralsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly confirm = confirmDestructive();
  private readonly injector = inject(Injector);
  private readonly nameInput = viewChild<FormField>('nameInput');
  private readonly feedback = viewChild(FormFeedback);
  private readonly formRef = viewChild<FormGroupDirective>('formRef');

  protected readonly kinds = REFERRAL_RESOURCE_KINDS;
  protected readonly kindKeys = REFERRAL_KIND_KEYS;
  protected readonly canWrite = allowed('referrals.manage');
  /** A coordinator's view: the directories of several organisations. */
  protected readonly territory = computed(() => this.auth.me()?.role === 'coordinator');
  protected readonly flow = new FormSubmission(this.i18n.t, this.feedback);
  protected readonly editing = signal<ReferralResource | null>(null);

  protected readonly resources = rxResource({ stream: () => this.api.list() });
  /** The territory's organisations, by name (coordinators only). */
  protected readonly organisations = rxResource({
    params: () => (this.territory() ? true : undefined),
    stream: () => this.api.organisations(),
  });
  protected readonly organisationOptions = computed(() =>
    [...(this.organisations.value() ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'fr')),
  );
  protected readonly organisationChoices = computed(() =>
    this.organisationOptions().map((organisation) => ({ value: organisation.id, label: organisation.name })),
  );
  protected readonly kindChoices = computed(() =>
    this.kinds.map((kind) => ({ value: kind, label: this.i18n.t(this.kindKeys[kind]) })),
  );
  protected readonly organisationFilterChoices = computed(() => [
    { value: '', label: this.i18n.t('referrals.allOrganisations') },
    ...this.organisationChoices(),
  ]);
  protected readonly kindFilterChoices = computed(() => [
    { value: '', label: this.i18n.t('referrals.allKinds') },
    ...this.kindChoices(),
  ]);

  protected readonly filters = new FormGroup({
    organisationId: new FormControl('', { nonNullable: true }),
    kind: new FormControl<ReferralResourceKind | ''>('', { nonNullable: true }),
    territory: new FormControl('', { nonNullable: true }),
  });
  private readonly filterValue = toSignal(this.filters.valueChanges, {
    initialValue: this.filters.getRawValue(),
  });
  protected readonly shown = computed(() => {
    const { organisationId, kind, territory } = this.filterValue();
    const place = plain(territory?.trim() ?? '');
    return [...(this.resources.value() ?? [])]
      .filter((resource) => !organisationId || resource.organisationId === organisationId)
      .filter((resource) => !kind || resource.kind === kind)
      .filter((resource) => !place || plain(resource.address ?? '').includes(place))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  });

  protected readonly form = new FormGroup({
    // Required in the coordinator's view only (an org admin's entries go to their organisation).
    organisationId: new FormControl('', { nonNullable: true }),
    name: new FormControl('', { nonNullable: true, validators: [required, Validators.maxLength(200)] }),
    kind: new FormControl<ReferralResourceKind | ''>('', { nonNullable: true, validators: [required] }),
    address: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(300)] }),
    phone: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(32)] }),
    languages: new FormControl('fr', { nonNullable: true, validators: [Validators.pattern(LANGUAGE_CODES)] }),
    acceptsNewPatients: new FormControl(true, { nonNullable: true }),
    usualDelayDays: new FormControl<number | null>(null, {
      validators: [Validators.min(0), Validators.max(365), Validators.pattern(/^\d+$/)],
    }),
  });
  protected readonly fields = bindFields(
    {
      organisationId: field('referrals.organisation', 'referral-organisation', {
        hint: 'referrals.organisationHint',
        required: true,
      }),
      name: field('referrals.name', 'referral-name', { required: true, maxlength: 200 }),
      kind: field('referrals.kindLabel', 'referral-kind', { required: true }),
      address: field('referrals.address', 'referral-address', {
        hint: 'referrals.addressHint',
        maxlength: 300,
      }),
      phone: field('referrals.phone', 'referral-phone', {
        hint: 'referrals.phoneHint',
        type: 'tel',
        maxlength: 32,
      }),
      languages: field('referrals.languages', 'referral-languages', { hint: 'referrals.languagesHint' }),
      usualDelayDays: field('referrals.usualDelayDays', 'referral-delay', {
        hint: 'referrals.usualDelayHint',
        type: 'number',
        min: 0,
        max: 365,
      }),
    },
    this.form.controls,
    (name) => this.fieldError(name),
  );
  protected readonly filterFields = bindFields(
    {
      organisationId: field('referrals.organisation', 'referral-filter-organisation'),
      kind: field('referrals.filterKind', 'referral-filter-kind'),
      territory: field('referrals.filterTerritory', 'referral-filter-territory', {
        hint: 'referrals.filterTerritoryHint',
      }),
    },
    this.filters.controls,
  );

  protected phone(e164: string | null): string {
    return e164 ? displayPhone(e164) : '—';
  }

  protected fieldError(field: ReferralResourceField | 'organisationId'): string {
    const errors = this.form.controls[field].errors;
    if (!errors) return '';
    if ('required' in errors) return this.i18n.t('enrol.errors.required');
    return this.i18n.t(
      field === 'organisationId' ? 'referrals.errors.organisationId' : REFERRAL_ERROR_KEYS[field],
    );
  }

  constructor() {
    // The organisation of an entry never changes: chosen when adding, shown when editing.
    const organisation = this.form.controls.organisationId;
    effect(() => {
      if (this.territory()) organisation.addValidators(required);
      else organisation.removeValidators(required);
      organisation.updateValueAndValidity();
    });
    effect(() => {
      if (this.editing()) organisation.disable();
      else organisation.enable();
    });
  }

  protected edit(resource: ReferralResource): void {
    this.editing.set(resource);
    this.flow.clear();
    this.form.reset({
      organisationId: resource.organisationId,
      name: resource.name,
      kind: resource.kind,
      address: resource.address ?? '',
      phone: resource.phone ? displayPhone(resource.phone) : '',
      languages: resource.languages.join(', '),
      acceptsNewPatients: resource.acceptsNewPatients,
      usualDelayDays: resource.usualDelayDays,
    });
    afterNextRender(() => this.nameInput()?.focus(), { injector: this.injector });
  }

  protected cancelEdit(): void {
    this.editing.set(null);
    clearForm(this.form, this.formRef());
  }

  protected save(): Promise<void> {
    return this.flow.submit(
      this.form,
      async () => {
        const { organisationId, ...fields } = this.form.getRawValue();
        const request = referralRequest(fields);
        const editing = this.editing();
        if (editing) {
          await firstValueFrom(this.api.update(editing.id, request));
          this.flow.message.set(this.i18n.t('referrals.updated', { name: request.name }));
          this.cancelEdit();
        } else {
          await firstValueFrom(this.api.create(this.territory() ? { ...request, organisationId } : request));
          this.flow.message.set(this.i18n.t('referrals.created', { name: request.name }));
          clearForm(this.form, this.formRef());
          // A coordinator often adds several places to one organisation's directory in a row.
          this.form.controls.organisationId.setValue(organisationId);
        }
        this.resources.reload();
      },
      (error) => this.showError(error),
    );
  }

  protected async remove(resource: ReferralResource): Promise<void> {
    if (!(await this.confirm('referrals.remove', { name: resource.name }))) return;
    this.flow.clear();
    try {
      await firstValueFrom(this.api.remove(resource.id));
      if (this.editing()?.id === resource.id) this.cancelEdit();
      this.flow.message.set(this.i18n.t('referrals.removed', { name: resource.name }));
      this.resources.reload();
    } catch (caught) {
      this.flow.failWith(caught);
    }
  }

  /** Each 400 detail on its field, in French; a summary above names the fields as the form does. */
  private showError(error: ApiError): void {
    this.flow.fail(
      serverErrorSummary(
        error,
        (field) => {
          if (field === 'organisationId' && this.territory()) {
            return {
              control: this.form.controls.organisationId,
              label: this.i18n.t('referrals.organisation'),
            };
          }
          if (!(REFERRAL_RESOURCE_FIELDS as readonly string[]).includes(field)) return undefined;
          return {
            control: this.form.controls[field as ReferralResourceField],
            label: this.i18n.t(REFERRAL_FIELD_LABELS[field as ReferralResourceField]),
          };
        },
        this.i18n.t,
      ),
    );
  }
}
