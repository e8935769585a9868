import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { PARENT_ROLES, SUPPORTED_EPDS_LANGUAGES, getEpdsUiText } from '@lien/shared';
import { toApiError } from '../core/api-error';
import { NoticeService } from '../core/notice.service';
import { FormatService } from '../i18n/format.service';
import type { TranslationKey } from '../i18n/fr';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { parentRoleKey } from '../ui/labels';
import {
  CONSENT_TEXT_VERSION,
  NAME_MAX_LENGTH,
  applyApiErrors,
  applyHouseholdErrors,
  createEnrolmentForm,
  createOtherParentForm,
  type EnrolmentForm,
  type OtherParentForm,
  dayIn,
  duplicateParentId,
  toEnrolRequest,
  toOtherParentRequest,
} from './enrolment-form';
import { checkFrenchMobile } from './phone';
import { ParentsApi } from './parents-api';

/** The first error of a control, as a message key (the order is the order of importance). */
const ERROR_KEYS: [string, TranslationKey][] = [
  ['required', 'enrol.errors.required'],
  ['consent', 'enrol.errors.consent'],
  ['maxlength', 'enrol.errors.tooLong'],
  ['phone', 'enrol.errors.phone'],
  ['notMobile', 'enrol.errors.notMobile'],
  ['future', 'enrol.errors.future'],
  ['tooOld', 'enrol.errors.tooOld'],
  ['termTooEarly', 'enrol.errors.termTooEarly'],
  ['termTooLate', 'enrol.errors.termTooLate'],
];

export function errorKey(errors: Record<string, unknown> | null): TranslationKey | null {
  if (!errors) return null;
  for (const [name, key] of ERROR_KEYS) if (name in errors) return key;
  return 'server' in errors ? 'enrol.errors.server' : null;
}

