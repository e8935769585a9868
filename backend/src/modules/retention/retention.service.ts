import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService } from '../audit/audit.service.js';
import {
  noPurgedRows,
  noPurgedScreeningRows,
  type PurgedRows,
  type PurgedScreeningRows,
  RetentionRepository,
} from './retention.repository.js';

const DAY_MS = 86_400_000;

/** Parents per transaction: a first run over a large backlog never holds many locks for long. */
export const RETENTION_BATCH_SIZE = 500;

/** Monthly audit partitions kept ready beyond the current month. */
export const AUDIT_PARTITIONS_AHEAD = 3;

export interface RetentionPurgeResult {
  /** True when another process was purging: this run did nothing. */
  busy: boolean;
  /** Activity strictly before this instant is over the retention period. */
  cutoff: Date;
  rows: PurgedRows;
  /** Contact requests (with their parentless alerts and those alerts' events) and self-screenings deleted. */
  screening: PurgedScreeningRows;
  batches: number;
}

/**
 * The retention purge (RETENTION_DAYS): hard-deletes the parents whose follow-up has been over for more than
 * the retention period, with everything that belongs to them: invitations, their links and SMS (and the dev
 * outbox's copies), responses, alerts and their follow-up events. Then the self-screening side: contact requests
 * (an encrypted identity) whose alerts are all closed, parentless and past the period, with those alerts and their
 * follow-up events, and the anonymous self-screenings past the period that no kept contact request points to
 * (the screening sources' counts in the console then cover the retention period only).
 *
 * "Over for more than the period": nothing live (no alert other than closed, no invitation planned, sent or
 * opened, no SMS pending, sending, of unknown outcome or queued) and every activity date strictly older than
 * now − RETENTION_DAYS (days of 24 hours); the dates are listed in retention.repository.ts. A parent whose
 * last activity is exactly at the cutoff is kept.
 *
 * Reports do not change: the purge's deletions are not tracked by the report triggers, so the rollups keep
 * the purged parents' counts (and report_contact_times their alerts' contact times). Limitation: a later
 * report_rebuild of an organisation (its time zone changed, or a manual rebuild) recomputes from the source
 * rows, and the purged parents then drop out of that organisation's rebuilt history.
 * Two report tables do follow the purge's deletions, as their figures always did: the births whose parents
 * were both screened (report_birth_households) and the care cascade's screened answers (report_screened_answers).
 *
 * The audit log is kept (its rows hold ids, field names and statuses, never names or phones). Each run that
 * purged someone writes one `retention.purge` event: the cutoff and the counts, no ids or names. Logs carry
 * counts only.
 */
function purgedAny(rows: PurgedRows, screening: PurgedScreeningRows): boolean {
  return rows.parents > 0 || screening.contactRequests > 0 || screening.selfScreenings > 0;
}

@Injectable()
export class RetentionPurgeService {
  private readonly logger = new Logger('RetentionPurge');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repository: RetentionRepository,
    private readonly audit: AuditService,
  ) {}

  /** The instant before which activity is past the retention period. */
  cutoff(): Date {
    return new Date(this.clock.now().getTime() - this.config.retentionDays * DAY_MS);
  }

  /**
   * Purges in batches until nothing eligible is left (or `signal` asks to stop, between batches). Safe to run
   * anywhere at any time: under an advisory lock, and a second run finds nothing to do.
   */
  async run(signal?: AbortSignal): Promise<RetentionPurgeResult> {
    const cutoff = this.cutoff();
    const rows = noPurgedRows();
    const screening = noPurgedScreeningRows();
    const byOrganisation = new Map<string, number>();
    let batches = 0;
    const outcome = await this.repository.withPurgeLock(async (session) => {
      try {
        while (!signal?.aborted) {
          const batch = await session.purgeBatch(cutoff, RETENTION_BATCH_SIZE);
          batches += 1;
          for (const key of Object.keys(rows) as (keyof PurgedRows)[]) rows[key] += batch.rows[key];
          for (const [organisationId, count] of batch.byOrganisation)
            byOrganisation.set(organisationId, (byOrganisation.get(organisationId) ?? 0) + count);
          // Fewer candidates than a batch: none left. None purged: the rest are busy, retried next run.
          if (batch.candidates < RETENTION_BATCH_SIZE || batch.rows.parents === 0) break;
        }
        // After the parents: an enrolled request's alert has gone with its parent, so the request can go too.
        while (!signal?.aborted) {
          const batch = await session.purgeScreeningBatch(cutoff, RETENTION_BATCH_SIZE);
          for (const key of Object.keys(screening) as (keyof PurgedScreeningRows)[])
            screening[key] += batch.rows[key];
          const purged = batch.rows.contactRequests + batch.rows.selfScreenings;
          if (batch.candidates < RETENTION_BATCH_SIZE || purged === 0) break;
        }
      } finally {
        // Committed batches are recorded even when a later one failed.
        if (purgedAny(rows, screening)) await this.record(cutoff, rows, screening, byOrganisation, batches);
      }
      return 'done' as const;
    });
    const result = { busy: outcome === null, cutoff, rows, screening, batches };
    if (purgedAny(rows, screening))
      this.logger.log({ cutoff: cutoff.toISOString(), ...rows, ...screening, batches }, 'Retention purge');
    return result;
  }

  /**
   * The worker's hourly pass (`maintenance.purge`): the purge, then, unless `signal` asks to stop, the audit
   * partitions.
   */
  async scheduledPass(signal: AbortSignal): Promise<RetentionPurgeResult> {
    const result = await this.run(signal);
    if (result.busy) this.logger.debug('Retention purge running elsewhere');
    if (!signal.aborted) await this.maintainAuditPartitions();
    return result;
  }

  /**
   * The audit log's monthly partitions (UTC): creates the current month and the next AUDIT_PARTITIONS_AHEAD
   * ones, and detaches those older than AUDIT_RETENTION_MONTHS (the current month counts as the last one
   * kept). Detached months stay in the database as standalone append-only tables until archived and dropped
   * (README, "Scaling PostgreSQL"); each run that changed something writes one `audit.partitions` event.
   */
  async maintainAuditPartitions(): Promise<{ created: string[]; detached: string[] }> {
    const now = this.clock.now();
    const month = (offset: number) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
    const ahead = Array.from({ length: AUDIT_PARTITIONS_AHEAD + 1 }, (_, i) => month(i));
    const created = await this.repository.ensureAuditPartitions(ahead);
    const detached = await this.repository.detachAuditPartitionsBefore(
      month(-this.config.postgres.auditRetentionMonths),
    );
    if (created.length > 0 || detached.length > 0) {
      this.logger.log({ created, detached }, 'Audit partitions');
      await this.audit.record(
        { actorId: null, organisationId: null },
        {
          action: 'audit.partitions',
          metadata: { created, detached, auditRetentionMonths: this.config.postgres.auditRetentionMonths },
        },
      );
    }
    return { created, detached };
  }

  private async record(
    cutoff: Date,
    rows: PurgedRows,
    screening: PurgedScreeningRows,
    byOrganisation: Map<string, number>,
    batches: number,
  ): Promise<void> {
    await this.audit.record(
      { actorId: null, organisationId: null },
      {
        action: 'retention.purge',
        metadata: {
          cutoff: cutoff.toISOString(),
          retentionDays: this.config.retentionDays,
          ...rows,
          ...screening,
          batches,
          parentsByOrganisation: Object.fromEntries(byOrganisation),
        },
      },
    );
  }
}
