import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  Injector,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, FormGroupDirective, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import type {
  ApiError,
  CreateScreeningSourceRequest,
  ReportCell,
  ReportCellKind,
  ScreeningSourceView,
} from '@lien/shared';
import { apiErrorText } from '../core/api-error';
import { allowed } from '../core/auth/auth.service';
import { fileSaver } from '../core/save-file';
import { FormatService } from '../i18n/format.service';
import type { TranslationKey } from '../i18n/fr';
import { FormFeedback } from '../ui/form-feedback.component';
import { TranslationService } from '../i18n/translation.service';
import { renderCell } from '../reports/report-cells';
import { clearForm, serverErrorSummary } from '../ui/form-errors';
import { bindFields, field } from '../ui/form-fields';
import { FormSubmission } from '../ui/form-submission';
import type { ItemActionKey } from '../ui/item-action.component';
import { required } from '../ui/validators';
import { SourcesApi } from './sources-api';
import { ADMIN_FORM_PAGE } from '../ui/admin-form-page';

const FIELDS = ['name', 'partner', 'code'] as const;
type Field = (typeof FIELDS)[number];

const FIELD_LABELS: Record<Field, TranslationKey> = {
  name: 'sources.name',
  partner: 'sources.partner',
  code: 'sources.code',
};

const SERVER_KEYS: Record<Field, TranslationKey> = {
  name: 'sources.errors.name',
  partner: 'sources.errors.partner',
  code: 'sources.errors.code',
};

/** A button of a source's card: its text (and label) key, its test id and what it does. */
interface SourceAction {
  action: ItemActionKey;
  testId: string;
  run: (source: ScreeningSourceView) => Promise<void>;
}

/** The API's rule for a code: lower-case letters, digits and dashes, 3 to 40, no dash at either end. */
const CODE = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

export function sourceRequest(value: {
  name: string;
  partner: string;
  code: string;
}): CreateScreeningSourceRequest {
  const partner = value.partner.trim();
  const code = value.code.trim();
  return { name: value.name.trim(), ...(partner ? { partner } : {}), ...(code ? { code } : {}) };
}

/**
 * Sources of self-screenings (a partner's site, a leaflet): org admins create one, download its QR code and
 * copy its widget snippet; each shows its screenings, positive rate and contact requests (small counts hidden
 * as in the reports).
 */
@Component({
  selector: 'lien-sources-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ADMIN_FORM_PAGE, MatFormFieldModule, MatInputModule],
  templateUrl: './sources.page.html',
  styleUrls: ['../ui/admin-forms.css', './sources.page.css'],
})
export class SourcesPage {
  private readonly api = inject(SourcesApi);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  private readonly document = inject(DOCUMENT);
  private readonly saveFile = fileSaver();
  private readonly injector = inject(Injector);
  private readonly feedback = viewChild(FormFeedback);
  private readonly formRef = viewChild<FormGroupDirective>('formRef');

  protected readonly canWrite = allowed('organisation.settings.write');
  protected readonly flow = new FormSubmission(this.i18n.t, this.feedback);
  /** The widget snippet last fetched, by source id (shown so it can also be selected by hand). */
  protected readonly snippets = signal<Record<string, string>>({});
  /** The source whose snippet was just copied ("copied" notice beside its button). */
  protected readonly copied = signal<string | null>(null);

  /** Each card's buttons, in their order: the two QR code files, then the widget snippet. */
  protected readonly cardActions: readonly SourceAction[] = [
    { action: 'sources.qrSvg', testId: 'source-qr-svg', run: (source) => this.download(source, 'svg') },
    { action: 'sources.qrPng', testId: 'source-qr-png', run: (source) => this.download(source, 'png') },
    { action: 'sources.copyWidget', testId: 'source-copy-widget', run: (source) => this.copyWidget(source) },
  ];

  protected readonly sources = rxResource({ stream: () => this.api.list() });
  protected readonly sorted = computed(() =>
    [...(this.sources.value() ?? [])].sort((a, b) => a.source.name.localeCompare(b.source.name, 'fr')),
  );

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [required, Validators.minLength(2), Validators.maxLength(120)],
    }),
    partner: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(120)] }),
    code: new FormControl('', { nonNullable: true, validators: [Validators.pattern(CODE)] }),
  });
  protected readonly fields = bindFields<Field>(
    {
      name: field('sources.name', 'source-name', {
        hint: 'sources.nameHint',
        required: true,
        maxlength: 120,
      }),
      partner: field('sources.partner', 'source-partner', { hint: 'sources.partnerHint', maxlength: 120 }),
      code: field('sources.code', 'source-code', { hint: 'sources.codeHint', maxlength: 40 }),
    },
    this.form.controls,
    (name) => this.fieldError(name),
  );

  protected cell(cell: ReportCell, kind: ReportCellKind): string {
    return renderCell(cell, kind, {
      number: (value) => this.formatter.format(value, 'number'),
      percent: (value) => this.formatter.format(value, 'percent'),
      minutes: (value) => this.formatter.format(value, 'number'),
    });
  }

  protected fieldError(field: Field): string {
    const errors = this.form.controls[field].errors;
    if (!errors) return '';
    if ('required' in errors) return this.i18n.t('enrol.errors.required');
    if ('taken' in errors) return this.i18n.t('apiError.code.source_code_taken');
    return this.i18n.t(SERVER_KEYS[field]);
  }

  protected create(): Promise<void> {
    return this.flow.submit(
      this.form,
      async () => {
        const created = await firstValueFrom(this.api.create(sourceRequest(this.form.getRawValue())));
        this.flow.message.set(this.i18n.t('sources.created', { name: created.name, code: created.code }));
        clearForm(this.form, this.formRef());
        this.sources.reload();
      },
      (error) => this.showError(error),
    );
  }

  /** Fetches the QR code with the session's token, then hands it to the browser as a file. */
  protected async download(source: ScreeningSourceView, format: 'svg' | 'png'): Promise<void> {
    this.flow.error.set(null);
    try {
      const blob = await firstValueFrom(this.api.qrCode(source.id, format));
      this.saveFile(blob, `qr-${source.code}.${format}`);
    } catch (caught) {
      this.flow.failWith(caught);
    }
  }

  /** Copies the snippet to the clipboard and says so; the snippet stays shown to select by hand if copying fails. */
  protected async copyWidget(source: ScreeningSourceView): Promise<void> {
    this.flow.error.set(null);
    this.copied.set(null);
    try {
      const snippet =
        this.snippets()[source.id] ?? (await firstValueFrom(this.api.widget(source.id))).snippet;
      this.snippets.update((all) => ({ ...all, [source.id]: snippet }));
      try {
        await this.document.defaultView?.navigator.clipboard.writeText(snippet);
        this.copied.set(source.id);
      } catch {
        this.flow.fail(this.i18n.t('sources.copyFailed'));
      }
    } catch (caught) {
      this.flow.failWith(caught);
    }
  }

  private showError(error: ApiError): void {
    if (error.code === 'source_code_taken') {
      const code = this.form.controls.code;
      code.setErrors({ taken: true });
      code.markAsTouched();
      this.flow.fail(apiErrorText(error, this.i18n.t));
      return;
    }
    this.flow.fail(
      serverErrorSummary(
        error,
        (field) =>
          (FIELDS as readonly string[]).includes(field)
            ? {
                control: this.form.controls[field as Field],
                label: this.i18n.t(FIELD_LABELS[field as Field]),
              }
            : undefined,
        this.i18n.t,
      ),
    );
  }
}
