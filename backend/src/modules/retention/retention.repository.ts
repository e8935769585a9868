import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { withAdvisoryLock } from '../../database/advisory-lock.js';

/** One purge at a time across workers (advisory lock held for the whole run). */
export const RETENTION_LOCK_KEY = 7_310_555_901;

/**
 * Set (SET LOCAL) in the purge's transactions: the report triggers then ignore its deletions, so the rollups
 * keep counting purged parents (migrations/1763800700000-retention-purge-keeps-rollups.ts reads it).
 */
const PURGE_SETTING = 'lien.retention_purge';

/** A purge transaction waits at most this long for a row lock, then gives up until the next run. */
const LOCK_TIMEOUT = '10s';

/** Statuses that mean the follow-up is still under way: such a parent is never purged, however old. */
const LIVE_INVITATION_STATUSES = ['planned', 'sent', 'opened'];
/**
 * SMS still on their way out: waiting to be sent or being sent. An SMS accepted by the provider whose delivery
 * callback never came stays 'queued' (or 'unknown' when the send's outcome could not be checked): once its dates
 * are past the retention period it must not keep the parent's data forever.
 */
const LIVE_SMS_STATUSES = ['pending', 'sending'];

/** A calendar date (no time) counts as activity until the end of that day, UTC. */
const endOfDay = (column: string) => `((${column} + 1)::timestamp AT TIME ZONE 'UTC')`;

/**
 * The parent `p` can be purged with cutoff `$1`: nothing of theirs is still live, and every activity date is
 * strictly before the cutoff. The activity dates are those that say when the follow-up last moved: enrolment
 * (created_at, consent), status change (opt-out, withdrawal), birth date or expected term, each invitation's
 * due / sent / opened / completed / expiry dates, each SMS's due / sent / last attempt, each response, each
 * alert's creation, last change and closure, each follow-up event. `updated_at` of parents, invitations and SMS
 * is left out on purpose: technical rewrites (re-encryption, reconciliation) must not postpone the purge.
 */
const ELIGIBLE = `
  p.created_at < $1
  AND p.consent_recorded_at < $1
  AND (p.status_changed_at IS NULL OR p.status_changed_at < $1)
  AND (p.birth_date IS NULL OR ${endOfDay('p.birth_date')} < $1)
  AND (p.expected_term_date IS NULL OR ${endOfDay('p.expected_term_date')} < $1)
  AND NOT EXISTS (
    SELECT 1 FROM invitations i WHERE i.parent_id = p.id
      AND (i.status IN (${LIVE_INVITATION_STATUSES.map((s) => `'${s}'`).join(', ')})
           OR greatest(i.due_at, i.sent_at, i.opened_at, i.completed_at, i.expires_at) >= $1))
  AND NOT EXISTS (
    SELECT 1 FROM sms_messages s WHERE s.organisation_id = p.organisation_id AND s.parent_id = p.id
      AND (s.status IN (${LIVE_SMS_STATUSES.map((s) => `'${s}'`).join(', ')})
           OR greatest(s.due_at, s.sent_at, s.last_attempt_at) >= $1))
  AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id AND r.created_at >= $1)
  AND NOT EXISTS (
    SELECT 1 FROM alerts a WHERE a.parent_id = p.id
      AND (a.status <> 'closed' OR greatest(a.created_at, a.updated_at, a.closed_at) >= $1))
  AND NOT EXISTS (SELECT 1 FROM follow_up_events e WHERE e.parent_id = p.id AND e.created_at >= $1)`;

/**
 * The contact request `c` (self-screening or invited result page: an encrypted identity) can be purged with
 * cutoff `$1`: it and its consent are older than the cutoff, and every alert it raised is closed, has no parent
 * (an alert that follows an enrolled parent goes with that parent's purge; the request waits until then), and
 * has no activity (creation, change, closure, follow-up event) at or after the cutoff.
 */
