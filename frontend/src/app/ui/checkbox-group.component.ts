import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { MatCheckboxModule } from '@angular/material/checkbox';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * A set of codes picked by checkboxes (an API key's scopes, a webhook's events), under a legend; `selected`
 * holds the checked ones in the order they were checked. Each box's test id is `testIdPrefix` + its code.
 */
@Component({
  selector: 'lien-checkbox-group',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatCheckboxModule, TranslatePipe],
  template: `
    <fieldset>
      <legend>{{ legend() | t }}</legend>
      @for (option of options(); track option) {
        <mat-checkbox
          [checked]="selected().includes(option)"
          (change)="toggle(option, $event.checked)"
          [attr.data-testid]="testIdPrefix() + option"
          >{{ option }}</mat-checkbox
        >
      }
    </fieldset>
  `,
  styles: `
    fieldset {
      border: none;
      padding: 0;
    }
  `,
})
export class CheckboxGroup<T extends string> {
  readonly legend = input.required<TranslationKey>();
  readonly options = input.required<readonly T[]>();
  readonly selected = model.required<T[]>();
  readonly testIdPrefix = input('');

  protected toggle(option: T, checked: boolean): void {
    this.selected.update((current) =>
      checked ? [...new Set([...current, option])] : current.filter((entry) => entry !== option),
    );
  }
}
