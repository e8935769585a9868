import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withAdvisoryLock } from '../../database/advisory-lock.js';
import { ReadReplica } from '../../database/read-replica.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { BirthCounts, ContactTimeStats } from './report-indicators.js';
import type { PeriodSplit } from './report-query.js';
import {
  isRollupSubject,
  PLATFORM_ROLLUP_ID,
  ROLLUP_COUNTER_COLUMNS,
  type RollupLine,
} from './rollup-catalogue.js';

/** Shared with the migration's report_compact(): compaction, rebuilds and the bench never overlap. */
export const ROLLUP_LOCK_KEY = 7_310_555_801;

export type RollupGrouping = 'none' | 'month' | 'organisation' | 'departement';

export interface ReportOrganisation {
  id: string;
  name: string;
  departement: string;
  region: string;
}

export interface GroupedRollups {
  lines: (RollupLine & { group: string })[];
  /** Time to first contact by group, plus the whole scope under `null`. */
  contactTimes: Map<string | null, ContactTimeStats>;
  /** Births followed and those where both parents were screened, by group, plus the whole scope under `null`. */
  births: Map<string | null, BirthCounts>;
}

/** Fixed SQL fragments per grouping (never user input). `x` is the rollup row, `o` its organisation. */
const GROUP_KEY: Record<RollupGrouping, string> = {
  none: `''::text`,
  month: `to_char(x.day, 'YYYY-MM')`,
  organisation: `x.organisation_id::text`,
  departement: `o.departement::text`,
};

const SUMS = ROLLUP_COUNTER_COLUMNS.map((c) => `sum(x.${c})::float8 AS ${c}`).join(', ');
const COLUMNS = `organisation_id, subject, dim1, dim2, ${ROLLUP_COUNTER_COLUMNS.join(', ')}`;

/**
 * The reports' only door to the database. Summaries read the rollups (monthly rows for whole months,
 * daily rows for the edges, the deltas not compacted yet) and the per-alert contact times; never the
 * source tables. Maintenance compacts deltas and rebuilds organisations whose time zone changed.
 */
