import { Injectable, inject } from '@angular/core';
import type { ReportCell, ReportCellKind } from '@lien/shared';
import { FormatService } from '../i18n/format.service';
import { TranslationService } from '../i18n/translation.service';
import type { ChartGap } from '../ui/chart.component';
import { formatMinutes, gapLabelKey, renderCell, suppressionReasonKey } from './report-cells';

/** Report figures as text in the reader's language: the one place the page, its tables and charts format cells. */
@Injectable({ providedIn: 'root' })
export class ReportFormat {
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  cell(cell: ReportCell | null | undefined, kind: ReportCellKind): string {
    return renderCell(cell, kind, {
      number: (value) => this.formatter.format(value, 'number'),
      percent: (value) => this.formatter.format(value, 'percent'),
      minutes: (value) =>
        formatMinutes(value, {
          day: this.i18n.t('units.day'),
          hour: this.i18n.t('units.hour'),
          minute: this.i18n.t('units.minute'),
        }),
    });
  }

  /** Why a figure is hidden; null when it is shown. */
  reason(cell: ReportCell | null | undefined): string | null {
    const key = suppressionReasonKey(cell);
    return key ? this.i18n.t(key) : null;
  }

  /** A figure the charts leave out: its slot's label and why; null when it is plotted. */
  gap(cell: ReportCell | null | undefined, kind: ReportCellKind): ChartGap | null {
    const label = gapLabelKey(cell, kind);
    if (!label) return null;
    return {
      label: this.i18n.t(label),
      reason: this.i18n.t(suppressionReasonKey(cell) ?? 'reports.reason.smallCount'),
    };
  }
}
