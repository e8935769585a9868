import { NgTemplateOutlet } from '@angular/common';
import { DOCUMENT, ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { catchError, firstValueFrom, of } from 'rxjs';
import {
  FRENCH_REGIONS,
  PARENT_ROLES,
  REPORT_CASCADE_STEPS,
  type ReportCell,
  type ReportCellKind,
  type ReportIndicators,
  type ReportQuery,
  type ReportSummary,
  type UserRole,
} from '@lien/shared';
import { toApiError } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { ChartComponent, type ChartSpec } from '../ui/chart.component';
import { parentRoleKey, severityKey } from '../ui/labels';
import { addMonths, dayIn } from '../parents/enrolment-form';
import { plotValue } from './report-cells';
import { ReportFigure } from './report-figure.component';
import { ReportFormat } from './report-format';
import {
  cascadeRows,
  cascadeColumns,
  contactRows,
  overviewTiles,
  profileRows,
  screeningTiles,
  sourceRows,
  waveColumns,
  waveRows,
  type Translate,
} from './report-sections';
import { ReportTable, type ReportTableRow } from './report-table.component';
import { ReportsApi } from './reports-api';
import { LienIcon } from '../ui/icon';

/** Default period: the last twelve months, from the first day of the month eleven months ago to today. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: `${addMonths(today, -11).slice(0, 7)}-01`, to: today };
}

/**
 * The territory a report opens with: a coordinator's own (their départements and region), so that the page shows
 * their figures at once and says which territory they are; nothing for the others (their whole scope).
 */
export function defaultTerritory(
  me:
    | { role: UserRole; territory?: { departements: string[]; region: string | null } | null }
    | null
    | undefined,
): string[] {
  return me?.role === 'coordinator' ? territoryOptions(me.territory, false) : [];
}

/** Territory choices: a coordinator's own départements and region; every region and département for the others. */
export function territoryOptions(
  territory: { departements: string[]; region: string | null } | null | undefined,
  all: boolean,
): string[] {
  if (!all) {
    return [...(territory?.departements ?? []), ...(territory?.region ? [`region:${territory.region}`] : [])];
  }
  return [
    ...Object.keys(FRENCH_REGIONS).map((region) => `region:${region}`),
    ...Object.values(FRENCH_REGIONS).flat().sort(),
  ];
}

@Component({
  selector: 'lien-reports-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    LienIcon,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    NgTemplateOutlet,
    TranslatePipe,
    ChartComponent,
    ReportFigure,
    ReportTable,
  ],
  templateUrl: './reports.page.html',
  styleUrl: './reports.page.css',
})
export class ReportsPage {
  private readonly api = inject(ReportsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  private readonly document = inject(DOCUMENT);
  private readonly format = inject(ReportFormat);

  private readonly today = dayIn(this.formatter.timeZone(), new Date());
  /** A coordinator's own territory is selected from the start, and the first report is theirs. */
  protected readonly territory = signal<string[]>(defaultTerritory(this.auth.me()));
  protected readonly query = signal<ReportQuery>({
    ...defaultPeriod(this.today),
    ...(this.territory().length ? { territory: this.territory().join(',') } : {}),
    groupBy: 'month',
  });
  protected readonly organisationId = signal('');
  protected readonly separator = signal<'semicolon' | 'comma'>(
    this.i18n.language() === 'fr' ? 'semicolon' : 'comma',
  );
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal(false);
  protected readonly canExport = computed(() => this.auth.permissions().has('reports.export'));

  protected readonly territories = computed(() => {
    const me = this.auth.me();
    if (!me || me.role === 'org_admin') return [];
    return territoryOptions(me.territory, me.role === 'platform_admin');
  });
  protected readonly organisations = rxResource({
    stream: () => this.api.organisations().pipe(catchError(() => of([]))),
    defaultValue: [],
  });
  protected readonly report = rxResource({
    params: () => this.query(),
    stream: ({ params }) => this.api.summary(params),
  });
  protected readonly summary = computed<ReportSummary | null>(() =>
    this.report.hasValue() ? (this.report.value() ?? null) : null,
  );
  protected readonly statusText = computed(() => {
    const summary = this.summary();
    return summary
      ? this.i18n.t('reports.loaded', {
          from: this.formatter.format(summary.from, 'day'),
          to: this.formatter.format(summary.to, 'day'),
        })
      : '';
  });

  /** An empty report while loading: the sections render from the total alone. */
  private readonly total = computed(() => this.summary()?.total ?? null);
  protected readonly tiles = computed(() => {
    const total = this.total();
    return total ? overviewTiles(total) : [];
  });
  protected readonly screeningTiles = computed(() => {
    const total = this.total();
    return total ? screeningTiles(total) : [];
  });
  private readonly rows = (build: (total: ReportIndicators, t: Translate) => ReportTableRow[]) =>
    computed(() => {
      const total = this.total();
      return total ? build(total, this.i18n.t) : [];
    });
  protected readonly cascadeRows = this.rows(cascadeRows);
  protected readonly sourceRows = this.rows(sourceRows);
  protected readonly profileRows = this.rows(profileRows);
  protected readonly contactRows = this.rows(contactRows);
  protected readonly waveRows = this.rows(waveRows);
  protected readonly cascadeColumns = computed(() => cascadeColumns(this.i18n.t));
  protected readonly waveColumns = computed(() => waveColumns(this.i18n.t));
  protected readonly sourceColumns = computed(() =>
    (['reports.selfScreenings', 'reports.positive', 'reports.contactRequests'] as const).map((key) =>
      this.i18n.t(key),
    ),
  );
  protected readonly profileColumns = computed(() => [this.i18n.t('reports.selfScreenings')]);
  protected readonly contactColumns = computed(() => [this.i18n.t('reports.contactRequests')]);

  protected readonly funnel = computed<ChartSpec>(() => {
    const funnel = this.summary()?.total.funnel;
    const t = this.i18n.t;
    const steps: [TranslationKey, ReportCell | undefined][] = [
      ['reports.enrolled', funnel?.enrolled],
      ['reports.answered', funnel?.answered],
      ['reports.positive', funnel?.positive],
      ['reports.reached', funnel?.reached],
      ['reports.inCare', funnel?.inCare],
    ];
    return {
      kind: 'bar',
      horizontal: true,
      categoryLabel: t('reports.step'),
      labels: steps.map(([key]) => t(key)),
      series: [
        {
          label: t('reports.parents'),
          values: steps.map(([, cell]) => plotValue(cell)),
          display: steps.map(([, cell]) => this.cell(cell, 'count')),
        },
      ],
    };
  });

  protected readonly trends = computed<ChartSpec>(() => {
    const groups = this.summary()?.groups ?? [];
    const t = this.i18n.t;
    const series = (label: TranslationKey, pick: (group: (typeof groups)[number]) => ReportCell) => ({
      label: t(label),
      values: groups.map((group) => plotValue(pick(group))),
      display: groups.map((group) => this.cell(pick(group), 'count')),
    });
    return {
      kind: 'line',
      categoryLabel: t('reports.month'),
      labels: groups.map((group) => this.formatter.format(group.key, 'month')),
      series: [
        series('reports.enrolled', (group) => group.indicators.parents.enrolled),
        series('reports.answered', (group) => group.indicators.responses.all.responses),
        series('reports.positive', (group) => group.indicators.responses.all.positive),
      ],
    };
  });

  protected readonly bands = computed<ChartSpec>(() => {
    const byRole = this.summary()?.total.responses.byRole;
    const t = this.i18n.t;
    const band = (label: TranslationKey, pick: 'low' | 'moderate' | 'high') => ({
      label: t(label),
      values: PARENT_ROLES.map((role) => plotValue(byRole?.[role][pick])),
      display: PARENT_ROLES.map((role) => this.cell(byRole?.[role][pick], 'count')),
    });
    return {
      kind: 'bar',
      stacked: true,
      categoryLabel: t('reports.role'),
      labels: PARENT_ROLES.map((role) => t(parentRoleKey(role))),
      series: [band('band.low', 'low'), band('band.moderate', 'moderate'), band('band.high', 'high')],
    };
  });

  protected readonly severities = computed<ChartSpec>(() => {
    const bySeverity = this.summary()?.total.alerts.bySeverity;
    const t = this.i18n.t;
    const levels = ['urgent', 'high', 'moderate', 'low'] as const;
    return {
      kind: 'bar',
      categoryLabel: t('reports.severity'),
      labels: levels.map((level) => t(severityKey(level))),
      series: [
        {
          label: t('reports.alerts'),
          values: levels.map((level) => plotValue(bySeverity?.[level])),
          display: levels.map((level) => this.cell(bySeverity?.[level], 'count')),
        },
      ],
    };
  });

  protected cell(cell: ReportCell | null | undefined, kind: ReportCellKind): string {
    return this.format.cell(cell, kind);
  }

  protected readonly cascadeChart = computed<ChartSpec>(() => {
    const cascade = this.summary()?.total.cascade;
    const t = this.i18n.t;
    return {
      kind: 'bar',
      horizontal: true,
      categoryLabel: t('reports.step'),
      labels: REPORT_CASCADE_STEPS.map((step) => t(`reports.cascade.step.${step}`)),
      series: [
        {
          label: t('reports.parents'),
          values: REPORT_CASCADE_STEPS.map((step) => plotValue(cascade?.[step])),
          display: REPORT_CASCADE_STEPS.map((step) => this.cell(cascade?.[step], 'count')),
        },
      ],
    };
  });

  protected territoryLabel(item: string): string {
    return item.startsWith('region:')
      ? item.slice('region:'.length)
      : this.i18n.t('reports.departement', { code: item });
  }

  protected errorKey(error: unknown): TranslationKey {
    const apiError = toApiError(error);
    if (apiError.statusCode === 403) return 'reports.outOfScope';
    if (apiError.statusCode === 400) return 'reports.badFilters';
    return 'reports.loadFailed';
  }

  protected apply(from: string, to: string): void {
    const territory = this.territory().join(',');
    const organisationId = this.organisationId();
    this.query.set({
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(territory ? { territory } : {}),
      ...(organisationId ? { organisationId } : {}),
      groupBy: 'month',
    });
  }

  protected async download(): Promise<void> {
    this.downloading.set(true);
    this.downloadError.set(false);
    try {
      const { groupBy: _groupBy, ...filters } = this.query();
      const response = await firstValueFrom(this.api.exportCsv({ ...filters, separator: this.separator() }));
      const blob = response.body;
      if (!blob) throw new Error('empty');
      const disposition = response.headers.get('Content-Disposition') ?? '';
      const name =
        /filename="?([^";]+)"?/.exec(disposition)?.[1] ??
        `lien-rapport-${filters.from ?? ''}-${filters.to ?? ''}.csv`;
      const url = URL.createObjectURL(blob);
      const link = this.document.createElement('a');
      link.href = url;
      link.download = name;
      this.document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      this.downloadError.set(true);
    } finally {
      this.downloading.set(false);
    }
  }
}
