import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom, of } from 'rxjs';
import {
  ALERT_SEVERITIES,
  PARENT_ROLES,
  type EpdsBand,
  getEpdsUiText,
  isEpdsLanguage,
  type AlertSeverity,
  type OrganisationSettingsResponse,
} from '@lien/shared';
import { apiErrorText, toApiError } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import { LienTimeField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { bandKey, parentRoleKey, severityKey } from '../ui/labels';
import { AdminApi } from './admin-api';
import {
  ANXIETY_SOURCE,
  DEFAULTS,
  THRESHOLD_SOURCES,
  applySettingsErrors,
  createSettingsForm,
  newResourceGroup,
  toSettingsPatch,
  type SettingsForm,
} from './settings-form';
import { SmsTemplateEditor } from './sms-template-editor.component';
import { LienIcon } from '../ui/icon';

@Component({
  selector: 'lien-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LienTimeField,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    LienIcon,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    TranslatePipe,
    SmsTemplateEditor,
  ],
  template: `
    <h2>{{ 'admin.settings' | t }}</h2>
    @if (!organisationId()) {
      <p>{{ 'settings.noOrganisation' | t }}</p>
    }
    @if (settings.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (settings.error()) {
      <p role="alert" class="error-text">{{ 'settings.loadFailed' | t }}</p>
    }
    <div
      #summary
      tabindex="-1"
      role="alert"
      class="form-summary"
      [class.shown]="errors().length"
      data-testid="settings-error"
    >
      @if (errors().length) {
        <p>{{ 'settings.fixErrors' | t }}</p>
        <ul>
          @for (message of errors(); track $index) {
            <li>{{ message }}</li>
          }
        </ul>
      }
    </div>
    <p role="status" class="saved" [class.shown]="saved()" data-testid="settings-status">{{ saved() }}</p>

    @if (form(); as f) {
      <form [formGroup]="f" (ngSubmit)="save(f)" novalidate data-testid="settings-form">
        <fieldset>
          <legend>{{ 'settings.schedule' | t }}</legend>
          <p class="muted">{{ 'settings.scheduleHelp' | t }}</p>
          <div formArrayName="waves">
            @for (wave of f.controls.waves.controls; track $index; let i = $index) {
              <div class="form-grid wave" [formGroupName]="i">
                <mat-form-field>
                  <mat-label>{{ 'settings.waveKey' | t }}</mat-label>
                  <input matInput formControlName="key" />
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.offsetDays' | t }}</mat-label>
                  <input
                    matInput
                    type="number"
                    formControlName="offsetDays"
                    min="1"
                    max="365"
                    [attr.data-testid]="'settings-wave-offset-' + i"
                  />
                  <mat-hint>{{ 'settings.default' | t: { value: defaultWave(i, 'offsetDays') } }}</mat-hint>
                  <mat-error>{{ errorText(wave.controls.offsetDays.errors) }}</mat-error>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.windowStart' | t }}</mat-label>
                  <input matInput type="number" formControlName="windowStartDay" min="0" max="365" />
                  <mat-hint>{{
                    'settings.default' | t: { value: defaultWave(i, 'windowStartDay') }
                  }}</mat-hint>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.windowEnd' | t }}</mat-label>
                  <input matInput type="number" formControlName="windowEndDay" min="1" max="365" />
                  <mat-hint>{{ 'settings.default' | t: { value: defaultWave(i, 'windowEndDay') } }}</mat-hint>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.waveRoles' | t }}</mat-label>
                  <mat-select
                    formControlName="roles"
                    multiple
                    [attr.data-testid]="'settings-wave-roles-' + i"
                  >
                    @for (role of roles; track role) {
                      <mat-option [value]="role">{{ parentRoleKey(role) | t }}</mat-option>
                    }
                  </mat-select>
                  <mat-hint>{{ 'settings.waveRolesHint' | t }}</mat-hint>
                </mat-form-field>
                <mat-checkbox formControlName="noResponseTask">{{
                  'settings.noResponseTask' | t
                }}</mat-checkbox>
                @if (wave.controls.rescreen.value; as rule) {
                  <p class="muted" [attr.data-testid]="'settings-wave-rescreen-' + i">
                    {{
                      'settings.waveRescreen'
                        | t: { days: rule.afterDays, bands: rescreenBands(rule.bands), times: rule.maxTimes }
                    }}
                  </p>
                }
                @if (wave.errors?.['windowStart'] || wave.errors?.['windowEnd']) {
                  <p class="error-text">{{ 'settings.windowError' | t }}</p>
                }
              </div>
            }
          </div>
          <lien-time-field
            formControlName="sendTime"
            [label]="'settings.sendTime' | t"
            [hint]="'settings.default' | t: { value: defaults.sendTime }"
            testId="settings-send-time"
          />
        </fieldset>

        <fieldset formGroupName="quietHours">
          <legend>{{ 'settings.quietHours' | t }}</legend>
          <div class="form-grid">
            <lien-time-field
              formControlName="start"
              [label]="'settings.quietStart' | t"
              [hint]="'settings.default' | t: { value: defaults.quietHours.start }"
              testId="settings-quiet-start"
            />
            <lien-time-field
              formControlName="end"
              [label]="'settings.quietEnd' | t"
              [hint]="'settings.default' | t: { value: defaults.quietHours.end }"
              testId="settings-quiet-end"
            />
            <mat-checkbox formControlName="noSundays">{{ 'settings.noSundays' | t }}</mat-checkbox>
            <mat-checkbox formControlName="noPublicHolidays">{{ 'settings.noHolidays' | t }}</mat-checkbox>
          </div>
          @if (f.controls.quietHours.errors?.['quietOrder']) {
            <p class="error-text">{{ 'settings.quietOrder' | t }}</p>
          }
        </fieldset>

        <fieldset>
          <legend>{{ 'settings.reminders' | t }}</legend>
          <div class="form-grid" formGroupName="reminders">
            <mat-form-field>
              <mat-label>{{ 'settings.reminderCount' | t }}</mat-label>
              <input
                matInput
                type="number"
                formControlName="count"
                min="0"
                max="3"
                data-testid="settings-reminder-count"
              />
              <mat-hint>{{ 'settings.default' | t: { value: defaults.reminders.count } }} (0–3)</mat-hint>
              <mat-error>{{ errorText(f.controls.reminders.controls.count.errors) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'settings.reminderAfter' | t }}</mat-label>
              <input matInput type="number" formControlName="afterHours" min="1" max="720" />
              <mat-hint>{{ 'settings.default' | t: { value: defaults.reminders.afterHours } }}</mat-hint>
            </mat-form-field>
          </div>
          <mat-form-field>
            <mat-label>{{ 'settings.linkExpiry' | t }}</mat-label>
            <input matInput type="number" formControlName="linkExpiryDays" min="1" max="30" />
            <mat-hint>{{ 'settings.default' | t: { value: defaults.linkExpiryDays } }}</mat-hint>
          </mat-form-field>
          @if (f.errors?.['reminderAfterExpiry']) {
            <p class="error-text">{{ 'settings.reminderAfterExpiry' | t }}</p>
          }
        </fieldset>

        <fieldset>
          <legend>{{ 'settings.thresholds' | t }}</legend>
          <p class="muted">{{ 'settings.thresholdsHelp' | t }}</p>
          <div formGroupName="thresholds">
            @for (role of roles; track role) {
              <div class="form-grid" [formGroupName]="role">
                <h3 class="role-title">{{ parentRoleKey(role) | t }}</h3>
                <mat-form-field>
                  <mat-label>{{ 'settings.moderate' | t }}</mat-label>
                  <input
                    matInput
                    type="number"
                    formControlName="moderate"
                    min="0"
                    max="30"
                    [attr.data-testid]="'settings-threshold-' + role + '-moderate'"
                  />
                  <mat-hint>{{
                    'settings.defaultWithSource'
                      | t: { value: defaults.thresholds[role].moderate, source: sources[role].moderate }
                  }}</mat-hint>
                  <mat-error>{{
                    errorText(f.controls.thresholds.controls[role].controls.moderate.errors)
                  }}</mat-error>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.high' | t }}</mat-label>
                  <input
                    matInput
                    type="number"
                    formControlName="high"
                    min="0"
                    max="30"
                    [attr.data-testid]="'settings-threshold-' + role + '-high'"
                  />
                  <mat-hint>{{
                    'settings.defaultWithSource'
                      | t: { value: defaults.thresholds[role].high, source: sources[role].high }
                  }}</mat-hint>
                  <mat-error>{{
                    errorText(f.controls.thresholds.controls[role].controls.high.errors)
                  }}</mat-error>
                </mat-form-field>
                @if (f.controls.thresholds.controls[role].errors?.['bandOrder']) {
                  <p class="error-text">{{ 'settings.bandOrder' | t }}</p>
                }
              </div>
            }
          </div>
          <mat-form-field>
            <mat-label>{{ 'settings.anxiety' | t }}</mat-label>
            <input matInput type="number" formControlName="anxietyThreshold" min="0" max="9" />
            <mat-hint>{{
              'settings.defaultWithSource' | t: { value: defaults.anxietyThreshold, source: anxietySource }
            }}</mat-hint>
          </mat-form-field>
          <mat-checkbox formControlName="showScoreToParent">{{ 'settings.showScore' | t }}</mat-checkbox>
        </fieldset>

        <fieldset formGroupName="deadlines">
          <legend>{{ 'settings.deadlines' | t }}</legend>
          @for (severity of severities; track severity) {
            <div class="form-grid" [formGroupName]="severity">
              <h3 class="role-title">{{ severityKey(severity) | t }}</h3>
              <mat-form-field>
                <mat-label>{{ 'settings.ackHours' | t }}</mat-label>
                <input matInput type="number" formControlName="acknowledgeHours" min="1" max="720" />
                <mat-hint>{{
                  'settings.default' | t: { value: defaults.deadlines[severity].acknowledgeHours }
                }}</mat-hint>
              </mat-form-field>
              <mat-form-field>
                <mat-label>{{ 'settings.contactDeadline' | t }}</mat-label>
                <input matInput type="number" formControlName="contactValue" min="1" />
                <mat-hint>{{ defaultContact(severity) }}</mat-hint>
              </mat-form-field>
              <mat-form-field>
                <mat-label>{{ 'settings.contactUnit' | t }}</mat-label>
                <mat-select formControlName="contactUnit">
                  <mat-option value="hours">{{ 'settings.unitHours' | t }}</mat-option>
                  <mat-option value="workingDays">{{ 'settings.unitWorkingDays' | t }}</mat-option>
                </mat-select>
              </mat-form-field>
            </div>
          }
        </fieldset>

        <fieldset>
          <legend>{{ 'settings.contact' | t }}</legend>
          <div class="form-grid">
            <mat-form-field>
              <mat-label>{{ 'settings.smsSender' | t }}</mat-label>
              <input matInput formControlName="smsSender" maxlength="11" data-testid="settings-sms-sender" />
              <mat-hint>{{ 'settings.smsSenderHint' | t }}</mat-hint>
              <mat-error>{{ errorText(f.controls.smsSender.errors) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'settings.onCallEmail' | t }}</mat-label>
              <input matInput type="email" formControlName="onCallEmail" />
              <mat-error>{{ errorText(f.controls.onCallEmail.errors) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'settings.contactPhone' | t }}</mat-label>
              <input matInput type="tel" formControlName="contactPhone" />
              <mat-error>{{ errorText(f.controls.contactPhone.errors) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'settings.attempts' | t }}</mat-label>
              <input
                matInput
                type="number"
                formControlName="contactAttemptsBeforeUnreachable"
                min="1"
                max="10"
              />
              <mat-hint>{{
                'settings.default' | t: { value: defaults.contactAttemptsBeforeUnreachable }
              }}</mat-hint>
            </mat-form-field>
          </div>
          <mat-checkbox formControlName="requireMfa">{{ 'settings.requireMfa' | t }}</mat-checkbox>
        </fieldset>

        <fieldset formGroupName="smsTemplates">
          <legend>{{ 'settings.templates' | t }}</legend>
          <p class="muted">{{ 'settings.templatesHelp' | t }}</p>
          @for (language of templateLanguages(f); track language) {
            <div [formGroupName]="language">
              <h3 class="role-title" [attr.lang]="language">{{ languageName(language) }}</h3>
              <lien-sms-template-editor
                formControlName="invitation"
                [label]="'settings.templateInvitation' | t"
                [organisation]="organisationName()"
                [sender]="f.controls.smsSender.value"
                [testId]="'sms-template-' + language + '-invitation'"
              />
              <lien-sms-template-editor
                formControlName="reminder"
                [label]="'settings.templateReminder' | t"
                [organisation]="organisationName()"
                [sender]="f.controls.smsSender.value"
                [testId]="'sms-template-' + language + '-reminder'"
              />
            </div>
          }
        </fieldset>

        <fieldset>
          <legend>{{ 'settings.resources' | t }}</legend>
          <p class="muted">{{ 'settings.resourcesHelp' | t }}</p>
          <div formArrayName="localResources">
            @for (resource of f.controls.localResources.controls; track $index; let i = $index) {
              <div class="form-grid resource" [formGroupName]="i">
                <mat-form-field>
                  <mat-label>{{ 'settings.resourceName' | t }}</mat-label>
                  <input matInput formControlName="name" required />
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.resourcePhone' | t }}</mat-label>
                  <input matInput type="tel" formControlName="phone" />
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.resourceUrl' | t }}</mat-label>
                  <input matInput type="url" formControlName="url" />
                  <mat-error>{{ errorText(resource.controls.url.errors) }}</mat-error>
                </mat-form-field>
                <mat-form-field>
                  <mat-label>{{ 'settings.resourceDescription' | t }}</mat-label>
                  <input matInput formControlName="description" />
                </mat-form-field>
                <button mat-button type="button" (click)="removeResource(f, i)">
                  {{ 'settings.removeResource' | t
                  }}<span class="visually-hidden"> {{ resource.controls.name.value }}</span>
                </button>
              </div>
            }
          </div>
          <button
            mat-stroked-button
            type="button"
            (click)="addResource(f)"
            data-testid="settings-add-resource"
          >
            <lien-icon name="add" />{{ 'settings.addResource' | t }}
          </button>
        </fieldset>

        <div class="actions-row sticky-actions">
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="settings-save">
            {{ 'common.save' | t }}
          </button>
          <button mat-button type="button" (click)="reset()" [disabled]="busy()">
            {{ 'settings.discard' | t }}
          </button>
        </div>
      </form>
    }
  `,
  styles: `
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
    .role-title {
      grid-column: 1 / -1;
      margin: 8px 0 0;
    }
    .wave,
    .resource {
      border-bottom: 1px dashed var(--mat-sys-outline-variant);
      padding-bottom: 8px;
      margin-bottom: 8px;
    }
    .saved {
      margin: 0;
    }
    .saved.shown {
      margin: 8px 0;
      font-weight: 600;
    }
    .form-summary.shown {
      border: 2px solid var(--mat-sys-error);
      border-radius: 8px;
      padding: 4px 16px;
      margin-bottom: 16px;
    }
    form {
      /* A floated outline label keeps its unscaled box (a third wider): at a row's end it made the page scroll
         sideways. Clipped here, without making the form a scroll container (the save bar stays sticky). */
      overflow-x: clip;
    }
    .sticky-actions {
      position: sticky;
      bottom: 0;
      background: var(--mat-sys-surface);
      padding: 8px 0;
    }
  `,
})
export class SettingsPage {
  private readonly api = inject(AdminApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly summary = viewChild.required<ElementRef<HTMLElement>>('summary');

  protected readonly roles = PARENT_ROLES;
  protected readonly severities = ALERT_SEVERITIES;
  protected readonly defaults = DEFAULTS;
  protected readonly sources = THRESHOLD_SOURCES;
  protected readonly anxietySource = ANXIETY_SOURCE;
  protected readonly parentRoleKey = parentRoleKey;
  protected readonly severityKey = severityKey;

  protected readonly organisationId = computed(() => this.auth.me()?.organisation?.id ?? null);
  protected readonly organisationName = computed(() => this.auth.me()?.organisation?.name ?? '');
  protected readonly settings = rxResource({
    params: () => this.organisationId(),
    stream: ({ params }) => (params ? this.api.settings(params) : of(null)),
  });
  protected readonly form = signal<SettingsForm | null>(null);
  protected readonly busy = signal(false);
  protected readonly errors = signal<string[]>([]);
  protected readonly saved = signal('');

  constructor() {
    effect(() => {
      const value = this.settings.hasValue() ? this.settings.value() : null;
      if (value) this.form.set(createSettingsForm(value));
    });
  }

  protected rescreenBands(bands: readonly EpdsBand[]): string {
    return bands.map((band) => this.i18n.t(bandKey(band))).join(', ');
  }

  protected templateLanguages(form: SettingsForm): string[] {
    // French first (the fallback language), then the others alphabetically.
    return Object.keys(form.controls.smsTemplates.controls).sort((a, b) =>
      a === 'fr' ? -1 : b === 'fr' ? 1 : a.localeCompare(b),
    );
  }

  protected languageName(language: string): string {
    return isEpdsLanguage(language) ? getEpdsUiText(language).languageName : language;
  }

  protected defaultWave(index: number, field: 'offsetDays' | 'windowStartDay' | 'windowEndDay'): string {
    const wave = this.defaults.waves[index];
    return wave ? String(wave[field]) : '—';
  }

  protected defaultContact(severity: AlertSeverity): string {
    const deadline = this.defaults.deadlines[severity];
    const value =
      deadline.contactWorkingDays !== undefined
        ? `${deadline.contactWorkingDays} ${this.i18n.t('settings.unitWorkingDays')}`
        : `${deadline.contactHours ?? '—'} ${this.i18n.t('settings.unitHours')}`;
    return this.i18n.t('settings.default', { value });
  }

  protected errorText(errors: Record<string, unknown> | null): string {
    if (!errors) return '';
    if (typeof errors['server'] === 'string') return errors['server'];
    if (errors['required']) return this.i18n.t('enrol.errors.required');
    if (errors['min'] || errors['max'] || errors['pattern']) return this.i18n.t('settings.outOfRange');
    if (errors['email']) return this.i18n.t('users.emailInvalid');
    return this.i18n.t('settings.invalid');
  }

  protected addResource(form: SettingsForm): void {
    form.controls.localResources.push(newResourceGroup());
  }

  protected removeResource(form: SettingsForm, index: number): void {
    form.controls.localResources.removeAt(index);
  }

  protected reset(): void {
    const value = this.settings.hasValue() ? this.settings.value() : null;
    if (value) this.form.set(createSettingsForm(value));
    this.errors.set([]);
    this.saved.set('');
  }

  protected async save(form: SettingsForm): Promise<void> {
    const organisationId = this.organisationId();
    if (!organisationId || this.busy()) return;
    this.errors.set([]);
    this.saved.set('');
    if (form.invalid) {
      form.markAllAsTouched();
      this.errors.set([this.i18n.t('enrol.errors.checkFields')]);
      this.focusSummary();
      return;
    }
    this.busy.set(true);
    try {
      const updated: OrganisationSettingsResponse = await firstValueFrom(
        this.api.updateSettings(organisationId, toSettingsPatch(form)),
      );
      this.form.set(createSettingsForm(updated));
      this.saved.set(this.i18n.t('settings.saved'));
    } catch (error) {
      const apiError = toApiError(error);
      const unmatched =
        apiError.statusCode === 400
          ? applySettingsErrors(form, apiError)
          : [apiErrorText(apiError, this.i18n.t)];
      this.errors.set(unmatched.length ? unmatched : [this.i18n.t('enrol.errors.checkFields')]);
      this.focusSummary();
    } finally {
      this.busy.set(false);
    }
  }

  private focusSummary(): void {
    setTimeout(() => this.summary().nativeElement.focus());
  }
}
