import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ReportCell, ReportCellKind } from '@lien/shared';
import { TranslatePipe } from '../i18n/translate.pipe';
import { ReportFigure } from './report-figure.component';

export interface ReportTableRow {
  label: string;
  cells: readonly { cell: ReportCell | null | undefined; kind: ReportCellKind }[];
}

/** A table of report figures: a header row, one labelled row per line, each figure through `lien-report-figure`. */
@Component({
  selector: 'lien-report-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReportFigure, TranslatePipe],
  // The caption is visually hidden (absolutely positioned): without a positioned scroll box it was placed against
  // the page and a wide table made the whole page scroll sideways on a phone.
  styles: ['.table-scroll { position: relative; }'],
  template: `
    <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
      <table class="data-table" [attr.data-testid]="testId()">
        <caption class="visually-hidden">
          {{
            caption()
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">{{ rowHeader() }}</th>
            @for (column of columns(); track $index) {
              <th scope="col" class="num">{{ column }}</th>
            }
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track $index) {
            <tr>
              <th scope="row">{{ row.label }}</th>
              @for (figure of row.cells; track $index) {
                <td class="num"><lien-report-figure [cell]="figure.cell" [kind]="figure.kind" /></td>
              }
            </tr>
          } @empty {
            <tr>
              <td [attr.colspan]="columns().length + 1">{{ empty() }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
})
export class ReportTable {
  readonly caption = input.required<string>();
  readonly rowHeader = input.required<string>();
  readonly columns = input.required<readonly string[]>();
  readonly rows = input.required<readonly ReportTableRow[]>();
  readonly empty = input('—');
  readonly testId = input<string>();
}
