import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { catchError, firstValueFrom, of } from 'rxjs';
import {
  FRENCH_REGIONS,
  type ReportIndicators,
  type ReportQuery,
  type ReportSummary,
  type UserRole,
} from '@lien/shared';
import { toApiError } from '../core/api-error';
import { fileSaver } from '../core/save-file';
import { AuthService, allowed } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import type { TranslationKey } from '../i18n/fr';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { ChartComponent, type ChartSpec } from '../ui/chart.component';
import { addMonths, dayIn } from '../parents/enrolment-form';
import {
  bandsChart,
  cascadeChart,
  funnelChart,
  severitiesChart,
  trendsChart,
  type ChartText,
} from './report-charts';
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
import { ReportTable, type ReportTableRow, type ReportTableSpec } from './report-table.component';
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
    LienDateField,
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
  private readonly saveFile = fileSaver();
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
  protected readonly canExport = allowed('reports.export');

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
  /** One table of the page: its rows from the report's total (none while loading), its texts translated. */
  private readonly table = (table: {
    caption: TranslationKey;
    rowHeader: TranslationKey;
    columns: (t: Translate) => string[];
    rows: (total: ReportIndicators, t: Translate) => ReportTableRow[];
    empty?: TranslationKey;
    testId: string;
  }) =>
    computed<ReportTableSpec>(() => {
      const total = this.total();
      const t = this.i18n.t;
      return {
        caption: t(table.caption),
        rowHeader: t(table.rowHeader),
        columns: table.columns(t),
        rows: total ? table.rows(total, t) : [],
        ...(table.empty ? { empty: t(table.empty) } : {}),
        testId: table.testId,
      };
    });
  private readonly columns =
    (...keys: TranslationKey[]) =>
    (t: Translate) =>
      keys.map((key) => t(key));
  protected readonly cascadeTable = this.table({
    caption: 'reports.cascade.title',
    rowHeader: 'reports.step',
    columns: cascadeColumns,
    rows: cascadeRows,
    testId: 'report-cascade',
  });
  protected readonly sourceTable = this.table({
    caption: 'reports.bySource',
    rowHeader: 'reports.source',
    columns: this.columns('reports.selfScreenings', 'reports.positive', 'reports.contactRequests'),
    rows: sourceRows,
    empty: 'reports.noData',
    testId: 'report-sources',
  });
  protected readonly profileTable = this.table({
    caption: 'reports.byProfile',
    rowHeader: 'reports.profile',
    columns: this.columns('reports.selfScreenings'),
    rows: profileRows,
    testId: 'report-screening-profiles',
  });
  protected readonly contactTable = this.table({
    caption: 'reports.contactBreakdown',
    rowHeader: 'reports.breakdown',
    columns: this.columns('reports.contactRequests'),
    rows: contactRows,
    testId: 'report-contact-breakdown',
  });
  protected readonly waveTable = this.table({
    caption: 'reports.waves',
    rowHeader: 'reports.wave',
    columns: waveColumns,
    rows: waveRows,
    testId: 'report-waves',
  });

  private readonly chartText: ChartText = {
    t: this.i18n.t,
    cell: (cell, kind) => this.format.cell(cell, kind),
    gap: (cell, kind) => this.format.gap(cell, kind),
    month: (key) => this.formatter.format(key, 'month'),
  };
  private readonly chart = (build: (summary: ReportSummary | null, text: ChartText) => ChartSpec) =>
    computed(() => build(this.summary(), this.chartText));
  protected readonly funnel = this.chart(funnelChart);
  protected readonly trends = this.chart(trendsChart);
  protected readonly bands = this.chart(bandsChart);
  protected readonly severities = this.chart(severitiesChart);
  protected readonly cascadeChart = this.chart(cascadeChart);

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
      this.saveFile(blob, name);
    } catch {
      this.downloadError.set(true);
    } finally {
      this.downloading.set(false);
    }
  }
}
