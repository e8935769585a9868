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
  type ReportCell,
  type ReportCellKind,
  type ReportQuery,
  type ReportSummary,
} from '@lien/shared';
import { toApiError } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import { FormatService } from '../i18n/format.service';
import type { TranslationKey } from '../i18n/fr';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { ChartComponent, type ChartSpec } from '../ui/chart.component';
import { parentRoleKey, severityKey, waveLabel } from '../ui/labels';
import { addMonths, dayIn } from '../parents/enrolment-form';
import { formatMinutes, plotValue, renderCell, suppressionReasonKey } from './report-cells';
import { ReportsApi } from './reports-api';
import { LienIcon } from '../ui/icon';

interface Tile {
  label: TranslationKey;
  cell: ReportCell;
  kind: ReportCellKind;
  testId: string;
}

/** Default period: the last twelve months, from the first day of the month eleven months ago to today. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: `${addMonths(today, -11).slice(0, 7)}-01`, to: today };
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
    TranslatePipe,
    ChartComponent,
  ],
  template: `
    <div class="page-header">
      <h1>{{ 'reports.title' | t }}</h1>
      @if (canExport()) {
        <div class="actions-row">
          <mat-form-field class="separator" subscriptSizing="dynamic">
            <mat-label>{{ 'reports.separator' | t }}</mat-label>
            <mat-select
              [value]="separator()"
              (valueChange)="separator.set($event)"
              data-testid="reports-separator"
            >
              <mat-option value="semicolon">{{ 'reports.semicolon' | t }}</mat-option>
              <mat-option value="comma">{{ 'reports.comma' | t }}</mat-option>
            </mat-select>
          </mat-form-field>
          <button
            mat-stroked-button
            type="button"
            (click)="download()"
            [disabled]="downloading()"
            data-testid="reports-download"
          >
            <lien-icon name="download" />{{ 'reports.download' | t }}
          </button>
        </div>
      }
    </div>
    <p class="muted">{{ 'reports.privacy' | t }}</p>

    <form
      class="filters"
      (submit)="$event.preventDefault(); apply(from.value, to.value)"
      data-testid="reports-filters"
      [attr.aria-label]="'reports.filters' | t"
    >
      <lien-date-field
        #from
        [label]="'reports.from' | t"
        [value]="query().from ?? ''"
        testId="reports-from"
      />
      <lien-date-field #to [label]="'reports.to' | t" [value]="query().to ?? ''" testId="reports-to" />
      @if (territories().length) {
        <mat-form-field class="wide">
          <mat-label>{{ 'reports.territory' | t }}</mat-label>
          <mat-select
            multiple
            [value]="territory()"
            (valueChange)="territory.set($event)"
            data-testid="reports-territory"
          >
            @for (item of territories(); track item) {
              <mat-option [value]="item">{{ territoryLabel(item) }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      }
      @if (organisations.value().length > 1) {
        <mat-form-field class="wide">
          <mat-label>{{ 'reports.organisation' | t }}</mat-label>
          <mat-select
            [value]="organisationId()"
            (valueChange)="organisationId.set($event)"
            data-testid="reports-organisation"
          >
            <mat-option value="">{{ 'reports.allOrganisations' | t }}</mat-option>
            @for (organisation of organisations.value(); track organisation.id) {
              <mat-option [value]="organisation.id"
                >{{ organisation.name }} ({{ organisation.departement }})</mat-option
              >
            }
          </mat-select>
        </mat-form-field>
      }
      <button mat-flat-button type="submit" data-testid="reports-apply">{{ 'reports.apply' | t }}</button>
    </form>

    <p role="status" class="visually-hidden">{{ statusText() }}</p>
    @if (downloadError()) {
      <p role="alert" class="error-text">{{ 'reports.downloadFailed' | t }}</p>
    }
    @if (report.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (report.error(); as error) {
      <p role="alert" class="error-text" data-testid="reports-error">{{ errorKey(error) | t }}</p>
    } @else if (summary(); as s) {
      <section [attr.aria-label]="'reports.indicators' | t">
        <ul class="tiles" data-testid="report-tiles">
          @for (tile of tiles(); track tile.testId) {
            <li class="tile" [attr.data-testid]="'tile-' + tile.testId">
              <span class="tile-value" [attr.title]="reasonText(tile.cell)">{{
                cell(tile.cell, tile.kind)
              }}</span>
              @if (reasonText(tile.cell); as reason) {
                <span class="visually-hidden">{{ reason }}</span>
              }
              <span class="tile-label">{{ tile.label | t }}</span>
            </li>
          }
        </ul>
        <p class="muted small">{{ 'reports.suppression' | t: { threshold: s.suppressionThreshold } }}</p>
        @if (s.roundingBase > 1) {
          <p class="muted small" data-testid="reports-rounded">
            {{ 'reports.rounded' | t: { base: s.roundingBase } }}
          </p>
        }
      </section>

      <div class="charts">
        <lien-chart [spec]="funnel()" [caption]="'reports.funnel' | t" testId="chart-funnel" />
        <lien-chart [spec]="trends()" [caption]="'reports.trends' | t" testId="chart-trends" />
        <lien-chart [spec]="bands()" [caption]="'reports.bandsByRole' | t" testId="chart-bands" />
        <lien-chart
          [spec]="severities()"
          [caption]="'reports.alertsBySeverity' | t"
          testId="chart-severities"
        />
      </div>

      <section aria-labelledby="waves-title">
        <h2 id="waves-title">{{ 'reports.waves' | t }}</h2>
        <div class="table-scroll" tabindex="0" role="region" [attr.aria-label]="'common.scrollableTable' | t">
          <table class="data-table" data-testid="report-waves">
            <caption class="visually-hidden">
              {{
                'reports.waves' | t
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'reports.wave' | t }}</th>
                <th scope="col" class="num">{{ 'reports.planned' | t }}</th>
                <th scope="col" class="num">{{ 'reports.sent' | t }}</th>
                <th scope="col" class="num">{{ 'reports.delivered' | t }}</th>
                <th scope="col" class="num">{{ 'reports.opened' | t }}</th>
                <th scope="col" class="num">{{ 'reports.answered' | t }}</th>
                <th scope="col" class="num">{{ 'reports.responseRate' | t }}</th>
              </tr>
            </thead>
            <tbody>
              @for (wave of s.total.invitations.byWave; track wave.wave) {
                <tr>
                  <th scope="row">{{ waveName(wave.wave) }}</th>
                  <td class="num">{{ cell(wave.planned, 'count') }}</td>
                  <td class="num">{{ cell(wave.sent, 'count') }}</td>
                  <td class="num">{{ cell(wave.delivered, 'count') }}</td>
                  <td class="num">{{ cell(wave.opened, 'count') }}</td>
                  <td class="num">{{ cell(wave.answered, 'count') }}</td>
                  <td class="num" [attr.title]="reasonText(wave.responseRate)">
                    {{ cell(wave.responseRate, 'rate') }}
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </section>
    }
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
      margin-bottom: 8px;
    }
    .wide {
      min-width: 260px;
    }
    .separator {
      width: 280px;
    }
    .tiles {
      list-style: none;
      padding: 0;
      margin: 8px 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
      gap: 12px;
    }
    .tile {
      display: flex;
      flex-direction: column-reverse;
      gap: 4px;
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .tile-value {
      font: var(--mat-sys-headline-small);
      font-variant-numeric: tabular-nums;
    }
    .tile-label {
      color: var(--mat-sys-on-surface-variant);
    }
    .small {
      font-size: 0.875rem;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
      gap: 16px 32px;
      margin-top: 16px;
    }
    @media (max-width: 599px) {
      .charts {
        grid-template-columns: 1fr;
      }
    }
  `,
})
export class ReportsPage {
  private readonly api = inject(ReportsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);
  private readonly document = inject(DOCUMENT);

  private readonly today = dayIn(this.formatter.timeZone(), new Date());
  protected readonly query = signal<ReportQuery>({ ...defaultPeriod(this.today), groupBy: 'month' });
  protected readonly territory = signal<string[]>([]);
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

  protected readonly tiles = computed<Tile[]>(() => {
    const total = this.summary()?.total;
    if (!total) return [];
    return [
      { label: 'reports.enrolled', cell: total.parents.enrolled, kind: 'count', testId: 'enrolled' },
      {
        label: 'reports.enrolledMothers',
        cell: total.parents.enrolledByRole.mother,
        kind: 'count',
        testId: 'mothers',
      },
      {
        label: 'reports.enrolledFathers',
        cell: total.parents.enrolledByRole.father,
        kind: 'count',
        testId: 'fathers',
      },
      {
        label: 'reports.bothParentsScreened',
        cell: total.parents.bothParentsScreenedRate,
        kind: 'rate',
        testId: 'both-parents-screened',
      },
      { label: 'reports.sent', cell: total.invitations.all.sent, kind: 'count', testId: 'sent' },
      {
        label: 'reports.responseRate',
        cell: total.invitations.all.responseRate,
        kind: 'rate',
        testId: 'response-rate',
      },
      {
        label: 'reports.positiveRate',
        cell: total.responses.all.positiveRate,
        kind: 'rate',
        testId: 'positive-rate',
      },
      { label: 'reports.item10', cell: total.responses.all.item10Positive, kind: 'count', testId: 'item10' },
      {
        label: 'reports.reachedRate',
        cell: total.alerts.positiveReachedRate,
        kind: 'rate',
        testId: 'reached-rate',
      },
      {
        label: 'reports.medianContact',
        cell: total.alerts.timeToFirstContact.medianMinutes,
        kind: 'minutes',
        testId: 'median-contact',
      },
      { label: 'reports.inCare', cell: total.alerts.inCare, kind: 'count', testId: 'in-care' },
      { label: 'reports.optedOut', cell: total.parents.optedOut, kind: 'count', testId: 'opted-out' },
      { label: 'reports.deliveryRate', cell: total.sms.deliveryRate, kind: 'rate', testId: 'delivery-rate' },
      { label: 'reports.segments', cell: total.sms.segments, kind: 'count', testId: 'segments' },
    ];
  });

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

  /** Why a figure is hidden, read out after it (and shown on hover); null when it is shown. */
  protected reasonText(cell: ReportCell | null | undefined): string | null {
    const key = suppressionReasonKey(cell);
    return key ? this.i18n.t(key) : null;
  }

  protected waveName(wave: string): string {
    return waveLabel(wave, this.i18n.t);
  }

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
