import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ReactiveFormsModule, type FormControl, type FormGroup } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { ParentRole } from '@lien/shared';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { LABELS } from '../ui/labels';
import { DEFAULTS, THRESHOLD_SOURCES, settingsErrorText } from './settings-form';

export type ThresholdGroup = FormGroup<{ moderate: FormControl<number>; high: FormControl<number> }>;

/** One parent role's EPDS bands (moderate and high thresholds), with the documented default and its source. */
@Component({
  selector: 'lien-threshold-fields',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  template: `
    <div class="form-grid" [formGroup]="group()">
      <h3 class="role-title">{{ labels.parentRole(role()) | t }}</h3>
      @for (band of bands; track band) {
        <mat-form-field>
          <mat-label>{{ bandLabels[band] | t }}</mat-label>
          <input
            matInput
            type="number"
            [formControlName]="band"
            min="0"
            max="30"
            [attr.data-testid]="'settings-threshold-' + role() + '-' + band"
          />
          <mat-hint>{{
            'settings.defaultWithSource'
              | t: { value: defaults.thresholds[role()][band], source: sources[role()][band] }
          }}</mat-hint>
          <mat-error>{{ errorText(group().controls[band].errors) }}</mat-error>
        </mat-form-field>
      }
      @if (group().errors?.['bandOrder']) {
        <p class="error-text">{{ 'settings.bandOrder' | t }}</p>
      }
    </div>
  `,
  styles: `
    .role-title {
      grid-column: 1 / -1;
      margin: 8px 0 0;
    }
  `,
})
export class ThresholdFields {
  private readonly i18n = inject(TranslationService);

  readonly group = input.required<ThresholdGroup>();
  readonly role = input.required<ParentRole>();

  protected readonly bands = ['moderate', 'high'] as const;
  protected readonly bandLabels = { moderate: 'settings.moderate', high: 'settings.high' } as const;
  protected readonly defaults = DEFAULTS;
  protected readonly sources = THRESHOLD_SOURCES;
  protected readonly labels = LABELS;

  protected errorText(errors: Record<string, unknown> | null): string {
    return settingsErrorText(errors, this.i18n.t);
  }
}
