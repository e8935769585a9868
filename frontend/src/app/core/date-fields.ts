import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Directive,
  Input,
  computed,
  forwardRef,
  inject,
  input,
  output,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  FormControl,
  NG_VALUE_ACCESSOR,
  ReactiveFormsModule,
  type ControlValueAccessor,
} from '@angular/forms';
import type { ErrorStateMatcher } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTimepickerModule } from '@angular/material/timepicker';
import { TranslatePipe } from '../i18n/translate.pipe';
import { DATE_FIELD_PROVIDERS, dateOfHhmm, dateOfIsoDay, hhmm, isoDay } from './dates';

/** Both fields sit inline and fill the width they are given. */
const FIELD_STYLES = `
  :host {
    display: inline-block;
  }
  mat-form-field {
    width: 100%;
  }
`;

/**
 * What the date and time fields share: a Material input on a `Date` control whose value outside is a string
 * ("2026-12-04", "14:30"; '' for none), the page's error message, and the ControlValueAccessor plumbing.
 */
@Directive()
abstract class PickerField implements ControlValueAccessor {
  readonly label = input.required<string>();
  readonly required = input(false);
  readonly testId = input<string | null>(null);
  /** Replaces the format hint (e.g. the default value). */
  readonly hint = input<string | null>(null);
  /** A message from the page (a required field left empty, a value the API refused): shown as the field's error. */
  readonly error = input<string | null>(null);

  protected readonly control = new FormControl<Date | null>(null);
  private readonly destroyRef = inject(DestroyRef);
  /** In error when the page says so, or when what was typed is not a date or time (once touched). */
  protected readonly errorState: ErrorStateMatcher = {
    isErrorState: (control) => Boolean(this.error()) || Boolean(control?.invalid && control.touched),
  };
  protected onTouched: () => void = () => undefined;

  /** The control's date as the field's string value ('' when empty or not valid). */
  protected abstract format(date: Date | null): string;
  /** The field's string value as the control's date (null when empty or not valid). */
  protected abstract parse(value: string | null): Date | null;

  writeValue(value: unknown): void {
    this.control.setValue(this.parse(typeof value === 'string' ? value : null), { emitEvent: false });
  }

  registerOnChange(change: (value: string) => void): void {
    this.control.valueChanges
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((date) => change(this.format(date)));
  }

  registerOnTouched(touched: () => void): void {
    this.onTouched = touched;
  }

  setDisabledState(disabled: boolean): void {
    if (disabled) this.control.disable({ emitEvent: false });
    else this.control.enable({ emitEvent: false });
  }
}

/**
 * The one way to ask for a calendar day: a Material date picker in the console's language (typed day first,
 * "04/12/2026", or picked), whose value is the ISO day "2026-12-04" ('' for none), as a plain date input's was.
 * Works with formControlName/ngModel, or read `.value` through a template reference.
 */
@Component({
  selector: 'lien-date-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatDatepickerModule, ReactiveFormsModule, TranslatePipe],
  providers: [
    ...DATE_FIELD_PROVIDERS,
    { provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => LienDateField), multi: true },
  ],
  template: `
    <mat-form-field>
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        [matDatepicker]="picker"
        [formControl]="control"
        [errorStateMatcher]="errorState"
        [min]="minDate()"
        [max]="maxDate()"
        [required]="required()"
        [attr.data-testid]="testId()"
        autocomplete="off"
        inputmode="numeric"
        (blur)="onTouched()"
      />
      <mat-hint>{{ hint() ?? ('datepicker.format' | t) }}</mat-hint>
      <mat-datepicker-toggle matIconSuffix [for]="picker" />
      <mat-datepicker #picker />
      @if (error(); as message) {
        <mat-error>{{ message }}</mat-error>
      } @else if (control.hasError('matDatepickerParse')) {
        <mat-error>{{ 'datepicker.invalid' | t }}</mat-error>
      } @else if (control.hasError('matDatepickerMax') || control.hasError('matDatepickerMin')) {
        <mat-error>{{ 'datepicker.outOfRange' | t }}</mat-error>
      }
    </mat-form-field>
  `,
  styles: FIELD_STYLES,
})
export class LienDateField extends PickerField {
  /** ISO days ("2026-12-04"). */
  readonly min = input<string | null>(null);
  readonly max = input<string | null>(null);
  /** The chosen day as it changes ('' when empty or not a date), for pages that hold it in a signal. */
  readonly valueChange = output<string>();

  protected readonly minDate = computed(() => dateOfIsoDay(this.min()));
  protected readonly maxDate = computed(() => dateOfIsoDay(this.max()));

  constructor() {
    super();
    this.control.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe((date) => this.valueChange.emit(isoDay(date)));
  }

  /** The chosen day ("2026-12-04"), '' when empty or not a valid date; settable like an input's value. */
  @Input()
  get value(): string {
    return isoDay(this.control.value);
  }
  set value(day: string | null | undefined) {
    this.writeValue(day);
  }

  protected format(date: Date | null): string {
    return isoDay(date);
  }

  protected parse(value: string | null): Date | null {
    return dateOfIsoDay(value);
  }
}

/**
 * The one way to ask for a time of day: a Material time picker on the 24-hour clock (typed "14:30" or "14h30",
 * or picked every half hour), whose value is "14:30" ('' for none), as a plain time input's was.
 */
@Component({
  selector: 'lien-time-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatTimepickerModule, ReactiveFormsModule, TranslatePipe],
  providers: [
    ...DATE_FIELD_PROVIDERS,
    { provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => LienTimeField), multi: true },
  ],
  template: `
    <mat-form-field>
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        [matTimepicker]="picker"
        [formControl]="control"
        [errorStateMatcher]="errorState"
        [required]="required()"
        [attr.data-testid]="testId()"
        autocomplete="off"
        (blur)="onTouched()"
      />
      <mat-hint>{{ hint() ?? ('timepicker.format' | t) }}</mat-hint>
      <mat-timepicker-toggle matIconSuffix [for]="picker" [aria-label]="'timepicker.open' | t" />
      <mat-timepicker #picker [interval]="interval()" [aria-label]="label()" />
      @if (error(); as message) {
        <mat-error>{{ message }}</mat-error>
      } @else if (control.hasError('matTimepickerParse')) {
        <mat-error>{{ 'timepicker.invalid' | t }}</mat-error>
      }
    </mat-form-field>
  `,
  styles: FIELD_STYLES,
})
export class LienTimeField extends PickerField {
  /** Between the picker's options ("30m", "1h"). */
  readonly interval = input<string>('30m');

  /** The chosen time ("14:30"), '' when empty or not a valid time; settable like an input's value. */
  @Input()
  get value(): string {
    return hhmm(this.control.value);
  }
  set value(time: string | null | undefined) {
    this.writeValue(time);
  }

  protected format(date: Date | null): string {
    return hhmm(date);
  }

  protected parse(value: string | null): Date | null {
    return dateOfHhmm(value);
  }
}
