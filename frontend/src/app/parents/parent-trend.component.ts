import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ParentScoreTrend } from '@lien/shared';
import { FormatService } from '../i18n/format.service';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { ChartComponent, type ChartSpec } from '../ui/chart.component';
import { parentRoleKey, waveLabel } from '../ui/labels';

/**
 * The EPDS total across waves as a line, with the organisation's moderate and high thresholds for the parent's
 * role as two more lines (the bands between them), and the next wave as an empty placeholder at the end.
 */
export function trendChart(
  trend: ParentScoreTrend,
  t: TranslationService['t'],
  formatInstant: (iso: string) => string,
): ChartSpec {
  const labels = trend.points.map((point) => waveLabel(point.wave, t));
  const scores: (number | null)[] = trend.points.map((point) => point.score);
  if (trend.next) {
    labels.push(
      t('parentDetail.trendNext', {
        wave: waveLabel(trend.next.wave, t),
        due: formatInstant(trend.next.dueAt),
      }),
    );
    scores.push(null);
  }
  const constant = (value: number) => labels.map(() => value);
  return {
    kind: 'line',
    labels,
    categoryLabel: t('parentDetail.trendWave'),
    yMax: trend.maxScore,
    series: [
      { label: t('parentDetail.trendScore'), values: scores },
      { label: t('parentDetail.trendModerate'), values: constant(trend.thresholds.moderate) },
      { label: t('parentDetail.trendHigh'), values: constant(trend.thresholds.high) },
    ],
  };
}

@Component({
  selector: 'lien-parent-trend',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ChartComponent, TranslatePipe],
  template: `
    <section aria-labelledby="trend-title" data-testid="parent-trend">
      <h2 id="trend-title">{{ 'parentDetail.trend' | t }}</h2>
      <p class="muted" data-testid="trend-thresholds">{{ thresholds() }}</p>
      @if (trend().points.length === 0) {
        <p data-testid="trend-empty">{{ 'parentDetail.trendEmpty' | t }}</p>
        @if (trend().next; as next) {
          <p>{{ 'parentDetail.trendNextWave' | t: { wave: wave(next.wave), due: format(next.dueAt) } }}</p>
        }
      } @else {
        <lien-chart
          [spec]="spec()"
          [caption]="'parentDetail.trend' | t"
          testId="trend-chart"
          [height]="240"
        />
      }
    </section>
  `,
})
export class ParentTrend {
  readonly trend = input.required<ParentScoreTrend>();

  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  protected readonly thresholds = computed(() => {
    const trend = this.trend();
    return this.i18n.t('parentDetail.trendThresholds', {
      role: this.i18n.t(parentRoleKey(trend.role)),
      moderate: trend.thresholds.moderate,
      high: trend.thresholds.high,
    });
  });
  protected readonly spec = computed(() =>
    trendChart(this.trend(), this.i18n.t, (iso) => this.formatter.format(iso, 'date')),
  );

  protected wave(value: string): string {
    return waveLabel(value, this.i18n.t);
  }

  protected format(iso: string): string {
    return this.formatter.format(iso);
  }
}
