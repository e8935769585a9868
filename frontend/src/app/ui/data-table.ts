import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * A data table in its keyboard-scrollable region (focusable, named, so a narrow screen can scroll it without a
 * mouse), with a caption for screen readers and one column header per key. The page projects its own
 * `<tbody>`: rows, cells and their styles stay with the page.
 */
@Component({
  selector: 'lien-data-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `
    <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
      <table
        class="data-table"
        [class]="tableClass()"
        [class.data-table-cards]="cards()"
        [attr.data-testid]="testId()"
      >
        <caption class="visually-hidden">
          {{
            caption()
          }}
        </caption>
        <thead>
          <tr>
            @for (column of columns(); track $index) {
              <th scope="col">{{ column | t }}</th>
            }
            @if (actionsColumn(); as key) {
              <th scope="col">
                <span class="visually-hidden">{{ key | t }}</span>
              </th>
            }
          </tr>
        </thead>
        <ng-content />
      </table>
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class DataTable {
  readonly caption = input.required<string>();
  readonly columns = input.required<readonly TranslationKey[]>();
  readonly testId = input<string | null>(null);
  /** A last column of buttons, its header read by screen readers only. */
  readonly actionsColumn = input<TranslationKey | null>(null);
  /** Extra classes on the table element, next to `data-table`. */
  readonly tableClass = input('');
  /** On a phone, one card per row (cells need `data-label`, see styles.scss). */
  readonly cards = input(false);
}
