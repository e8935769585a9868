import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
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
  type Plugin,
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
  /** A hidden figure (null value): its empty slot is drawn hatched and labelled, the reason on hover. */
  gaps?: readonly (ChartGap | null)[];
}

/** A figure left out of the chart on purpose (statistical secrecy): a short visible label and why. */
export interface ChartGap {
  /** Shown in the empty slot: « masqué (< 5) », « non calculé »… */
  label: string;
  /** Why, on hover and read by screen readers with the chart's text alternative. */
  reason: string;
}

/** A hidden figure's empty slot over the canvas, in CSS pixels from the canvas's top-left corner. */
export interface GapMark extends ChartGap {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The label reads bottom to top (a narrow upright slot). */
  vertical: boolean;
}

/** Where one category sits on the chart, as Chart.js laid it out. */
export interface GapSlot {
  series: number;
  index: number;
  /** Centre and thickness of the bar's slot across the category axis (for a line: the category's x, 0). */
  center: number;
  size: number;
  /** Pixel of the value axis' zero. */
  base: number;
}

export interface ChartArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Height (or width, when upright) of a gap label's line. */
const GAP_LINE = 20;

export interface ChartSpec {
  kind: 'line' | 'bar';
  labels: readonly string[];
  series: readonly ChartSeries[];
  horizontal?: boolean;
  stacked?: boolean;
  yMax?: number;
  /** Header of the table's first column (what the labels are: month, wave…). */
  categoryLabel: string;
  /** Under the chart when it has gaps: what a hatched, labelled slot means. */
  gapLegend?: string;
}

/** The gaps of a chart, in order: series by series, category by category. */
export function chartGaps(spec: ChartSpec): { series: number; index: number; gap: ChartGap }[] {
  return spec.series.flatMap((series, seriesIndex) =>
    (series.gaps ?? []).flatMap((gap, index) =>
      gap && series.values[index] === null ? [{ series: seriesIndex, index, gap }] : [],
    ),
  );
}

/**
 * Where each hidden figure's empty slot goes: in a bar chart, the bar's own slot from the zero line, as long
 * as its label (a horizontal bar) or, upright, as high as its label when the bar is too narrow for it; in a
 * line chart, one upright slot per month at the foot of the chart. Pure (the layout comes from Chart.js).
 */
export function gapMarks(
  spec: ChartSpec,
  slots: readonly GapSlot[],
  area: ChartArea,
  measure: (label: string) => number,
): GapMark[] {
  const gaps = chartGaps(spec);
  const marks: GapMark[] = [];
  for (const { series, index, gap } of gaps) {
    const slot = slots.find((one) => one.series === series && one.index === index);
    if (!slot) continue;
    const length = measure(gap.label);
    if (spec.kind === 'line') {
      const same = marks.find((mark) => mark.left === slot.center - GAP_LINE / 2);
      if (same) {
        same.reason = `${same.reason} ; ${gap.reason}`;
        continue;
      }
      const height = Math.min(length, area.bottom - area.top);
      marks.push({
        ...gap,
        left: slot.center - GAP_LINE / 2,
        top: area.bottom - height,
        width: GAP_LINE,
        height,
        vertical: true,
      });
    } else if (spec.horizontal) {
      marks.push({
        ...gap,
        left: slot.base,
        top: slot.center - slot.size / 2,
        width: Math.min(length, area.right - slot.base),
        height: slot.size,
        vertical: false,
      });
    } else {
      const vertical = length > slot.size;
      const height = Math.min(vertical ? length : GAP_LINE, slot.base - area.top);
      marks.push({
        ...gap,
        left: slot.center - slot.size / 2,
        top: slot.base - height,
        width: slot.size,
        height,
        vertical,
      });
    }
  }
  return marks;
}

