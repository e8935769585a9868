import { ChangeDetectionStrategy, Component, ElementRef, input, viewChild } from '@angular/core';
import { ReactiveFormsModule, type FormControl } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * The authenticator's one-time code of a sign-in (password or OpenID Connect): a numeric keyboard on a phone and
 * the browser's one-time-code autofill. Its host adds no box, so the field sits in the page's form as its own.
 */
@Component({
  selector: 'lien-totp-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  template: `
    <mat-form-field>
      <mat-label>{{ 'signIn.totp' | t }}</mat-label>
      <input
        #input
        matInput
        [formControl]="control()"
        inputmode="numeric"
        autocomplete="one-time-code"
        [maxlength]="maxlength()"
        [required]="required()"
        [attr.data-testid]="testId()"
      />
      <mat-hint>{{ 'signIn.totpHint' | t }}</mat-hint>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class TotpField {
  readonly control = input.required<FormControl<string>>();
  readonly testId = input.required<string>();
  /** The longest code the page takes (an authenticator's 6 digits, or 8). */
  readonly maxlength = input.required<number>();
  readonly required = input(false);

  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');

  focus(): void {
    this.input().nativeElement.focus();
  }
}
