import { Injectable } from '@nestjs/common';
import {
  SMALL_CELL_THRESHOLD,
  departementName,
  formatTerritoryItem,
  type ReportExportQuery,
  type ReportGroup,
  type ReportQuery,
  type ReportSummary,
} from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { scopeOf } from '../../common/auth/scope.js';
import { Clock } from '../../common/clock.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { renderReportCsv } from './report-csv.js';
import {
  countCellsByPath,
  disclosurePolicy,
  DisclosureSheet,
  type DisclosurePolicy,
} from './report-disclosure.js';
import { buildIndicators, NO_BIRTHS, NO_CONTACT_TIMES } from './report-indicators.js';
import { monthsOf, parseReportQuery, splitPeriod, type ReportFilter } from './report-query.js';
import { resolveReportScope, type ReportScope } from './report-scope.js';
import { ReportsRepository, type GroupedRollups, type ReportOrganisation } from './reports.repository.js';
import { RollupTotals } from './rollup-catalogue.js';

export interface ReportCsvFile {
  filename: string;
  body: Buffer;
}

/**
 * Coordinator reports: aggregates only, read from the rollups, scoped to the caller, with small cells
 * suppressed. No name, phone, answer or note can appear: the rollups hold none.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async summary(user: AuthUser, query: ReportQuery): Promise<ReportSummary> {
    const access = scopeOf(user);
    const policy = disclosurePolicy(access);
    const filter = parseReportQuery(query, this.clock.now(), policy.periodUnit);
    const scope = resolveReportScope(access, filter, await this.repository.listOrganisations());
    return this.summarise(filter, scope, policy);
  }

  /** The same report as CSV, audited as `report.export` (filters and line count only). */
  async exportCsv(user: AuthUser, query: ReportExportQuery, audit: AuditContext): Promise<ReportCsvFile> {
    const { separator = 'comma', ...reportQuery } = query;
    const summary = await this.summary(user, reportQuery);
    const csv = renderReportCsv(summary, separator);
    await this.audit.record(audit, {
      action: 'report.export',
      targetType: 'report',
      metadata: {
        from: summary.from,
        to: summary.to,
        territory: summary.territory,
        organisationId: summary.organisationId,
        groupBy: summary.groupBy,
        separator,
        organisations: summary.organisations,
        lines: csv.lines,
      },
    });
    return { filename: `lien-report-${summary.from}-${summary.to}.csv`, body: Buffer.from(csv.text, 'utf8') };
  }

  private async summarise(
    filter: ReportFilter,
    scope: ReportScope,
    policy: DisclosurePolicy,
  ): Promise<ReportSummary> {
    const grouping = filter.groupBy ?? 'none';
    const rollups: GroupedRollups =
      scope.organisations.length === 0
        ? { lines: [], contactTimes: new Map(), births: new Map(), screening: new Map() }
        : await this.repository.readRollups(
            splitPeriod(filter.from, filter.to),
            scope.everything ? null : scope.organisations.map((o) => o.id),
            grouping,
          );

    const total = new RollupTotals();
    const byGroup = new Map<string, RollupTotals>();
    for (const line of rollups.lines) {
      total.add(line);
      if (filter.groupBy === null) continue;
      let totals = byGroup.get(line.group);
      if (!totals) byGroup.set(line.group, (totals = new RollupTotals()));
      totals.add(line);
    }
    // One sheet for the total and every group: the group columns are tables whose total is the total.
    const sheet = new DisclosureSheet();
    const totalIndicators = buildIndicators(
      sheet,
      total,
      rollups.contactTimes.get(null) ?? NO_CONTACT_TIMES,
      rollups.births.get(null) ?? NO_BIRTHS,
      rollups.screening.get(null),
    );
    const group = (key: string, label: string, extra: Partial<ReportGroup> = {}): ReportGroup => ({
      key,
      label,
      ...extra,
      indicators: buildIndicators(
        sheet,
        byGroup.get(key) ?? new RollupTotals(),
        rollups.contactTimes.get(key) ?? NO_CONTACT_TIMES,
        rollups.births.get(key) ?? NO_BIRTHS,
        rollups.screening.get(key),
      ),
    });
    const withData = (key: string) =>
      byGroup.has(key) ||
      rollups.contactTimes.has(key) ||
      rollups.births.has(key) ||
      rollups.screening.has(key);

    let groups: ReportGroup[] = [];
    if (filter.groupBy === 'month') {
      groups = monthsOf(filter.from, filter.to).map((month) => group(month, month));
    } else if (filter.groupBy === 'organisation') {
      groups = scope.organisations
        .filter((o: ReportOrganisation) => withData(o.id))
        .map((o) => group(o.id, o.name, { departement: o.departement }));
    } else if (filter.groupBy === 'departement') {
      groups = [...new Set(scope.organisations.map((o) => o.departement))]
        .filter(withData)
        .sort()
        .map((code) => group(code, departementName(code)));
    }

    if (groups.length > 0) {
      const groupCells = groups.map((g) => countCellsByPath(g.indicators, sheet));
      const seen = new Set<object>();
      for (const [path, totalCell] of countCellsByPath(totalIndicators, sheet)) {
        if (seen.has(totalCell)) continue;
        seen.add(totalCell);
        sheet.table(
          totalCell,
          groupCells.flatMap((cells) => cells.get(path) ?? []),
        );
      }
    }
    sheet.protect(policy);

    return {
      from: filter.from,
      to: filter.to,
      groupBy: filter.groupBy,
      territory: filter.territory.map(formatTerritoryItem),
      organisationId: filter.organisationId,
      organisations: scope.organisations.length,
      suppressionThreshold: SMALL_CELL_THRESHOLD,
      roundingBase: policy.roundingBase,
      periodUnit: policy.periodUnit,
      generatedAt: this.clock.now().toISOString(),
      total: totalIndicators,
      groups,
    };
  }
}
