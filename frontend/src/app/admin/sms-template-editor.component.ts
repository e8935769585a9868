import {
  ChangeDetectionStrategy,
  Component,
  computed,
  forwardRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { type ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormatPipe } from '../i18n/format.pipe';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { smsTemplateProblems, type SmsTemplateProblem } from '@lien/shared';
import { analyseTemplate, sampleLink } from './sms-template';

let nextId = 0;

/**
 * An SMS template field with its live GSM-7 / UCS-2 encoding, length and segment count, computed on the
 * message as sent (organisation name and a full-length link in place of the placeholders), and the
 * problems the API would refuse (missing {link}, unknown placeholder, health word).
 */
@Component({
  selector: 'lien-sms-template-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, TranslatePipe, FormatPipe],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => SmsTemplateEditor), multi: true }],
  template: `
    <mat-form-field class="editor">
      <mat-label>{{ label() }}</mat-label>
      <textarea
        matInput
        rows="3"
        [value]="value()"
        [disabled]="disabled()"
        (input)="onInput($event)"
        (blur)="touched()"
        [attr.aria-describedby]="id + '-count ' + id + '-problems'"
        [attr.aria-invalid]="problems().length > 0"
        [attr.data-testid]="testId()"
      ></textarea>
    </mat-form-field>
    <p class="count" [id]="id + '-count'" [attr.data-testid]="testId() + '-count'">
      {{
        'sms.count'
          | t
            : {
                units: (analysis().units | fmt: 'number'),
                encoding: analysis().encoding,
                segments: analysis().segments,
              }
      }}
      @if (analysis().encoding === 'UCS-2') {
        <span class="warn">{{ 'sms.ucs2' | t: { characters: analysis().nonGsmCharacters.join(' ') } }}</span>
      }
    </p>
    <div [id]="id + '-problems'">
      @if (problems().length) {
        <ul class="problems error-text" [attr.data-testid]="testId() + '-problems'">
          @for (problem of problemTexts(); track $index) {
            <li>{{ problem }}</li>
          }
        </ul>
      }
    </div>
    <p class="preview muted">
      <span class="visually-hidden">{{ 'sms.preview' | t }} </span><span
        [attr.data-testid]="testId() + '-preview'"
        >{{ analysis().text }}</span
      >
    </p>
  `,
  styles: `
    :host {
      display: block;
      margin-bottom: 16px;
    }
    .editor {
      width: 100%;
    }
    .count {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    .warn {
      display: block;
      color: var(--lien-high);
      font-weight: 600;
    }
    .problems {
      margin: 4px 0;
    }
    .preview {
      font-size: 0.875rem;
      margin: 4px 0 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `,
})
export class SmsTemplateEditor implements ControlValueAccessor {
  readonly label = input.required<string>();
  readonly organisation = input('');
  /** The organisation's SMS sender: what SMS name it when its name is only health words. */
  readonly sender = input('');
  readonly testId = input('sms-template');

  private readonly i18n = inject(TranslationService);
  protected readonly id = `sms-template-${nextId++}`;
  protected readonly value = signal('');
  protected readonly disabled = signal(false);
  private readonly link = sampleLink(globalThis.location?.origin ?? 'https://lien.example.fr');

  protected readonly analysis = computed(() =>
    analyseTemplate(
      this.value(),
      { name: this.organisation() || 'Organisation', smsSender: this.sender() || 'Lien' },
      this.link,
    ),
  );
  protected readonly problems = computed<SmsTemplateProblem[]>(() => smsTemplateProblems(this.value()));
  protected readonly problemTexts = computed(() =>
    this.problems().map((problem) => {
      switch (problem.kind) {
        case 'missingLink':
          return this.i18n.t('sms.missingLink');
        case 'unknownPlaceholder':
          return this.i18n.t('sms.unknownPlaceholder', { name: `{${problem.name}}` });
        case 'forbiddenWord':
          return this.i18n.t('sms.forbiddenWord', { word: problem.word });
      }
    }),
  );

  private onChange: (value: string) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  writeValue(value: string | null): void {
    this.value.set(value ?? '');
  }

  registerOnChange(fn: (value: string) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }

  protected onInput(event: Event): void {
    const value = (event.target as HTMLTextAreaElement).value;
    this.value.set(value);
    this.onChange(value);
  }

  protected touched(): void {
    this.onTouched();
  }
}