let nextId = 0;

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
        <canvas
          #canvas
          role="img"
          [attr.aria-label]="summary()"
          [attr.aria-describedby]="gapKinds().length && spec().gapLegend ? legendId : null"
        ></canvas>
        @for (mark of marks(); track $index) {
          <span
            class="chart-gap"
            [class.chart-gap-vertical]="mark.vertical"
            [style.left.px]="mark.left"
            [style.top.px]="mark.top"
            [style.width.px]="mark.width"
            [style.height.px]="mark.height"
            [attr.title]="mark.reason"
            aria-hidden="true"
            data-testid="chart-gap"
            ><span class="chart-gap-label">{{ mark.label }}</span></span
          >
        }
      </div>
      @if (gapKinds().length && spec().gapLegend) {
        <div class="chart-gap-legend" [id]="legendId" data-testid="chart-gap-legend">
          <span class="chart-gap-swatch" aria-hidden="true"></span>
          <div>
            <p>{{ spec().gapLegend }}</p>
            <ul>
              @for (kind of gapKinds(); track kind.label) {
                <li>
                  <strong>{{ kind.label }}</strong> — {{ kind.reason }}
                </li>
              }
            </ul>
          </div>
        </div>
      }
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
    /* A hidden figure's slot: dashed outline and hatching (not colour alone), its label on a plain chip. */
    .chart-gap {
      position: absolute;
      box-sizing: border-box;
      display: flex;
      align-items: center;
      justify-content: center;
      overflow: hidden;
      border: 1.5px dashed var(--mat-sys-outline, #72777f);
      background: repeating-linear-gradient(
        45deg,
        transparent 0 4px,
        color-mix(in srgb, var(--mat-sys-outline, #72777f) 35%, transparent) 4px 6px
      );
      cursor: help;
    }
    .chart-gap-label {
      padding: 0 3px;
      font-size: 12px;
      line-height: 16px;
      font-weight: 600;
      white-space: nowrap;
      color: var(--mat-sys-on-surface, #1a1c1e);
      background: var(--mat-sys-surface, #fff);
    }
    .chart-gap-vertical .chart-gap-label {
      writing-mode: vertical-rl;
      transform: rotate(180deg);
    }
    .chart-gap-legend {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      margin: 8px 0 0;
      font-size: 0.875rem;
      color: var(--mat-sys-on-surface-variant);
    }
    .chart-gap-legend p,
    .chart-gap-legend ul {
      margin: 0;
    }
    .chart-gap-legend ul {
      padding-left: 16px;
    }
    .chart-gap-swatch {
      flex: none;
      width: 20px;
      height: 14px;
      margin-top: 2px;
      box-sizing: border-box;
      border: 1.5px dashed var(--mat-sys-outline, #72777f);
      background: repeating-linear-gradient(
        45deg,
        transparent 0 4px,
        color-mix(in srgb, var(--mat-sys-outline, #72777f) 35%, transparent) 4px 6px
      );
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
  /** The hidden figures' labelled slots, placed once Chart.js has laid the chart out. */
  protected readonly marks = signal<GapMark[]>([]);
  private marksKey = '[]';
  /** The legend's lines: each kind of gap this chart has (« masqué (< 5) », « masqué (s) »…) and why. */
  protected readonly gapKinds = computed(() => {
    const kinds = new Map<string, ChartGap>();
    for (const { gap } of chartGaps(this.spec())) if (!kinds.has(gap.label)) kinds.set(gap.label, gap);
    return [...kinds.values()];
  });
  protected readonly legendId = `chart-gaps-${(nextId += 1)}`;

  /** Text alternative of the canvas: the caption and each series' values, a hidden one with its reason. */
  protected readonly summary = computed(() => {
    const spec = this.spec();
    const parts = spec.series.map((series) => {
      const values = spec.labels.map((label, index) => {
        const reason = series.values[index] === null ? series.gaps?.[index]?.reason : undefined;
        return `${label} ${this.cell(series, index)}${reason ? ` (${reason})` : ''}`;
      });
      return `${series.label}: ${values.join(', ')}`;
    });
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
        layout: { padding: { right: 8 } },
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
    this.marksKey = '[]';
    this.marks.set([]);
    const context = canvas.getContext('2d');
    if (!context) return; // no canvas support (tests, very old browsers): the data table still shows everything
    try {
      this.chart = new Chart(context, { ...config, plugins: [this.gapPlugin(spec)] });
    } catch {
      this.chart = null;
    }
  }

  /** After each layout (first draw, resize), places the labelled slots of the hidden figures over the canvas. */
  private gapPlugin(spec: ChartSpec): Plugin {
    return {
      id: 'lienGaps',
      afterUpdate: (chart) => {
        const gaps = chartGaps(spec);
        if (!gaps.length) return;
        const categoryScale = spec.horizontal ? chart.scales['y'] : chart.scales['x'];
        const slots: GapSlot[] = gaps.flatMap(({ series, index }) => {
          if (spec.kind === 'line') {
            const center = categoryScale?.getPixelForValue(index);
            return center === undefined ? [] : [{ series, index, center, size: 0, base: 0 }];
          }
          const bar = chart.getDatasetMeta(series).data[index];
          if (!bar) return [];
          const { x, y, width, height, base } = bar.getProps(['x', 'y', 'width', 'height', 'base'], true) as {
            x: number;
            y: number;
            width: number;
            height: number;
            base: number;
          };
          return [
            spec.horizontal
              ? { series, index, center: y, size: height, base }
              : { series, index, center: x, size: width, base },
          ];
        });
        const context = chart.ctx;
        context.save();
        context.font = `600 12px ${getComputedStyle(chart.canvas).fontFamily || 'sans-serif'}`;
        const measure = (label: string) => Math.ceil(context.measureText(label).width) + 12;
        const marks = gapMarks(spec, slots, chart.chartArea, measure);
        context.restore();
        // Chart.js updates on every resize: the marks change only when the layout did.
        const key = JSON.stringify(marks);
        if (key !== this.marksKey) {
          this.marksKey = key;
          this.marks.set(marks);
        }
      },
    };
  }
}
