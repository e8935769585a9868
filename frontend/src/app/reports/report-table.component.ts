import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ReportCell, ReportCellKind } from '@lien/shared';
import { TranslatePipe } from '../i18n/translate.pipe';
import { ReportFigure } from './report-figure.component';

export interface ReportTableRow {
  label: string;
  cells: readonly { cell: ReportCell | null | undefined; kind: ReportCellKind }[];
}

/** One table of the page, its texts already in the reader's language. */
export interface ReportTableSpec {
  caption: string;
  /** Header of the first column (what the rows are: step, source…). */
  rowHeader: string;
  columns: readonly string[];
  rows: readonly ReportTableRow[];
  /** Shown in a table without rows ("—" by default). */
  empty?: string;
  testId: string;
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
      <table class="data-table" [attr.data-testid]="table().testId">
        <caption class="visually-hidden">
          {{
            table().caption
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">{{ table().rowHeader }}</th>
            @for (column of table().columns; track $index) {
              <th scope="col" class="num">{{ column }}</th>
            }
          </tr>
        </thead>
        <tbody>
          @for (row of table().rows; track $index) {
            <tr>
              <th scope="row">{{ row.label }}</th>
              @for (figure of row.cells; track $index) {
                <td class="num"><lien-report-figure [cell]="figure.cell" [kind]="figure.kind" /></td>
              }
            </tr>
          } @empty {
            <tr>
              <td [attr.colspan]="table().columns.length + 1">{{ table().empty ?? '—' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
})
export class ReportTable {
  readonly table = input.required<ReportTableSpec>();
}
