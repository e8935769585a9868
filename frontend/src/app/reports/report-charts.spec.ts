import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ReportCell, ReportSummary } from '@lien/shared';
import { TranslationService } from '../i18n/translation.service';
import { ChartComponent, gapMarks, type ChartSpec, type GapSlot } from '../ui/chart.component';
import { testIdFinder } from '../ui/spec-helpers';
import { gapLabelKey } from './report-cells';
import { bandsChart, funnelChart, severitiesChart, type ChartText } from './report-charts';
import { ReportFormat } from './report-format';

const shown = (value: number): ReportCell => ({ value, suppressed: false });
const small: ReportCell = { value: null, suppressed: true, reason: 'small_count' };
const complement: ReportCell = { value: null, suppressed: true, reason: 'complementary' };
const hiddenRate: ReportCell = { value: null, suppressed: true, reason: 'count_suppressed' };

/** The parts of a report the charts read: a funnel, alerts by severity, answers by role and band. */
function summary(): ReportSummary {
  const bands = (low: ReportCell) => ({ low, moderate: shown(10), high: shown(0) });
  return {
    total: {
      funnel: {
        enrolled: shown(40),
        answered: shown(30),
        positive: shown(10),
        reached: complement,
        inCare: shown(0),
      },
      alerts: { bySeverity: { urgent: small, high: shown(0), moderate: shown(10), low: complement } },
      responses: { byRole: { mother: bands(shown(20)), father: bands(small), co_parent: bands(shown(0)) } },
    },
    groups: [],
  } as unknown as ReportSummary;
}

describe('report charts: a hidden figure is a labelled gap', () => {
  let text: ChartText;

  beforeEach(() => {
    TestBed.resetTestingModule();
    const format = TestBed.inject(ReportFormat);
    const i18n = TestBed.inject(TranslationService);
    text = {
      t: i18n.t,
      cell: (cell, kind) => format.cell(cell, kind),
      gap: (cell, kind) => format.gap(cell, kind),
      month: (key) => key,
    };
  });

  it('labels a small count « masqué (< 5) », a complement « masqué (s) », a rate « non calculé », never "<5"', () => {
    expect(gapLabelKey(small, 'count')).toBe('reports.gap.smallCount');
    // Defence in depth: a count from 1 to 4 that arrives unsuppressed is not plotted either.
    expect(gapLabelKey(shown(3), 'count')).toBe('reports.gap.smallCount');
    expect(gapLabelKey(complement, 'count')).toBe('reports.gap.complementary');
    expect(gapLabelKey(hiddenRate, 'rate')).toBe('reports.gap.notComputed');
    expect(gapLabelKey({ value: null, suppressed: true, reason: 'small_sample' }, 'minutes')).toBe(
      'reports.gap.notComputed',
    );
    // Plotted, undefined or missing: no gap to label.
    expect(gapLabelKey(shown(12), 'count')).toBeNull();
    expect(gapLabelKey(shown(0), 'count')).toBeNull();
    expect(gapLabelKey({ value: null, suppressed: false }, 'count')).toBeNull();
    expect(gapLabelKey(undefined, 'count')).toBeNull();
    expect(text.gap(hiddenRate, 'rate')).toEqual({
      label: 'non calculé',
      reason: 'Taux non calculé : un de ses effectifs est masqué',
    });
  });

  it('gives each hidden bar of the funnel and of the severities its label and reason, and a legend', () => {
    const funnel = funnelChart(summary(), text);
    expect(funnel.series[0]!.values).toEqual([40, 30, 10, null, 0]);
    expect(funnel.series[0]!.display).toEqual(['40', '30', '10', 's', '0']);
    expect(funnel.series[0]!.gaps).toEqual([
      null,
      null,
      null,
      {
        label: 'masqué (s)',
        reason: 'Masqué pour qu’un petit effectif ne puisse pas être retrouvé par soustraction',
      },
      null,
    ]);
    expect(funnel.gapLegend).toBe(
      'Case hachurée : chiffre masqué par le secret statistique (le motif s’affiche au survol et dans le tableau).',
    );
    const severities = severitiesChart(summary(), text);
    expect(severities.series[0]!.gaps?.[0]).toEqual({
      label: 'masqué (< 5)',
      reason: 'Effectif de 1 à 4, masqué',
    });
    expect(severities.series[0]!.display?.[0]).toBe('<5');
  });

  it('sets the bands side by side (not stacked), so a hidden band has its own slot', () => {
    const bands = bandsChart(summary(), text);
    expect(bands.stacked).toBeFalsy();
    const low = bands.series[0]!;
    expect(low.values).toEqual([20, null, 0]);
    expect(low.gaps?.[1]?.label).toBe('masqué (< 5)');
  });
});

