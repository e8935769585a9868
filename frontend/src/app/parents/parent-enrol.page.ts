import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../core/api-error';
import { NoticeService } from '../core/notice.service';
import { FormatService } from '../i18n/format.service';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import {
  applyApiErrors,
  applyHouseholdErrors,
  createEnrolmentForm,
  createOtherParentForm,
  type EnrolmentForm,
  dayIn,
  duplicateParentId,
  fieldErrorText,
  toEnrolRequest,
  toOtherParentRequest,
} from './enrolment-form';
import { ParentIdentityFieldset } from './parent-identity-fieldset.component';
import { ParentsApi } from './parents-api';

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
    ParentIdentityFieldset,
    TranslatePipe,
  ],
  templateUrl: './parent-enrol.page.html',
  styleUrls: ['./enrol-fieldset.css', './parent-enrol.page.css'],
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
  protected readonly busy = signal(false);
  protected readonly formErrors = signal<string[]>([]);
  protected readonly duplicateId = signal<string | null>(null);
  /** Enrol the other parent of the birth too (household), each with their own phone and consent. */
  protected readonly withOther = signal(false);
  protected readonly other = createOtherParentForm(this.i18n.language());

  protected fieldError(name: keyof EnrolmentForm['controls']): string | null {
    return fieldErrorText(this.form.controls[name], this.i18n.t);
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
