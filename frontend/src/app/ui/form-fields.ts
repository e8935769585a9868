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
  type?: 'text' | 'tel' | 'email' | 'url' | 'number' | 'password';
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

/** A form's field bound once: its control, its spec and its error text (read when the field is drawn). */
export interface BoundField {
  readonly control: FormControl<unknown>;
  readonly spec: FieldSpec;
  readonly error: () => string;
}

/**
 * A page's fields bound to its form's controls and its error texts, so a template names each field once:
 * `<lien-field [of]="fields.phone" />`. The specs say which fields there are; the controls must hold them all.
 */
export function bindFields<K extends string>(
  specs: Record<K, FieldSpec>,
  controls: Record<NoInfer<K>, FormControl<unknown>>,
  error: (name: K) => string = () => '',
): Record<K, BoundField> {
  const names = Object.keys(specs) as K[];
  return Object.fromEntries(
    names.map((name) => [name, { control: controls[name], spec: specs[name], error: () => error(name) }]),
  ) as Record<K, BoundField>;
}

/**
 * The fields of a form array's rows, each row bound once (kept while its group lives), so a template may ask
 * `rowFields(row)` at every change detection without binding again.
 */
export function bindRowFields<
  K extends string,
  R extends { readonly controls: Record<K, FormControl<unknown>> },
>(specs: Record<K, FieldSpec>, error: (row: R, name: K) => string): (row: R) => Record<K, BoundField> {
  const bound = new WeakMap<R, Record<K, BoundField>>();
  return (row) => {
    let fields = bound.get(row);
    if (!fields) {
      fields = bindFields(specs, row.controls, (name) => error(row, name));
      bound.set(row, fields);
    }
    return fields;
  };
}

/**
 * A console form field: a Material form field with its label, an optional hint and the page's error text (shown
 * once the control is invalid and touched, announced through the control's description as Material does). The
 * page says what the error is (`fieldError(…)`), the field only where it goes. With `options`, a select; else an
 * input: `type: 'number'` gives a number (Angular's number accessor), the other types a string. Bound by `[of]`
 * (a field from `bindFields`), required so a field left unbound fails to compile.
 */
@Component({
  selector: 'lien-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, TranslatePipe],
  template: `
    @let spec = of().spec;
    @let control = of().control;
    <mat-form-field>
      <mat-label>{{ spec.label | t }}</mat-label>
      @if (options(); as choices) {
        <mat-select
          [formControl]="control"
          [required]="spec.required ?? false"
          [multiple]="spec.multiple ?? false"
          [attr.data-testid]="spec.testId || null"
        >
          @for (option of choices; track option.value) {
            <mat-option [value]="option.value">{{ option.label }}</mat-option>
          }
        </mat-select>
      } @else if (spec.type === 'number') {
        <input
          #input
          matInput
          type="number"
          [formControl]="control"
          [required]="spec.required ?? false"
          [min]="spec.min ?? null"
          [max]="spec.max ?? null"
          inputmode="numeric"
          [attr.data-testid]="spec.testId || null"
        />
      } @else {
        <input
          #input
          matInput
          [type]="spec.type ?? 'text'"
          [formControl]="control"
          [required]="spec.required ?? false"
          [maxlength]="spec.maxlength ?? null"
          [attr.autocomplete]="spec.autocomplete ?? 'off'"
          [attr.inputmode]="spec.inputmode"
          [attr.data-testid]="spec.testId || null"
        />
      }
      @if (spec.hint; as key) {
        <mat-hint>{{ key | t }}</mat-hint>
      }
      @if (errorText(); as text) {
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
  readonly of = input.required<BoundField>();
  /** The choices of a select (already translated); none for an input. */
  readonly options = input<readonly SelectOption[] | null>(null);

  private readonly input = viewChild<ElementRef<HTMLInputElement>>('input');

  constructor() {
    redrawOnControlEvents(() => this.of().control);
  }

  /** Read at each check: the error depends on the control's state, which no signal tracks. */
  protected errorText(): string {
    return this.of().error();
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
