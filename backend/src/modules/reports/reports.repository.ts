import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { withAdvisoryLock } from '../../database/advisory-lock.js';
import { ReadReplica } from '../../database/read-replica.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { BirthCounts, ContactTimeStats } from './report-indicators.js';
import type { PeriodSplit } from './report-query.js';
import {
  NO_SCREENING_FACTS,
  type CascadeFact,
  type ContactRequestFact,
  type MedianFact,
  type ScreeningFacts,
  type SelfScreeningFact,
} from './report-screening.js';
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
  /** Self-screenings, contact requests and the care cascade by group, plus the whole scope under `null`. */
  screening: Map<string | null, ScreeningFacts>;
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
      // organisation's time zone; "both screened" when two of its parents or more have answered. One row per
      // household in report_birth_households, kept by triggers (migration 1796425083433); the first-consent
      // bounds two days wider than the period only let an index help.
      const birthRows = (await runner.query(
        `SELECT ${grouping === 'none' ? 'NULL::text' : contactKey} AS grp,
                ${grouping === 'none' ? '1' : `GROUPING(${contactKey})`} AS is_total,
                count(*)::float8 AS births,
                (count(*) FILTER (WHERE x.both_screened))::float8 AS both_screened
         FROM (
           SELECT b.organisation_id, b.both_screened, report_local_day(b.first_consent_at, og.time_zone) AS day
             FROM report_birth_households b JOIN organisations og ON og.id = b.organisation_id
            WHERE b.first_consent_at >= ($1::date - 2) AND b.first_consent_at < ($2::date + 3)
              AND ($3::uuid[] IS NULL OR b.organisation_id = ANY($3::uuid[]))
         ) x ${grouping === 'departement' ? 'JOIN organisations o ON o.id = x.organisation_id' : ''}
         WHERE x.day >= $1::date AND x.day <= $2::date
         GROUP BY ${grouped}`,
        [period.from, period.to, organisationIds],
      )) as Record<string, unknown>[];
      const screening = await this.readScreeningOn(runner, period, organisationIds, grouping);
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
      return { lines, contactTimes, births, screening };
    } catch (error) {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Self-screenings, contact requests and the care cascade, from their source tables (in the rollups'
   * snapshot), each dated on its organisation's local day (the zone the rollups use). A self-screening
   * belongs to its source's organisation or, without a source, to the one its contact request went to.
   */
  private async readScreeningOn(
    runner: QueryRunner,
    period: PeriodSplit,
    organisationIds: string[] | null,
    grouping: RollupGrouping,
  ): Promise<Map<string | null, ScreeningFacts>> {
    const key = GROUP_KEY[grouping];
    const params = [period.from, period.to, organisationIds];
    // The day filter is on the local day; the created_at bounds two days wider only let an index help.
    const near = (column: string) => `${column} >= ($1::date - 2) AND ${column} < ($2::date + 3)`;
    // Each organisation's zone, joined once (hashed), not looked up row by row; Europe/Paris without one.
    const zones = `(SELECT o.id AS organisation_id, coalesce(z.time_zone, 'Europe/Paris') AS tz
      FROM organisations o LEFT JOIN report_organisation_zones z ON z.organisation_id = o.id)`;
    const inScope = `x.day >= $1::date AND x.day <= $2::date AND ($3::uuid[] IS NULL OR x.organisation_id = ANY($3::uuid[]))`;

    const screeningRows = (await runner.query(
      `SELECT ${key} AS grp, x.source_code, x.source_name, x.role, x.band, x.item10_positive, count(*)::float8 AS n
         FROM (
           SELECT s.source_code, src.name AS source_name, s.role, s.band, s.item10_positive, y.organisation_id,
                  report_local_day(s.created_at, coalesce(zn.tz, 'Europe/Paris')) AS day
             FROM self_screenings s
             LEFT JOIN screening_sources src ON src.id = s.source_id
             CROSS JOIN LATERAL (
               SELECT coalesce(src.organisation_id,
                 (SELECT c.organisation_id FROM contact_requests c WHERE c.screening_id = s.id
                   ORDER BY c.created_at, c.id LIMIT 1)) AS organisation_id
             ) y
             LEFT JOIN ${zones} zn ON zn.organisation_id = y.organisation_id
            WHERE ${near('s.created_at')}
         ) x LEFT JOIN organisations o ON o.id = x.organisation_id
        WHERE ${inScope}
        GROUP BY 1, 2, 3, 4, 5, 6`,
      params,
    )) as Record<string, unknown>[];

    const requests = `
      SELECT c.organisation_id, c.channel, c.created_at,
             CASE WHEN c.routing = 'invited' THEN 'invited' ELSE 'self_screening' END AS origin,
             s.source_code, src.name AS source_name, c.status = 'enrolled' AS enrolled,
             a.first_contact_at, a.in_care_at,
             report_local_day(c.created_at, zn.tz) AS day
        FROM contact_requests c
        JOIN ${zones} zn ON zn.organisation_id = c.organisation_id
        LEFT JOIN self_screenings s ON s.id = c.screening_id
        LEFT JOIN screening_sources src ON src.id = s.source_id
        LEFT JOIN LATERAL (
          SELECT a.first_contact_at, a.in_care_at FROM alerts a WHERE a.contact_request_id = c.id
           ORDER BY a.created_at, a.id LIMIT 1
        ) a ON true
       WHERE ${near('c.created_at')}`;
    const requestRows = (await runner.query(
      `SELECT ${key} AS grp, x.channel, x.origin, x.source_code, x.source_name,
              x.first_contact_at IS NOT NULL AS reached, x.enrolled, x.in_care_at IS NOT NULL AS in_care,
              count(*)::float8 AS n
         FROM (${requests}) x LEFT JOIN organisations o ON o.id = x.organisation_id
        WHERE ${inScope}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
      params,
    )) as Record<string, unknown>[];
    const sets = grouping === 'none' ? '()' : `GROUPING SETS ((${key}), ())`;
    const isTotal = grouping === 'none' ? '1' : `GROUPING(${key})`;
    const grp = grouping === 'none' ? 'NULL::text' : key;
    const requestMedians = (await runner.query(
      `SELECT ${grp} AS grp, ${isTotal} AS is_total, count(*)::float8 AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.first_contact_at - x.created_at)) AS median
         FROM (${requests}) x LEFT JOIN organisations o ON o.id = x.organisation_id
        WHERE ${inScope} AND x.first_contact_at IS NOT NULL
        GROUP BY ${sets}`,
      params,
    )) as Record<string, unknown>[];

    // The cascade: one line per enrolled parent who answered in the period, with their first positive alert
    // of the period. Steps are cumulative (a referral or care counts the parent as reached).
    const cascadeSets =
      grouping === 'none'
        ? 'GROUPING SETS ((x.role), ())'
        : `GROUPING SETS ((${key}, x.role), (${key}), (x.role), ())`;
    const delay = (to: string, from: string) =>
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM ${to} - ${from}))) FILTER (WHERE ${to} IS NOT NULL AND ${from} IS NOT NULL)`;
    const sample = (to: string, from: string) =>
      `(count(*) FILTER (WHERE ${to} IS NOT NULL AND ${from} IS NOT NULL))::float8`;
    const cascadeRows = (await runner.query(
      `WITH screened AS (
         -- One line per parent (their role when they answered), from the answers alone: their narrow copy in
         -- report_screened_answers (kept by triggers on responses, migration 1796425083433).
         SELECT r.organisation_id, r.parent_id, min(r.role) AS role, min(zn.tz) AS tz,
                min(report_local_day(r.created_at, zn.tz)) AS day,
                bool_or(r.positive) AS positive
           FROM report_screened_answers r JOIN ${zones} zn ON zn.organisation_id = r.organisation_id
          WHERE ${near('r.created_at')} AND ($3::uuid[] IS NULL OR r.organisation_id = ANY($3::uuid[]))
            AND report_local_day(r.created_at, zn.tz) BETWEEN $1::date AND $2::date
          GROUP BY r.organisation_id, r.parent_id
       )
       SELECT ${grp} AS grp, ${grouping === 'none' ? '1' : `GROUPING(${key})`} AS all_groups,
              GROUPING(x.role) AS all_roles, x.role,
              count(*)::float8 AS screened,
              (count(*) FILTER (WHERE x.positive))::float8 AS positive,
              (count(*) FILTER (WHERE x.reached))::float8 AS reached,
              (count(*) FILTER (WHERE x.referred))::float8 AS referred,
              (count(*) FILTER (WHERE x.in_care))::float8 AS in_care,
              (count(*) FILTER (WHERE x.first_contact_at <= x.contact_due_at))::float8 AS within_deadline,
              ${sample('x.first_contact_at', 'x.alerted_at')} AS n1, ${delay('x.first_contact_at', 'x.alerted_at')} AS m1,
              ${sample('x.referred_at', 'x.first_contact_at')} AS n2, ${delay('x.referred_at', 'x.first_contact_at')} AS m2,
              ${sample('x.in_care_at', 'x.referred_at')} AS n3, ${delay('x.in_care_at', 'x.referred_at')} AS m3
         FROM (
           SELECT s.organisation_id, s.day, s.role, s.positive,
                  a.created_at AS alerted_at, a.first_contact_at, a.referred_at, a.in_care_at, a.contact_due_at,
                  (a.first_contact_at IS NOT NULL OR a.referred_at IS NOT NULL OR a.in_care_at IS NOT NULL) AS reached,
                  (a.referred_at IS NOT NULL OR a.in_care_at IS NOT NULL) AS referred,
                  a.in_care_at IS NOT NULL AS in_care
             FROM screened s
             LEFT JOIN LATERAL (
               SELECT a.created_at, a.first_contact_at, a.referred_at, a.in_care_at, a.contact_due_at
                 FROM alerts a
                WHERE s.positive AND a.parent_id = s.parent_id AND report_alert_positive(a.reasons)
                  AND report_local_day(a.created_at, s.tz) BETWEEN $1::date AND $2::date
                ORDER BY a.created_at, a.id LIMIT 1
             ) a ON true
         ) x LEFT JOIN organisations o ON o.id = x.organisation_id
        GROUP BY ${cascadeSets}`,
      params,
    )) as Record<string, unknown>[];

    const facts = new Map<string | null, ScreeningFacts>();
    const of = (group: string | null): ScreeningFacts => {
      let entry = facts.get(group);
      if (!entry) {
        entry = { ...NO_SCREENING_FACTS, selfScreenings: [], contactRequests: [], cascade: {} };
        facts.set(group, entry);
      }
      return entry;
    };
    // Codes, names and group keys come back as text (or null).
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    for (const row of screeningRows) {
      const fact = {
        source: text(row.source_code) ?? 'unknown',
        name: text(row.source_name),
        role: row.role,
        band: row.band,
        item10Positive: row.item10_positive === true,
        count: Number(row.n),
      } as SelfScreeningFact;
      of(null).selfScreenings.push(fact);
      // Outside any group: the platform-wide total only (a screening no organisation holds).
      if (grouping !== 'none' && text(row.grp) !== null) of(text(row.grp)).selfScreenings.push(fact);
    }
    for (const row of requestRows) {
      const fact = {
        channel: row.channel,
        origin: row.origin,
        source: text(row.source_code),
        name: text(row.source_name),
        reached: row.reached === true,
        enrolled: row.enrolled === true,
        inCare: row.in_care === true,
        count: Number(row.n),
      } as ContactRequestFact;
      of(null).contactRequests.push(fact);
      if (grouping !== 'none' && text(row.grp) !== null) of(text(row.grp)).contactRequests.push(fact);
    }
    const median = (n: unknown, value: unknown): MedianFact => ({
      sample: Number(n ?? 0),
      medianSeconds: value === null || value === undefined ? null : Number(value),
    });
    for (const row of requestMedians) {
      of(Number(row.is_total) === 1 ? null : text(row.grp)).contactMedian = median(row.n, row.median);
    }
    for (const row of cascadeRows) {
      const group = Number(row.all_groups) === 1 ? null : text(row.grp);
      const role =
        Number(row.all_roles) === 1 ? 'all' : (String(row.role) as keyof ScreeningFacts['cascade']);
      const fact: CascadeFact = {
        screened: Number(row.screened),
        positive: Number(row.positive),
        reached: Number(row.reached),
        referred: Number(row.referred),
        inCare: Number(row.in_care),
        withinDeadline: Number(row.within_deadline),
        positiveToReached: median(row.n1, row.m1),
        reachedToReferred: median(row.n2, row.m2),
        referredToInCare: median(row.n3, row.m3),
      };
      of(group).cascade[role] = fact;
    }
    return facts;
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