const CONTACT_REQUEST_ELIGIBLE = `
  c.created_at < $1
  AND c.consented_at < $1
  AND NOT EXISTS (
    SELECT 1 FROM alerts a WHERE a.contact_request_id = c.id
      AND (a.parent_id IS NOT NULL OR a.status <> 'closed'
           OR greatest(a.created_at, a.updated_at, a.closed_at) >= $1))
  AND NOT EXISTS (
    SELECT 1 FROM follow_up_events e JOIN alerts a ON a.id = e.alert_id
     WHERE a.contact_request_id = c.id AND e.created_at >= $1)`;

/**
 * The anonymous self-screening `s` can be purged with cutoff `$1`: older than the cutoff, and no contact request
 * (kept because its alert is still open or recent) points to it. Contact requests go first in each run.
 */
const SELF_SCREENING_ELIGIBLE = `
  s.created_at < $1
  AND NOT EXISTS (SELECT 1 FROM contact_requests c WHERE c.screening_id = s.id)`;

/** Rows deleted by the screening part of the purge (contact requests, their alerts, self-screenings). */
export interface PurgedScreeningRows {
  contactRequests: number;
  contactRequestAlerts: number;
  contactRequestFollowUpEvents: number;
  selfScreenings: number;
}

export function noPurgedScreeningRows(): PurgedScreeningRows {
  return { contactRequests: 0, contactRequestAlerts: 0, contactRequestFollowUpEvents: 0, selfScreenings: 0 };
}

export interface ScreeningPurgeBatch {
  /** Contact requests and self-screenings found eligible by the search (before locking and re-checking). */
  candidates: number;
  rows: PurgedScreeningRows;
}

/** Rows deleted, per table. */
export interface PurgedRows {
  parents: number;
  invitations: number;
  invitationLinks: number;
  smsMessages: number;
  devSmsOutbox: number;
  responses: number;
  alerts: number;
  followUpEvents: number;
}

export interface PurgeBatch {
  /** Parents found eligible by the search (before locking and re-checking). */
  candidates: number;
  rows: PurgedRows;
  /** Parents purged per organisation. */
  byOrganisation: Map<string, number>;
}

export function noPurgedRows(): PurgedRows {
  return {
    parents: 0,
    invitations: 0,
    invitationLinks: 0,
    smsMessages: 0,
    devSmsOutbox: 0,
    responses: 0,
    alerts: 0,
    followUpEvents: 0,
  };
}

/** The purge's connection while it holds the retention lock. */
export interface PurgeSession {
  purgeBatch(cutoff: Date, size: number): Promise<PurgeBatch>;
  purgeScreeningBatch(cutoff: Date, size: number): Promise<ScreeningPurgeBatch>;
}

