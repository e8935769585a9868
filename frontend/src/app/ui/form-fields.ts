import {
  ChangeDetectionStrategy,
  ChangeDetectorRef,
  Component,
  ElementRef,
  effect,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { ReactiveFormsModule, type AbstractControl, type FormControl } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * The field is OnPush: a change of its control made from outside (the page's submit marking every field
 * touched, a 400 putting a `server` error on it, a reset) redraws it, so the error shows when Material says.
 */
function redrawOnControlEvents(control: () => AbstractControl): void {
  const changes = inject(ChangeDetectorRef);
  effect((onCleanup) => {
    const subscription = control().events.subscribe(() => changes.markForCheck());
    onCleanup(() => subscription.unsubscribe());
  });
}

/**
 * What a form shows of a field and the input's own limits: its label, hint and test id, whether it is required,
 * the longest text, the bounds of a number; `multiple` for a select (fixed for the field's life, Material's rule).
 */
export interface FieldSpec {
  label: TranslationKey;
  /** Empty: none. */
  testId: string;
  hint?: TranslationKey;
  required?: boolean;
  type?: 'text' | 'tel' | 'email' | 'number' | 'password';
  /** What the browser may fill in (`username`, `current-password`); none by default. */
  autocomplete?: string;
  maxlength?: number;
  inputmode?: 'numeric' | 'tel' | 'email';
  min?: number;
  max?: number;
  multiple?: boolean;
}

/** A field's spec on one line: `field('sources.name', 'source-name', { required: true })`. */
export function field(
  label: TranslationKey,
  testId: string,
  rest: Omit<FieldSpec, 'label' | 'testId'> = {},
): FieldSpec {
  return { label, testId, ...rest };
}

/**
 * A console form field: a Material form field with its label, an optional hint and the page's error text (shown
 * once the control is invalid and touched, announced through the control's description as Material does). The
 * page says what the error is (`fieldError(…)`), the field only where it goes. With `options`, a select; else an
 * input: `type: 'number'` gives a number (Angular's number accessor), the other types a string.
 */
@Component({
  selector: 'lien-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe],
  template: `
    <mat-form-field>
      <mat-label>{{ field().label | t }}</mat-label>
      @if (options(); as choices) {
        <mat-select
          [formControl]="control()"
          [required]="field().required ?? false"
          [multiple]="field().multiple ?? false"
          [attr.data-testid]="field().testId || null"
        >
          @for (option of choices; track option.value) {
            <mat-option [value]="option.value">{{ option.label }}</mat-option>
          }
        </mat-select>
      } @else if (field().type === 'number') {
        <input
          #input
          matInput
          type="number"
          [formControl]="control()"
          [required]="field().required ?? false"
          [min]="field().min ?? null"
          [max]="field().max ?? null"
          inputmode="numeric"
          [attr.data-testid]="field().testId || null"
        />
      } @else {
        <input
          #input
          matInput
          [type]="field().type ?? 'text'"
          [formControl]="control()"
          [required]="field().required ?? false"
          [maxlength]="field().maxlength ?? null"
          [attr.autocomplete]="field().autocomplete ?? 'off'"
          [attr.inputmode]="field().inputmode"
          [attr.data-testid]="field().testId || null"
        />
      }
      @if (field().hint; as key) {
        <mat-hint>{{ key | t }}</mat-hint>
      }
      @if (error(); as text) {
        <mat-error>{{ text }}</mat-error>
      }
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      width: 100%;
    }
  `,
})
export class FormField {
  readonly control = input.required<FormControl<unknown>>();
  readonly field = input.required<FieldSpec>();
  /** The error's text; empty while the control has none. */
  readonly error = input('');
  /** The choices of a select (already translated); none for an input. */
  readonly options = input<readonly SelectOption[] | null>(null);

  private readonly input = viewChild<ElementRef<HTMLInputElement>>('input');

  constructor() {
    redrawOnControlEvents(this.control);
  }

  focus(): void {
    this.input()?.nativeElement.focus();
  }
}

/** One choice of a select field: its value and the text shown. */
export interface SelectOption<T = unknown> {
  value: T;
  label: string;
}
