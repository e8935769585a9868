import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ReportCell, ReportCellKind } from '@lien/shared';
import { ReportFormat } from './report-format';

/**
 * One report figure: the count, rate or duration (with its unit), or its secrecy mark ("<5" for a count from 1
 * to 4 only, "s" for any other hidden figure) with the reason on hover and read out by screen readers.
 */
@Component({
  selector: 'lien-report-figure',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // What the figure is (count, rate, minutes): lets a reader's tools, and the browser tests, tell them apart.
  host: { '[attr.data-kind]': 'kind()' },
  template: `@if (reason(); as why) {
      <abbr class="hidden-figure" [attr.title]="why">{{ text() }}</abbr><span class="visually-hidden">{{
        why
      }}</span>
    } @else {
      {{ text() }}
    }`,
  styles: `
    .hidden-figure {
      text-decoration: underline dotted;
      cursor: help;
    }
  `,
})
export class ReportFigure {
  private readonly format = inject(ReportFormat);
  readonly cell = input<ReportCell | null | undefined>();
  readonly kind = input<ReportCellKind>('count');
  protected readonly text = computed(() => this.format.cell(this.cell(), this.kind()));
  protected readonly reason = computed(() => this.format.reason(this.cell()));
}
