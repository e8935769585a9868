import {
  PARENT_ROLES,
  REPORT_CASCADE_STEPS,
  type ReportCell,
  type ReportCellKind,
  type ReportSummary,
} from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { ChartSpec } from '../ui/chart.component';
import { parentRoleKey, severityKey } from '../ui/labels';
import { plotValue } from './report-cells';
import type { Translate } from './report-sections';

/**
 * The page's charts from a report (null while loading): pure. A hidden figure is a gap in the chart and its
 * mark ("<5", "s") in the chart's table and text alternative.
 */
export interface ChartText {
  t: Translate;
  cell: (cell: ReportCell | null | undefined, kind: ReportCellKind) => string;
  month: (key: string) => string;
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
      {
        label: text.t(series),
        values: steps.map(([, cell]) => plotValue(cell)),
        display: steps.map(([, cell]) => text.cell(cell, 'count')),
      },
    ],
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
  const series = (label: TranslationKey, pick: (group: (typeof groups)[number]) => ReportCell) => ({
    label: text.t(label),
    values: groups.map((group) => plotValue(pick(group))),
    display: groups.map((group) => text.cell(pick(group), 'count')),
  });
  return {
    kind: 'line',
    categoryLabel: text.t('reports.month'),
    labels: groups.map((group) => text.month(group.key)),
    series: [
      series('reports.enrolled', (group) => group.indicators.parents.enrolled),
      series('reports.answered', (group) => group.indicators.responses.all.responses),
      series('reports.positive', (group) => group.indicators.responses.all.positive),
    ],
  };
}

export function bandsChart(summary: ReportSummary | null, text: ChartText): ChartSpec {
  const byRole = summary?.total.responses.byRole;
  const band = (label: TranslationKey, pick: 'low' | 'moderate' | 'high') => ({
    label: text.t(label),
    values: PARENT_ROLES.map((role) => plotValue(byRole?.[role][pick])),
    display: PARENT_ROLES.map((role) => text.cell(byRole?.[role][pick], 'count')),
  });
  return {
    kind: 'bar',
    stacked: true,
    categoryLabel: text.t('reports.role'),
    labels: PARENT_ROLES.map((role) => text.t(parentRoleKey(role))),
    series: [band('band.low', 'low'), band('band.moderate', 'moderate'), band('band.high', 'high')],
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