@Component({
  selector: 'lien-parent-enrol-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LienDateField,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslatePipe,
  ],
  template: `
    <a routerLink="/parents" class="back-link">{{ 'enrol.back' | t }}</a>
    <h1>{{ 'enrol.title' | t }}</h1>
    <p class="muted">{{ 'enrol.intro' | t }}</p>

    <div
      #summary
      tabindex="-1"
      class="form-summary"
      [class.shown]="duplicateId() || formErrors().length"
      role="alert"
      data-testid="enrol-error"
    >
      @if (duplicateId(); as existing) {
        <p>
          {{ 'enrol.duplicate' | t }}
          <a [routerLink]="['/parents', existing]" data-testid="enrol-duplicate-link">{{
            'enrol.duplicateLink' | t
          }}</a>
        </p>
      }
      @if (formErrors().length) {
        <p>{{ 'enrol.fixErrors' | t }}</p>
        <ul>
          @for (message of formErrors(); track $index) {
            <li>{{ message }}</li>
          }
        </ul>
      }
    </div>

    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="enrol-form">
      <fieldset>
        <legend>{{ 'enrol.identity' | t }}</legend>
        <div class="form-grid">
          <mat-form-field>
            <mat-label>{{ 'enrol.firstName' | t }}</mat-label>
            <input
              matInput
              formControlName="firstName"
              autocomplete="off"
              required
              [maxlength]="nameMax"
              data-testid="enrol-first-name"
            />
            @if (message('firstName'); as key) {
              <mat-error>{{ key | t: { message: serverMessage('firstName') } }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'enrol.lastName' | t }}</mat-label>
            <input
              matInput
              formControlName="lastName"
              autocomplete="off"
              required
              [maxlength]="nameMax"
              data-testid="enrol-last-name"
            />
            @if (message('lastName'); as key) {
              <mat-error>{{ key | t: { message: serverMessage('lastName') } }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'enrol.phone' | t }}</mat-label>
            <input
              matInput
              formControlName="phone"
              type="tel"
              inputmode="tel"
              autocomplete="off"
              required
              data-testid="enrol-phone"
            />
            <mat-hint>{{ phoneHint() }}</mat-hint>
            @if (message('phone'); as key) {
              <mat-error>{{ key | t: { message: serverMessage('phone') } }}</mat-error>
            }
          </mat-form-field>
        </div>
      </fieldset>

      <fieldset>
        <legend>{{ 'enrol.roleLegend' | t }}</legend>
        <mat-radio-group
          formControlName="role"
          class="radio-row"
          [attr.aria-label]="'enrol.roleLegend' | t"
          data-testid="enrol-role"
        >
          @for (role of roles; track role) {
            <mat-radio-button [value]="role" [attr.data-testid]="'enrol-role-' + role">{{
              parentRoleKey(role) | t
            }}</mat-radio-button>
          }
        </mat-radio-group>
        @if (message('role'); as key) {
          <p class="error-text field-error">{{ key | t: { message: serverMessage('role') } }}</p>
        }
        <mat-form-field class="language">
          <mat-label>{{ 'enrol.language' | t }}</mat-label>
          <mat-select formControlName="language" data-testid="enrol-language">
            @for (language of languages; track language) {
              <mat-option [value]="language" [attr.lang]="language">{{ languageName(language) }}</mat-option>
            }
          </mat-select>
          <mat-hint>{{ 'enrol.languageHint' | t }}</mat-hint>
        </mat-form-field>
      </fieldset>

      <fieldset>
        <legend>{{ 'enrol.dateLegend' | t }}</legend>
        <mat-radio-group
          formControlName="dateKind"
          class="radio-row"
          [attr.aria-label]="'enrol.dateLegend' | t"
          data-testid="enrol-date-kind"
        >
          <mat-radio-button value="birth" data-testid="enrol-date-kind-birth">{{
            'enrol.born' | t
          }}</mat-radio-button>
          <mat-radio-button value="term" data-testid="enrol-date-kind-term">{{
            'enrol.antenatal' | t
          }}</mat-radio-button>
        </mat-radio-group>
        @if (form.controls.dateKind.value === 'birth') {
          <lien-date-field
            formControlName="birthDate"
            [label]="'enrol.birthDate' | t"
            [required]="true"
            [max]="today()"
            [error]="
              message('birthDate')
                ? (message('birthDate')! | t: { message: serverMessage('birthDate') })
                : null
            "
            testId="enrol-birth-date"
          />
        } @else {
          <lien-date-field
            formControlName="expectedTermDate"
            [label]="'enrol.expectedTerm' | t"
            [required]="true"
            [hint]="'enrol.expectedTermHint' | t"
            [error]="
              message('expectedTermDate')
                ? (message('expectedTermDate')! | t: { message: serverMessage('expectedTermDate') })
                : null
            "
            testId="enrol-expected-term"
          />
        }
      </fieldset>

      <fieldset>
        <legend>{{ 'enrol.consentLegend' | t }}</legend>
        <div class="consent-text" id="consent-text" data-testid="consent-text">
          <p>{{ 'consent.text' | t }}</p>
          <p class="muted">{{ 'enrol.consentVersion' | t: { version: consentVersion } }}</p>
        </div>
        <mat-checkbox formControlName="consent" aria-describedby="consent-text" data-testid="enrol-consent">
          {{ 'enrol.consentCheckbox' | t }}
        </mat-checkbox>
        @if (message('consent'); as key) {
          <p class="error-text field-error">{{ key | t: { message: serverMessage('consent') } }}</p>
        }
      </fieldset>

      <mat-checkbox
        [checked]="withOther()"
        (change)="withOther.set($event.checked)"
        data-testid="enrol-with-other"
        >{{ 'enrol.withOther' | t }}</mat-checkbox
      >
      @if (withOther()) {
        <fieldset [formGroup]="other" data-testid="enrol-other">
          <legend>{{ 'enrol.otherLegend' | t }}</legend>
          <p class="muted">{{ 'enrol.otherIntro' | t }}</p>
          <div class="form-grid">
            <mat-form-field>
              <mat-label>{{ 'enrol.firstName' | t }}</mat-label>
              <input
                matInput
                formControlName="firstName"
                autocomplete="off"
                required
                [maxlength]="nameMax"
                data-testid="other-first-name"
              />
              @if (otherMessage('firstName'); as key) {
                <mat-error>{{ key | t: { message: otherServerMessage('firstName') } }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'enrol.lastName' | t }}</mat-label>
              <input
                matInput
                formControlName="lastName"
                autocomplete="off"
                required
                [maxlength]="nameMax"
                data-testid="other-last-name"
              />
              @if (otherMessage('lastName'); as key) {
                <mat-error>{{ key | t: { message: otherServerMessage('lastName') } }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'enrol.phone' | t }}</mat-label>
              <input
                matInput
                formControlName="phone"
                type="tel"
                inputmode="tel"
                autocomplete="off"
                required
                data-testid="other-phone"
              />
              @if (otherMessage('phone'); as key) {
                <mat-error>{{ key | t: { message: otherServerMessage('phone') } }}</mat-error>
              }
            </mat-form-field>
          </div>
          <mat-radio-group
            formControlName="role"
            class="radio-row"
            [attr.aria-label]="'enrol.roleLegend' | t"
            data-testid="other-role"
          >
            @for (role of roles; track role) {
              <mat-radio-button [value]="role" [attr.data-testid]="'other-role-' + role">{{
                parentRoleKey(role) | t
              }}</mat-radio-button>
            }
          </mat-radio-group>
          <mat-form-field class="language">
            <mat-label>{{ 'enrol.language' | t }}</mat-label>
            <mat-select formControlName="language" data-testid="other-language">
              @for (language of languages; track language) {
                <mat-option [value]="language" [attr.lang]="language">{{
                  languageName(language)
                }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-checkbox formControlName="consent" aria-describedby="consent-text" data-testid="other-consent">
            {{ 'enrol.consentCheckbox' | t }}
          </mat-checkbox>
          @if (otherMessage('consent'); as key) {
            <p class="error-text field-error">{{ key | t: { message: otherServerMessage('consent') } }}</p>
          }
        </fieldset>
      }

      <div class="actions-row">
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="enrol-submit">
          {{ 'enrol.submit' | t }}
        </button>
        <a mat-button routerLink="/parents">{{ 'common.cancel' | t }}</a>
      </div>
    </form>
  `,
  styles: `
    .back-link {
      display: inline-block;
      margin-bottom: 8px;
    }
    form {
      max-width: 860px;
    }
    fieldset {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      padding: 12px 16px 16px;
      margin: 0 0 16px;
    }
    legend {
      font: var(--mat-sys-title-small);
      padding: 0 4px;
    }
    .radio-row {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 24px;
      margin-bottom: 12px;
    }
    .language {
      margin-top: 4px;
      min-width: 240px;
    }
    .consent-text {
      background: var(--mat-sys-surface-container);
      border-radius: 8px;
      padding: 4px 12px;
      margin-bottom: 8px;
    }
    .field-error {
      margin: 0 0 8px;
      font-size: 0.875rem;
    }
    .form-summary.shown {
      border: 2px solid var(--mat-sys-error);
      border-radius: 8px;
      padding: 4px 16px;
      margin-bottom: 16px;
    }
  `,
})
export class ParentEnrolPage {
  private readonly api = inject(ParentsApi);
  private readonly router = inject(Router);
  private readonly notices = inject(NoticeService);
  private readonly formatter = inject(FormatService);
  private readonly i18n = inject(TranslationService);
  private readonly summary = viewChild.required<ElementRef<HTMLElement>>('summary');