@Injectable()
export class ReportsRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Absent in benches and unit tests that build the repository by hand: the primary serves. */
    @Optional() @Inject(ReadReplica) private readonly replica: ReadReplica | null = null,
  ) {}

  private read<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    return this.replica ? this.replica.read(work) : work(this.dataSource);
  }

  /** Every organisation with what reports need to scope and label (no settings, no people). Replica. */
  async listOrganisations(): Promise<ReportOrganisation[]> {
    return this.read((dataSource) =>
      dataSource.getRepository(OrganisationEntity).find({
        select: { id: true, name: true, departement: true, region: true },
        order: { name: 'ASC' },
      }),
    );
  }

  /**
   * Sums of the rollups over the period for the given organisations (null: every organisation), grouped.
   * One read-only snapshot for both queries; JIT off (it costs more than these queries). Read on the replica
   * when one is configured and within its lag bound (summaries and CSV exports both come here).
   */
  async readRollups(
    period: PeriodSplit,
    organisationIds: string[] | null,
    grouping: RollupGrouping,
  ): Promise<GroupedRollups> {
    return this.read((dataSource) => this.readRollupsOn(dataSource, period, organisationIds, grouping));
  }

  private async readRollupsOn(
    dataSource: DataSource,
    period: PeriodSplit,
    organisationIds: string[] | null,
    grouping: RollupGrouping,
  ): Promise<GroupedRollups> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      await runner.query(`SET LOCAL jit = off`);
      await runner.query(`SET LOCAL work_mem = '64MB'`);
      const key = GROUP_KEY[grouping];
      const join = grouping === 'departement' ? 'JOIN organisations o ON o.id = x.organisation_id' : '';
      // Everything, not broken down by organisation: the platform total's rows (plus every pending delta).
      // Everything by organisation or département: every organisation's rows. Otherwise the listed ones.
      const platformTotal = organisationIds === null && (grouping === 'none' || grouping === 'month');
      const scope =
        organisationIds !== null
          ? `organisation_id = ANY($5::uuid[])`
          : platformTotal
            ? `organisation_id = '${PLATFORM_ROLLUP_ID}'`
            : `organisation_id <> '${PLATFORM_ROLLUP_ID}'`;
      const deltaScope = organisationIds !== null ? scope : 'true';
      const rows = (await runner.query(
        `SELECT ${key} AS grp, x.subject, x.dim1, x.dim2, ${SUMS}
         FROM (
           SELECT month AS day, ${COLUMNS} FROM report_monthly
            WHERE month >= $3::date AND month < $4::date AND ${scope}
           UNION ALL
           SELECT day, ${COLUMNS} FROM report_daily
            WHERE ((day >= $1::date AND day < $3::date) OR (day >= $4::date AND day <= $2::date)) AND ${scope}
           UNION ALL
           SELECT day, ${COLUMNS} FROM report_delta
            WHERE day >= $1::date AND day <= $2::date AND ${deltaScope}
         ) x ${join}
         GROUP BY 1, 2, 3, 4`,
        organisationIds !== null
          ? [period.from, period.to, period.monthsFrom, period.monthsTo, organisationIds]
          : [period.from, period.to, period.monthsFrom, period.monthsTo],
      )) as Record<string, unknown>[];
      const contactKey = GROUP_KEY[grouping];
      const grouped = grouping === 'none' ? '()' : `GROUPING SETS ((${contactKey}), ())`;
      const contactRows = (await runner.query(
        `SELECT ${grouping === 'none' ? 'NULL::text' : contactKey} AS grp,
                ${grouping === 'none' ? '1' : `GROUPING(${contactKey})`} AS is_total,
                count(*)::float8 AS alerts,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY x.seconds) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY x.seconds) AS p90
         FROM report_contact_times x ${grouping === 'departement' ? 'JOIN organisations o ON o.id = x.organisation_id' : ''}
         WHERE x.day >= $1::date AND x.day <= $2::date AND ($3::uuid[] IS NULL OR x.organisation_id = ANY($3::uuid[]))
         GROUP BY ${grouped}`,
        [period.from, period.to, organisationIds],
      )) as Record<string, unknown>[];
      // Births: a household counts once (a parent alone is a birth too), dated by its first consent in the
      // organisation's time zone; "both screened" when two of its parents or more have answered.
      const birthRows = (await runner.query(
        `SELECT ${grouping === 'none' ? 'NULL::text' : contactKey} AS grp,
                ${grouping === 'none' ? '1' : `GROUPING(${contactKey})`} AS is_total,
                count(*)::float8 AS births,
                (count(*) FILTER (WHERE x.screened >= 2))::float8 AS both_screened
         FROM (
           SELECT p.organisation_id, report_local_day(min(p.consent_recorded_at), min(og.time_zone)) AS day,
                  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id)) AS screened
             FROM parents p JOIN organisations og ON og.id = p.organisation_id
            WHERE ($3::uuid[] IS NULL OR p.organisation_id = ANY($3::uuid[]))
            GROUP BY p.organisation_id, coalesce(p.household_id, p.id)
         ) x ${grouping === 'departement' ? 'JOIN organisations o ON o.id = x.organisation_id' : ''}
         WHERE x.day >= $1::date AND x.day <= $2::date
         GROUP BY ${grouped}`,
        [period.from, period.to, organisationIds],
      )) as Record<string, unknown>[];
      await runner.query('COMMIT');
      open = false;
      const births = new Map<string | null, BirthCounts>();
      for (const row of birthRows) {
        births.set(Number(row.is_total) === 1 ? null : String(row.grp), {
          births: Number(row.births),
          bothParentsScreened: Number(row.both_screened),
        });
      }

      const lines = rows.flatMap((row) => {
        const subject = String(row.subject);
        if (!isRollupSubject(subject)) return [];
        return [
          {
            group: String(row.grp),
            subject,
            dim1: String(row.dim1),
            dim2: String(row.dim2),
            counters: ROLLUP_COUNTER_COLUMNS.map((column) => Number(row[column] ?? 0)),
          },
        ];
      });
      const contactTimes = new Map<string | null, ContactTimeStats>();
      for (const row of contactRows) {
        const stats: ContactTimeStats = {
          alerts: Number(row.alerts),
          medianSeconds: row.median === null ? null : Number(row.median),
          p90Seconds: row.p90 === null ? null : Number(row.p90),
        };
        contactTimes.set(Number(row.is_total) === 1 ? null : String(row.grp), stats);
      }
      return { lines, contactTimes, births };
    } catch (error) {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Folds up to `batch` deltas into the daily and monthly rollups. Returns the number moved, or -1 when
   * another compaction or a rebuild is running.
   */
  async compact(batch: number): Promise<number> {
    const [row] = await this.dataSource.query<{ moved: number }[]>('SELECT report_compact($1) AS moved', [
      batch,
    ]);
    return Number(row?.moved ?? 0);
  }

  /** Deltas waiting for compaction. */
  async pendingDeltas(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM report_delta');
    return row?.n ?? 0;
  }

  /** Organisations never rebuilt, or whose time zone changed since: their rollups need a rebuild. */
  async organisationsToRebuild(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT o.id FROM organisations o LEFT JOIN report_organisation_zones z ON z.organisation_id = o.id
       WHERE z.source_time_zone IS DISTINCT FROM o.time_zone ORDER BY o.id`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Recomputes the rollups of the given organisations (null: all) from the source tables. Safe while the
   * application writes: the rollup lock is taken first, then one REPEATABLE READ snapshot serves the whole
   * rebuild, so a change committed meanwhile is in the source rows seen or in a delta kept, never both.
   */
  async rebuild(organisationIds: string[] | null): Promise<void> {
    // The lock is held by a transaction of its own (PgBouncer-safe, see withAdvisoryLock), so the rebuild's
    // snapshot is taken after the lock is granted.
    await withAdvisoryLock(this.dataSource, ROLLUP_LOCK_KEY, 'wait', async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await runner.query('SELECT report_rebuild($1::uuid[])', [organisationIds]);
        await runner.query('COMMIT');
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await runner.release();
      }
    });
  }
}
