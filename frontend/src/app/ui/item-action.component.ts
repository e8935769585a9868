import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import type { TranslationParams } from '../i18n/translation.service';

/** A button text key whose accessible name has its own key beside it: `sources.qrSvg` and `sources.qrSvgLabel`. */
export type ItemActionKey = {
  [K in TranslationKey]: `${K}Label` extends TranslationKey ? K : never;
}[TranslationKey];

/**
 * A button acting on one item of a list (a card, a slot): it shows the short text of `action` and is named for
 * screen readers by `<action>Label` with the item's params (`{ name }`), so "Edit" says which item it edits.
 * The host takes no box of its own: the button sits in the page's action row as if written there.
 */
@Component({
  selector: 'lien-item-action',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, TranslatePipe],
  template: `
    <button
      [matButton]="appearance()"
      type="button"
      (click)="pressed.emit()"
      [attr.aria-label]="labelKey() | t: params()"
      [attr.data-testid]="testId()"
    >
      {{ action() | t }}
    </button>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class ItemAction {
  readonly action = input.required<ItemActionKey>();
  /** The item the label names, e.g. `{ name: source.name }`. */
  readonly params = input.required<TranslationParams>();
  readonly testId = input.required<string>();
  readonly appearance = input<'outlined' | 'text'>('outlined');
  readonly pressed = output();

  protected labelKey(): TranslationKey {
    return `${this.action()}Label`;
  }
}