/**
 * The retention purge's door to the database. It works across organisations on purpose (a platform duty,
 * like the rollup maintenance): every statement is keyed by parent ids found by the eligibility rule.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` holding the retention advisory lock, or returns null at once when another process holds it.
   * The lock is held by a transaction of its own (PgBouncer-safe, see withAdvisoryLock); the batches run on
   * another connection, each in its own transaction.
   */
  async withPurgeLock<T>(work: (session: PurgeSession) => Promise<T>): Promise<T | null> {
    return withAdvisoryLock(this.dataSource, RETENTION_LOCK_KEY, 'try', async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        return await work({
          purgeBatch: (cutoff, size) => this.purgeBatch(runner, cutoff, size),
          purgeScreeningBatch: (cutoff, size) => this.purgeScreeningBatch(runner, cutoff, size),
        });
      } finally {
        await runner.release();
      }
    });
  }

  /**
   * Creates the monthly audit partitions of the given months (first days, UTC) that do not exist yet; rows of
   * such a month already in the default partition move into it. Returns the partitions created.
   */
  async ensureAuditPartitions(months: string[]): Promise<string[]> {
    const created: string[] = [];
    for (const month of months) {
      const [row] = await this.dataSource.query<{ created: boolean }[]>(
        'SELECT audit_events_ensure_partition($1::date) AS created',
        [month],
      );
      if (row?.created) created.push(`audit_events_${month.slice(0, 7).replace('-', '_')}`);
    }
    return created;
  }

  /**
   * Detaches the monthly audit partitions of months before `month` (first day, UTC). Each stays a standalone
   * table, append-only, for archiving (pg_dump) and dropping by the operator. Returns their names.
   */
  async detachAuditPartitionsBefore(month: string): Promise<string[]> {
    const [row] = await this.dataSource.query<{ detached: string[] }[]>(
      'SELECT audit_events_detach_before($1::date) AS detached',
      [month],
    );
    return row?.detached ?? [];
  }

  /**
   * Purges up to `size` eligible parents in one transaction: finds candidates (per organisation, through the
   * (organisation_id, created_at) index), locks them (skipping parents another transaction holds: they are
   * busy, so not idle), re-checks the rule in a snapshot taken after the locks (a row added meanwhile is
   * seen; one added later must wait for the parent's lock and then fails its foreign key), then deletes the
   * children table by table (to count them) and the parents.
   */
  private async purgeBatch(runner: QueryRunner, cutoff: Date, size: number): Promise<PurgeBatch> {
    await runner.startTransaction();
    try {
      await runner.query(
        `SELECT set_config('${PURGE_SETTING}', 'on', true), set_config('lock_timeout', $1, true)`,
        [LOCK_TIMEOUT],
      );
      const candidates = await runner.manager.query<{ id: string }[]>(
        `SELECT c.id FROM organisations o
         CROSS JOIN LATERAL (
           SELECT p.id FROM parents p WHERE p.organisation_id = o.id AND ${ELIGIBLE} LIMIT $2
         ) c
         LIMIT $2`,
        [cutoff, size],
      );
      const locked = await runner.manager.query<{ id: string }[]>(
        'SELECT id FROM parents WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED',
        [candidates.map((row) => row.id)],
      );
      const eligible = await runner.manager.query<{ id: string; organisation_id: string }[]>(
        `SELECT p.id, p.organisation_id FROM parents p WHERE p.id = ANY($2::uuid[]) AND ${ELIGIBLE}`,
        [cutoff, locked.map((row) => row.id)],
      );
      const ids = eligible.map((row) => row.id);
      const rows = noPurgedRows();
      if (ids.length > 0) {
        const remove = async (sql: string): Promise<number> =>
          (await runner.query(sql, [ids], true)).affected ?? 0;
        const invitationsOf = 'SELECT id FROM invitations WHERE parent_id = ANY($1::uuid[])';
        // The dev outbox (built-in SMS provider) keeps the phone and text of each SMS, without a foreign key.
        rows.devSmsOutbox = await remove(
          `DELETE FROM dev_sms_outbox WHERE sms_message_id IN
             (SELECT id FROM sms_messages WHERE invitation_id IN (${invitationsOf}))`,
        );
        rows.smsMessages = await remove(`DELETE FROM sms_messages WHERE invitation_id IN (${invitationsOf})`);
        rows.invitationLinks = await remove(
          `DELETE FROM invitation_links WHERE invitation_id IN (${invitationsOf})`,
        );
        rows.responses = await remove('DELETE FROM responses WHERE parent_id = ANY($1::uuid[])');
        rows.followUpEvents = await remove('DELETE FROM follow_up_events WHERE parent_id = ANY($1::uuid[])');
        rows.alerts = await remove('DELETE FROM alerts WHERE parent_id = ANY($1::uuid[])');
        rows.invitations = await remove('DELETE FROM invitations WHERE parent_id = ANY($1::uuid[])');
        rows.parents = await remove('DELETE FROM parents WHERE id = ANY($1::uuid[])');
      }
      await runner.commitTransaction();
      const byOrganisation = new Map<string, number>();
      for (const row of eligible)
        byOrganisation.set(row.organisation_id, (byOrganisation.get(row.organisation_id) ?? 0) + 1);
      return { candidates: candidates.length, rows, byOrganisation };
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Purges up to `size` eligible contact requests (with their parentless closed alerts and those alerts'
   * follow-up events) and up to `size` eligible self-screenings, in one transaction. Requests and their alerts
   * are locked first, skipping any another transaction holds (being worked on, so not idle), then re-checked.
   */
  private async purgeScreeningBatch(
    runner: QueryRunner,
    cutoff: Date,
    size: number,
  ): Promise<ScreeningPurgeBatch> {
    await runner.startTransaction();
    try {
      await runner.query(
        `SELECT set_config('${PURGE_SETTING}', 'on', true), set_config('lock_timeout', $1, true)`,
        [LOCK_TIMEOUT],
      );
      const rows = noPurgedScreeningRows();
      const candidates = await runner.manager.query<{ id: string }[]>(
        `SELECT c.id FROM contact_requests c WHERE ${CONTACT_REQUEST_ELIGIBLE} LIMIT $2`,
        [cutoff, size],
      );
      const locked = await runner.manager.query<{ id: string }[]>(
        'SELECT id FROM contact_requests WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED',
        [candidates.map((row) => row.id)],
      );
      const lockedIds = locked.map((row) => row.id);
      const alerts = await runner.manager.query<{ id: string; contact_request_id: string }[]>(
        `SELECT id, contact_request_id FROM alerts WHERE contact_request_id = ANY($1::uuid[])
         ORDER BY id FOR UPDATE SKIP LOCKED`,
        [lockedIds],
      );
      // A request one of whose alerts another transaction holds is busy: left for the next run.
      const [{ busy } = { busy: [] }] = await runner.manager.query<{ busy: string[] }[]>(
        `SELECT coalesce(array_agg(DISTINCT contact_request_id), '{}') AS busy FROM alerts
         WHERE contact_request_id = ANY($1::uuid[]) AND NOT (id = ANY($2::uuid[]))`,
        [lockedIds, alerts.map((row) => row.id)],
      );
      const eligible = await runner.manager.query<{ id: string }[]>(
        `SELECT c.id FROM contact_requests c
         WHERE c.id = ANY($2::uuid[]) AND NOT (c.id = ANY($3::uuid[])) AND ${CONTACT_REQUEST_ELIGIBLE}`,
        [cutoff, lockedIds, busy],
      );
      const ids = eligible.map((row) => row.id);
      if (ids.length > 0) {
        const remove = async (sql: string): Promise<number> =>
          (await runner.query(sql, [ids], true)).affected ?? 0;
        const alertsOf = 'SELECT id FROM alerts WHERE contact_request_id = ANY($1::uuid[])';
        rows.contactRequestFollowUpEvents = await remove(
          `DELETE FROM follow_up_events WHERE alert_id IN (${alertsOf})`,
        );
        rows.contactRequestAlerts = await remove(
          'DELETE FROM alerts WHERE contact_request_id = ANY($1::uuid[])',
        );
        rows.contactRequests = await remove('DELETE FROM contact_requests WHERE id = ANY($1::uuid[])');
      }
      const screenings = await runner.manager.query<{ id: string }[]>(
        `SELECT s.id FROM self_screenings s WHERE ${SELF_SCREENING_ELIGIBLE} LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [cutoff, size],
      );
      if (screenings.length > 0)
        rows.selfScreenings =
          (
            await runner.query(
              `DELETE FROM self_screenings s WHERE s.id = ANY($2::uuid[]) AND ${SELF_SCREENING_ELIGIBLE}`,
              [cutoff, screenings.map((row) => row.id)],
              true,
            )
          ).affected ?? 0;
      await runner.commitTransaction();
      return { candidates: Math.max(candidates.length, screenings.length), rows };
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }
}
