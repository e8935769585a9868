import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { PARENT_ROLES, SUPPORTED_EPDS_LANGUAGES, getEpdsUiText } from '@lien/shared';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { LABELS } from '../ui/labels';
import {
  CONSENT_TEXT_VERSION,
  NAME_MAX_LENGTH,
  fieldErrorText,
  type ParentIdentityControls,
} from './enrolment-form';
import { checkFrenchMobile } from './phone';

/**
 * One parent's own fields, the same for the first parent and the other parent of the birth: name, mobile,
 * role, language and consent. Bound control by control (`[formControl]`), so that it works on the first
 * parent's whole enrolment form as on the other parent's group. Test ids are `<prefix>-first-name`…
 */
@Component({
  selector: 'lien-parent-identity-fieldset',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslatePipe,
  ],
  templateUrl: './parent-identity-fieldset.component.html',
  styleUrls: ['./enrol-fieldset.css', './parent-identity-fieldset.component.css'],
})
export class ParentIdentityFieldset {
  /** A form group holding at least the identity controls (the first parent's has the birth too). */
  readonly group = input.required<{ controls: ParentIdentityControls }>();
  readonly legend = input.required<string>();
  readonly intro = input('');
  /** Prefix of ids and test ids: "enrol" for the first parent, "other" for the other parent. */
  readonly prefix = input.required<string>();
  readonly fieldsetTestId = input<string | null>(null);
  /** Shows the consent text (once per page); every consent checkbox is described by it. */
  readonly showConsentText = input(false);
  readonly consentTextId = input('consent-text');

  private readonly i18n = inject(TranslationService);
  protected readonly roles = PARENT_ROLES;
  protected readonly languages = SUPPORTED_EPDS_LANGUAGES;
  protected readonly labels = LABELS;
  protected readonly nameMax = NAME_MAX_LENGTH;
  /** First and last name: the same field but for the label, the control and the test id. */
  protected readonly nameFields = [
    { control: 'firstName', label: 'enrol.firstName', testIdSuffix: '-first-name' },
    { control: 'lastName', label: 'enrol.lastName', testIdSuffix: '-last-name' },
  ] as const;
  protected readonly consentVersion = CONSENT_TEXT_VERSION;
  protected readonly controls = computed(() => this.group().controls);

  /** The phone as it will be recorded, under the field, as the professional types. */
  protected phoneHint(): string {
    const result = checkFrenchMobile(this.controls().phone.value);
    return result.ok
      ? this.i18n.t('enrol.phoneNormalised', { phone: result.e164 })
      : this.i18n.t('enrol.phoneHint');
  }

  protected languageName(language: (typeof SUPPORTED_EPDS_LANGUAGES)[number]): string {
    return getEpdsUiText(language).languageName;
  }

  protected fieldError(name: keyof ParentIdentityControls): string | null {
    return fieldErrorText(this.controls()[name], this.i18n.t);
  }
}