  protected readonly today = (): string => dayIn(this.formatter.timeZone(), new Date());
  protected readonly form = createEnrolmentForm(this.today, this.i18n.language());
  protected readonly roles = PARENT_ROLES;
  protected readonly languages = SUPPORTED_EPDS_LANGUAGES;
  protected readonly parentRoleKey = parentRoleKey;
  protected readonly nameMax = NAME_MAX_LENGTH;
  protected readonly consentVersion = CONSENT_TEXT_VERSION;
  protected readonly busy = signal(false);
  protected readonly formErrors = signal<string[]>([]);
  protected readonly duplicateId = signal<string | null>(null);
  /** Enrol the other parent of the birth too (household), each with their own phone and consent. */
  protected readonly withOther = signal(false);
  protected readonly other = createOtherParentForm(this.i18n.language());

  protected languageName(language: (typeof SUPPORTED_EPDS_LANGUAGES)[number]): string {
    return getEpdsUiText(language).languageName;
  }

  protected phoneHint(): string {
    const result = checkFrenchMobile(this.form.controls.phone.value);
    return result.ok
      ? this.i18n.t('enrol.phoneNormalised', { phone: result.e164 })
      : this.i18n.t('enrol.phoneHint');
  }

  protected message(name: keyof EnrolmentForm['controls']): TranslationKey | null {
    const control = this.form.controls[name];
    return control.touched || control.dirty ? errorKey(control.errors) : null;
  }

