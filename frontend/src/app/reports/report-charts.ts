import {
  PARENT_ROLES,
  REPORT_CASCADE_STEPS,
  type ReportCell,
  type ReportCellKind,
  type ReportSummary,
} from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { ChartGap, ChartSeries, ChartSpec } from '../ui/chart.component';
import { parentRoleKey, severityKey } from '../ui/labels';
import { plotValue } from './report-cells';
import type { Translate } from './report-sections';

/**
 * The page's charts from a report (null while loading): pure. A hidden figure is a gap in the chart, drawn as
 * a hatched slot labelled « masqué (< 5) » (or « masqué (s) », « non calculé ») with the reason on hover; its
 * mark ("<5", "s") is in the chart's table, and the mark and reason in its text alternative.
 */
export interface ChartText {
  t: Translate;
  cell: (cell: ReportCell | null | undefined, kind: ReportCellKind) => string;
  gap: (cell: ReportCell | null | undefined, kind: ReportCellKind) => ChartGap | null;
  month: (key: string) => string;
}

/** One series of report figures: plotted values, their marks for the table, and the hidden ones' gaps. */
function figures(
  text: ChartText,
  label: TranslationKey,
  cells: readonly (ReportCell | null | undefined)[],
): ChartSeries {
  return {
    label: text.t(label),
    values: cells.map((cell) => plotValue(cell)),
    display: cells.map((cell) => text.cell(cell, 'count')),
    gaps: cells.map((cell) => text.gap(cell, 'count')),
  };
}

function bars(
  text: ChartText,
  categoryLabel: TranslationKey,
  series: TranslationKey,
  steps: readonly [string, ReportCell | undefined][],
  horizontal: boolean,
): ChartSpec {
  return {
    kind: 'bar',
    horizontal,
    categoryLabel: text.t(categoryLabel),
    labels: steps.map(([label]) => label),
    series: [
      figures(
        text,
        series,
        steps.map(([, cell]) => cell),
      ),
    ],
    gapLegend: text.t('reports.gap.legend'),
  };
}

/** Enrolled → answered → positive → reached → in care. */
export function funnelChart(summary: ReportSummary | null, text: ChartText): ChartSpec {
  const funnel = summary?.total.funnel;
  const steps: [TranslationKey, ReportCell | undefined][] = [
    ['reports.enrolled', funnel?.enrolled],
    ['reports.answered', funnel?.answered],
    ['reports.positive', funnel?.positive],
    ['reports.reached', funnel?.reached],
    ['reports.inCare', funnel?.inCare],
  ];
  return bars(
    text,
    'reports.step',
    'reports.parents',
    steps.map(([key, cell]) => [text.t(key), cell]),
    true,
  );
}

/** The care cascade, "Étape 1" to "Étape 5", every role. */
export function cascadeChart(summary: ReportSummary | null, text: ChartText): ChartSpec {
  const cascade = summary?.total.cascade;
  return bars(
    text,
    'reports.step',
    'reports.parents',
    REPORT_CASCADE_STEPS.map((step) => [text.t(`reports.cascade.step.${step}`), cascade?.[step]]),
    true,
  );
}

export function trendsChart(summary: ReportSummary | null, text: ChartText): ChartSpec {
  const groups = summary?.groups ?? [];
  const series = (label: TranslationKey, pick: (group: (typeof groups)[number]) => ReportCell) =>
    figures(text, label, groups.map(pick));
  return {
    kind: 'line',
    categoryLabel: text.t('reports.month'),
    labels: groups.map((group) => text.month(group.key)),
    series: [
      series('reports.enrolled', (group) => group.indicators.parents.enrolled),
      series('reports.answered', (group) => group.indicators.responses.all.responses),
      series('reports.positive', (group) => group.indicators.responses.all.positive),
    ],
    gapLegend: text.t('reports.gap.legend'),
  };
}

export function bandsChart(summary: ReportSummary | null, text: ChartText): ChartSpec {
  const byRole = summary?.total.responses.byRole;
  const band = (label: TranslationKey, pick: 'low' | 'moderate' | 'high') =>
    figures(
      text,
      label,
      PARENT_ROLES.map((role) => byRole?.[role][pick]),
    );
  // Side by side, not stacked: every band has its own slot, so a hidden one is a visible, labelled gap.
  return {
    kind: 'bar',
    categoryLabel: text.t('reports.role'),
    labels: PARENT_ROLES.map((role) => text.t(parentRoleKey(role))),
    series: [band('band.low', 'low'), band('band.moderate', 'moderate'), band('band.high', 'high')],
    gapLegend: text.t('reports.gap.legend'),
  };
}

export function severitiesChart(summary: ReportSummary | null, text: ChartText): ChartSpec {
  const bySeverity = summary?.total.alerts.bySeverity;
  const levels = ['urgent', 'high', 'moderate', 'low'] as const;
  return bars(
    text,
    'reports.severity',
    'reports.alerts',
    levels.map((level) => [text.t(severityKey(level)), bySeverity?.[level]]),
    false,
  );
}
