import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

export interface ChartSeries {
  label: string;
  /** Plotted values; null leaves a gap (no data, or a hidden small count). */
  values: readonly (number | null)[];
  /** What the table shows for each value (e.g. "<5"); the plotted value formatted otherwise. */
  display?: readonly string[];
}

export interface ChartSpec {
  kind: 'line' | 'bar';
  labels: readonly string[];
  series: readonly ChartSeries[];
  horizontal?: boolean;
  stacked?: boolean;
  yMax?: number;
  /** Header of the table's first column (what the labels are: month, wave…). */
  categoryLabel: string;
}

/** Distinct colours (AA against white) AND distinct point shapes / dashes: series never differ by colour alone. */
const COLOURS = ['#1f5fa8', '#b3261e', '#1e6b34', '#8a4b00', '#6a3d9a', '#00676b'];
const POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'] as const;
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2]];

/**
 * A Chart.js chart with its data as a table underneath (in a disclosure): the canvas is an image with a
 * summary for screen readers, the table gives every value to everyone.
 */
@Component({
  selector: 'lien-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `
    <figure class="chart" [attr.data-testid]="testId()">
      <figcaption class="chart-title">{{ caption() }}</figcaption>
      <div class="canvas-box" [style.height.px]="height()">
        <canvas #canvas role="img" [attr.aria-label]="summary()"></canvas>
      </div>
      <details class="chart-data">
        <summary>{{ 'chart.showTable' | t }}</summary>
        <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
          <table class="data-table" [attr.data-testid]="testId() ? testId() + '-table' : null">
            <caption class="visually-hidden">
              {{
                caption()
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ spec().categoryLabel }}</th>
                @for (series of spec().series; track $index) {
                  <th scope="col" class="num">{{ series.label }}</th>
                }
              </tr>
            </thead>
            <tbody>
              @for (label of spec().labels; track $index; let row = $index) {
                <tr>
                  <th scope="row">{{ label }}</th>
                  @for (series of spec().series; track $index) {
                    <td class="num">{{ cell(series, row) }}</td>
                  }
                </tr>
              }
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  `,
  styles: `
    .chart {
      margin: 0 0 24px;
    }
    .chart-title {
      font: var(--mat-sys-title-medium);
      margin-bottom: 8px;
    }
    .canvas-box {
      position: relative;
      width: 100%;
    }
    .chart-data summary {
      cursor: pointer;
      padding: 8px 0;
      color: var(--mat-sys-primary);
      font-weight: 600;
    }
  `,
})
export class ChartComponent {
  readonly spec = input.required<ChartSpec>();
  readonly caption = input.required<string>();
  readonly testId = input<string | null>(null);
  readonly height = input(280);

  private readonly i18n = inject(TranslationService);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;

  /** Text alternative of the canvas: the caption and each series' values. */
  protected readonly summary = computed(() => {
    const spec = this.spec();
    const parts = spec.series.map(
      (series) =>
        `${series.label}: ${spec.labels.map((label, index) => `${label} ${this.cell(series, index)}`).join(', ')}`,
    );
    return `${this.caption()}. ${parts.join('. ')}`;
  });

  constructor() {
    effect(() => {
      const spec = this.spec();
      const canvas = this.canvas().nativeElement;
      this.render(canvas, spec);
    });
    inject(DestroyRef).onDestroy(() => this.chart?.destroy());
  }

  protected cell(series: ChartSeries, index: number): string {
    const shown = series.display?.[index];
    if (shown !== undefined) return shown;
    const value = series.values[index];
    return value === null || value === undefined
      ? '—'
      : new Intl.NumberFormat(this.i18n.locale()).format(value);
  }

  private render(canvas: HTMLCanvasElement, spec: ChartSpec): void {
    const reducedMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    const config: ChartConfiguration = {
      type: spec.kind,
      data: {
        labels: [...spec.labels],
        datasets: spec.series.map((series, index) => {
          const colour = COLOURS[index % COLOURS.length] ?? '#1f5fa8';
          return {
            label: series.label,
            data: [...series.values],
            borderColor: colour,
            backgroundColor: spec.kind === 'bar' ? colour : `${colour}33`,
            pointStyle: POINTS[index % POINTS.length],
            pointRadius: 5,
            borderDash: spec.kind === 'line' ? (DASHES[index % DASHES.length] ?? []) : [],
            borderWidth: 2,
            spanGaps: false,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion ? false : undefined,
        indexAxis: spec.horizontal ? 'y' : 'x',
        plugins: { legend: { labels: { usePointStyle: true } } },
        scales: {
          x: { stacked: spec.stacked ?? false, ...(spec.horizontal ? { beginAtZero: true } : {}) },
          y: {
            stacked: spec.stacked ?? false,
            beginAtZero: true,
            ...(spec.yMax !== undefined ? { max: spec.yMax } : {}),
          },
        },
      },
    };
    this.chart?.destroy();
    this.chart = null;
    const context = canvas.getContext('2d');
    if (!context) return; // no canvas support (tests, very old browsers): the data table still shows everything
    try {
      this.chart = new Chart(context, config);
    } catch {
      this.chart = null;
    }
  }
}