  protected otherMessage(name: keyof OtherParentForm['controls']): TranslationKey | null {
    const control = this.other.controls[name];
    return control.touched || control.dirty ? errorKey(control.errors) : null;
  }

  protected otherServerMessage(name: keyof OtherParentForm['controls']): string {
    const server: unknown = this.other.controls[name].errors?.['server'];
    return typeof server === 'string' ? server : '';
  }

  protected serverMessage(name: keyof EnrolmentForm['controls']): string {
    const server: unknown = this.form.controls[name].errors?.['server'];
    return typeof server === 'string' ? server : '';
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    this.duplicateId.set(null);
    this.formErrors.set([]);
    this.form.updateValueAndValidity();
    const withOther = this.withOther();
    if (withOther) this.other.updateValueAndValidity();
    if (this.form.invalid || (withOther && this.other.invalid)) {
      this.form.markAllAsTouched();
      if (withOther) this.other.markAllAsTouched();
      this.formErrors.set([this.i18n.t('enrol.errors.checkFields')]);
      this.focusSummary();
      return;
    }
    this.busy.set(true);
    try {
      const request = toEnrolRequest(this.form);
      if (withOther) {
        const household = await firstValueFrom(
          this.api.enrolHousehold({ parents: [request, toOtherParentRequest(request, this.other)] }),
        );
        this.notices.show('enrol.doneHousehold', 'info');
        await this.router.navigate(['/parents', household.parents[0]!.id]);
        return;
      }
      const parent = await firstValueFrom(this.api.enrol(request));
      this.notices.show('enrol.done', 'info');
      await this.router.navigate(['/parents', parent.id]);
    } catch (error) {
      const apiError = toApiError(error);
      const duplicate = duplicateParentId(apiError);
      if (apiError.statusCode === 409) {
        this.duplicateId.set(duplicate);
        if (!duplicate) this.formErrors.set([this.i18n.t('enrol.duplicateUnknown')]);
      } else if (apiError.statusCode === 400) {
        this.formErrors.set(
          withOther
            ? applyHouseholdErrors(this.form, this.other, apiError)
            : applyApiErrors(this.form, apiError),
        );
        if (this.formErrors().length === 0) this.formErrors.set([this.i18n.t('enrol.errors.checkFields')]);
      } else {
        this.formErrors.set([this.i18n.t('enrol.failed')]);
      }
      this.focusSummary();
    } finally {
      this.busy.set(false);
    }
  }

  private focusSummary(): void {
    setTimeout(() => this.summary().nativeElement.focus());
  }
}