describe('gapMarks: where a hidden figure’s labelled slot goes', () => {
  const area = { left: 40, top: 10, right: 340, bottom: 250 };
  const measure = (label: string) => label.length * 7;
  const spec = (kind: 'bar' | 'line', horizontal = false): ChartSpec => ({
    kind,
    horizontal,
    categoryLabel: 'Étape',
    labels: ['a', 'b', 'c'],
    series: [
      { label: 'A', values: [5, null, null], gaps: [null, { label: 'masqué (< 5)', reason: 'r1' }, null] },
      { label: 'B', values: [null, 8, 9], gaps: [{ label: 'masqué (s)', reason: 'r2' }, null, null] },
    ],
  });

  it('a horizontal bar: from the zero line, as thick as the bar, as long as its label', () => {
    const slots: GapSlot[] = [
      { series: 0, index: 1, center: 100, size: 30, base: 40 },
      { series: 1, index: 0, center: 50, size: 30, base: 40 },
    ];
    expect(gapMarks(spec('bar', true), slots, area, measure)).toEqual([
      { label: 'masqué (< 5)', reason: 'r1', left: 40, top: 85, width: 84, height: 30, vertical: false },
      { label: 'masqué (s)', reason: 'r2', left: 40, top: 35, width: 70, height: 30, vertical: false },
    ]);
  });

  it('an upright bar: level if the label fits across it, else the label reads upward', () => {
    const wide: GapSlot[] = [{ series: 0, index: 1, center: 200, size: 100, base: 250 }];
    expect(gapMarks(spec('bar'), wide, area, measure)).toEqual([
      { label: 'masqué (< 5)', reason: 'r1', left: 150, top: 230, width: 100, height: 20, vertical: false },
    ]);
    const narrow: GapSlot[] = [{ series: 0, index: 1, center: 200, size: 24, base: 250 }];
    expect(gapMarks(spec('bar'), narrow, area, measure)).toEqual([
      { label: 'masqué (< 5)', reason: 'r1', left: 188, top: 166, width: 24, height: 84, vertical: true },
    ]);
  });

  it('a line: one upright slot per category at the foot of the chart, the reasons together', () => {
    const slots: GapSlot[] = [
      { series: 0, index: 1, center: 190, size: 0, base: 0 },
      { series: 1, index: 0, center: 90, size: 0, base: 0 },
    ];
    const line = spec('line');
    const twice: ChartSpec = {
      ...line,
      series: [
        line.series[0]!,
        {
          label: 'B',
          values: [null, null, 9],
          gaps: [{ label: 'masqué (s)', reason: 'r2' }, { label: 'masqué (s)', reason: 'r3' }, null],
        },
      ],
    };
    expect(
      gapMarks(twice, [...slots, { series: 1, index: 1, center: 190, size: 0, base: 0 }], area, measure),
    ).toEqual([
      {
        label: 'masqué (< 5)',
        reason: 'r1 ; r3',
        left: 180,
        top: 166,
        width: 20,
        height: 84,
        vertical: true,
      },
      { label: 'masqué (s)', reason: 'r2', left: 80, top: 180, width: 20, height: 70, vertical: true },
    ]);
  });
});

@Component({
  imports: [ChartComponent],
  template: `<lien-chart [spec]="spec()" caption="Alertes par gravité" testId="chart" />`,
})
class Host {
  readonly spec = signal<ChartSpec>({
    kind: 'bar',
    categoryLabel: 'Gravité',
    labels: ['Urgente', 'Modérée'],
    series: [
      {
        label: 'Alertes',
        values: [null, 10],
        display: ['<5', '10'],
        gaps: [{ label: 'masqué (< 5)', reason: 'Effectif de 1 à 4, masqué' }, null],
      },
    ],
    gapLegend: 'Case hachurée : chiffre masqué par le secret statistique.',
  });
}

describe('ChartComponent with a hidden figure', () => {
  it('explains the gap under the chart, ties the legend to the canvas and reads the reason out', async () => {
    TestBed.resetTestingModule();
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const byTestId = testIdFinder(() => element);
    const legend = byTestId('chart-gap-legend');
    const lines = [...legend.querySelectorAll('p, li')].map((line) =>
      line.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(lines).toEqual([
      'Case hachurée : chiffre masqué par le secret statistique.',
      'masqué (< 5) — Effectif de 1 à 4, masqué',
    ]);
    const canvas = element.querySelector('canvas')!;
    expect(canvas.getAttribute('aria-describedby')).toBe(legend.id);
    expect(canvas.getAttribute('aria-label')).toBe(
      'Alertes par gravité. Alertes: Urgente <5 (Effectif de 1 à 4, masqué), Modérée 10',
    );
    // The table keeps the mark.
    expect(byTestId('chart-table').querySelector('tbody td')?.textContent?.trim()).toBe('<5');

    // Nothing hidden: no legend, nothing described.
    fixture.componentInstance.spec.update((spec) => ({
      ...spec,
      series: [{ label: 'Alertes', values: [6, 10] }],
    }));
    fixture.detectChanges();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="chart-gap-legend"]')).toBeNull();
    expect(element.querySelector('canvas')?.hasAttribute('aria-describedby')).toBe(false);
  });
});
