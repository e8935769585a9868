import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { InvitationStatus, OrganisationSettings, ParentStatus, SmsKind, SmsStatus } from '@lien/shared';
import { Batcher } from '../../common/batcher.js';
import { queryRetryingDeadlocks } from '../../database/deadlock-retry.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import type { SmsStatusChange } from './sms-message.entity.js';
import { scrubPhoneNumbers } from './sms-text.js';

/** A parent's SMS to write into the outbox (pending). */
export interface NewSms {
  organisationId: string;
  parentId: string;
  invitationId: string;
  kind: SmsKind;
  dueAt: Date;
  deferredFrom: Date | null;
}

/** What every outbox row carries, a parent's SMS or a page's SMS or call (the delivery steps read it). */
export interface OutboxRow {
  id: string;
  organisationId: string;
  status: SmsStatus;
  dueAt: Date;
  attempts: number;
  lastAttemptAt: Date | null;
  providerSid: string | null;
}

/** The same columns as a work query selects them from `sms_messages s`. */
export interface OutboxRowColumns {
  id: string;
  organisation_id: string;
  status: SmsStatus;
  due_at: Date;
  attempts: number;
  last_attempt_at: Date | null;
  provider_sid: string | null;
}

export function outboxRowOf(row: OutboxRowColumns): OutboxRow {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    status: row.status,
    dueAt: new Date(row.due_at),
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at ? new Date(row.last_attempt_at) : null,
    providerSid: row.provider_sid,
  };
}

/** An outbox row with what sending it needs (parent, invitation, organisation), read in one query. */
export interface SmsWork extends NewSms, OutboxRow {
  parentStatus: ParentStatus;
  phoneEnc: string;
  language: string;
  invitationStatus: InvitationStatus;
  invitationSentAt: Date | null;
  invitationExpiresAt: Date | null;
  organisationName: string;
  smsSender: string;
  timeZone: string;
  departement: string;
  settings: OrganisationSettings;
}

interface SmsWorkRow extends OutboxRowColumns {
  parent_id: string;
  invitation_id: string;
  kind: SmsKind;
  deferred_from: Date | null;
  parent_status: ParentStatus;
  phone_enc: string;
  language: string;
  invitation_status: InvitationStatus;
  invitation_sent_at: Date | null;
  invitation_expires_at: Date | null;
  organisation_name: string;
  sms_sender: string;
  time_zone: string;
  departement: string;
  settings: OrganisationSettings;
}

const WORK_SELECT = `
  SELECT s.id, s.organisation_id, s.parent_id, s.invitation_id, s.kind, s.due_at, s.deferred_from, s.status, s.attempts,
         s.last_attempt_at, s.provider_sid,
         p.status AS parent_status, p.phone_enc, p.language,
         i.status AS invitation_status, i.sent_at AS invitation_sent_at, i.expires_at AS invitation_expires_at,
         o.name AS organisation_name, o.sms_sender, o.time_zone, o.departement, o.settings
  FROM sms_messages s
  JOIN parents p ON p.id = s.parent_id
  JOIN invitations i ON i.id = s.invitation_id
  JOIN organisations o ON o.id = s.organisation_id`;

function toWork(row: SmsWorkRow): SmsWork {
  return {
    ...outboxRowOf(row),
    parentId: row.parent_id,
    invitationId: row.invitation_id,
    kind: row.kind,
    deferredFrom: row.deferred_from ? new Date(row.deferred_from) : null,
    parentStatus: row.parent_status,
    phoneEnc: row.phone_enc,
    language: row.language,
    invitationStatus: row.invitation_status,
    invitationSentAt: row.invitation_sent_at ? new Date(row.invitation_sent_at) : null,
    invitationExpiresAt: row.invitation_expires_at ? new Date(row.invitation_expires_at) : null,
    organisationName: row.organisation_name,
    smsSender: row.sms_sender,
    timeZone: row.time_zone,
    departement: row.departement,
    settings: row.settings,
  };
}

/**
 * Rows per statement and statements under way at once, for the worker's batched reads, claims and acceptances.
 * Measured (EXPLAIN ANALYZE, this machine): a claim costs Postgres about 0.5 ms per row in a statement of 20
 * rows and under 0.1 ms per row in one of 500 (the statement-level report triggers and the planning are paid
 * once per statement), so few large statements beat many small ones.
 */
const BATCH_ROWS = 500;
const BATCHES_IN_FLIGHT = 2;

function change(status: SmsStatus, at: Date, errorCode?: string | null): string {
  const entry: SmsStatusChange = { status, at: at.toISOString(), ...(errorCode ? { errorCode } : {}) };
  return JSON.stringify([entry]);
}

/**
 * What an outbox row carries: a parent's SMS (invitation, reminder), or an urgent page to a professional, by
 * SMS (`page`) or voice call (`page_call`).
 */
export type OutboxKind = SmsKind | 'page' | 'page_call';

/** A row as a status callback sees it (locked). */
export interface CallbackRow {
  id: string;
  status: SmsStatus;
  providerSid: string | null;
  statusHistory: SmsStatusChange[];
  /** Null on a page row. */
  parentId: string | null;
  organisationId: string;
  kind: OutboxKind;
  invitationId: string | null;
  pageId: string | null;
}

export interface ReconcileCandidate {
  id: string;
  status: SmsStatus;
  dueAt: Date;
}

/**
 * SQL of the SMS pipeline. The worker's queries are keyed by the outbox row id (a job names its row; rows are
 * tenant data reached only through their own id), and each state change is a guarded UPDATE (`WHERE status =
 * <expected>`) so that two processes can never both move a row, which is what makes sending exactly once.
 */
@Injectable()
export class SmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The hot path of the worker (read, claim, accept) runs batched statements on TypeORM's own pg pool, planned
   * at each execution rather than as named prepared statements: with named statements and batches of hundreds
   * of rows, the bench (a fresh database, tables growing from empty before any ANALYZE) stalled on claims taking
   * seconds each, which we took for cached generic plans made on empty tables; planning a statement of hundreds
   * of rows costs a few milliseconds.
   */
  private async batchQuery<T>(text: string, values: unknown[]): Promise<T[]> {
    const pool = (this.dataSource.driver as unknown as { master: pg.Pool }).master;
    // A batch can meet another locking some of the same rows in the other order (a status callback recording an
    // acceptance while the worker records it); its guarded updates make running it again safe.
    return queryRetryingDeadlocks<T>(pool, text, values);
  }

  /** The row and what sending it needs; concurrent reads share one statement (see `Batcher`). */
  loadWork(id: string): Promise<SmsWork | null> {
    return this.reads.submit(id);
  }

  private readonly reads = new Batcher<string, SmsWork | null>(
    async (ids) => {
      const rows = await this.batchQuery<SmsWorkRow>(`${WORK_SELECT} WHERE s.id = ANY($1::uuid[])`, [ids]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => {
        const row = byId.get(id);
        return row ? toWork(row) : null;
      });
    },
    BATCH_ROWS,
    BATCHES_IN_FLIGHT,
  );

  /**
   * The fast path, one statement: a pending row that is due, whose parent is active and whose invitation is
   * open and not expired, moves to sending (attempt + 1) with the link of this attempt, and comes back with
   * what sending needs. Null when the row is not in that state (the caller then reads it and decides).
   * Concurrent claims share one statement (see `Batcher`); each caller gets its own row back, recognised by
   * its link token, so two claims of the same row in one batch cannot both win.
   */
  claimDue(id: string, tokenHash: string, now: Date): Promise<SmsWork | null> {
    return this.claims.submit({ id, tokenHash, now });
  }

  private readonly claims = new Batcher<{ id: string; tokenHash: string; now: Date }, SmsWork | null>(
    async (inputs) => {
      const rows = await this.batchQuery<SmsWorkRow & { token_hash: string }>(
        `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::text[]) AS t(id, token_hash, now, history)
       ), claimed AS (
         UPDATE sms_messages s SET status = 'sending', attempts = s.attempts + 1, last_attempt_at = input.now,
                status_history = s.status_history || input.history::jsonb, updated_at = now()
         FROM input, parents p, invitations i
         WHERE s.id = input.id AND s.status = 'pending' AND s.due_at <= input.now
           AND p.id = s.parent_id AND p.status = 'active'
           AND i.id = s.invitation_id AND i.status IN ('planned', 'sent', 'opened') AND (i.expires_at IS NULL OR i.expires_at > input.now)
         RETURNING s.id, s.organisation_id, s.parent_id, s.invitation_id, s.kind, s.due_at, s.deferred_from, s.status, s.attempts,
                   s.last_attempt_at, s.provider_sid, p.status AS parent_status, p.phone_enc, p.language,
                   i.status AS invitation_status, i.sent_at AS invitation_sent_at, i.expires_at AS invitation_expires_at, input.token_hash
       ), link AS (
         INSERT INTO invitation_links (organisation_id, invitation_id, token_hash, sms_message_id)
         SELECT organisation_id, invitation_id, token_hash, id FROM claimed
       )
       SELECT c.*, o.name AS organisation_name, o.sms_sender, o.time_zone, o.departement, o.settings
       FROM claimed c JOIN organisations o ON o.id = c.organisation_id`,
        [
          inputs.map((input) => input.id),
          inputs.map((input) => input.tokenHash),
          inputs.map((input) => input.now),
          inputs.map((input) => change('sending', input.now)),
        ],
      );
      const won = new Map(rows.map((row) => [`${row.id}:${row.token_hash}`, row]));
      return inputs.map((input) => {
        const row = won.get(`${input.id}:${input.tokenHash}`);
        return row ? toWork(row) : null;
      });
    },
    BATCH_ROWS,
    BATCHES_IN_FLIGHT,
  );

  /**
   * The last look before the provider call, for a row this worker claimed (still 'sending'): is the parent still
   * active, the invitation still open (not cancelled, not answered) and its link not expired? A claimed row can
   * wait for a send place or the rate limit, and a STOP or an answer may arrive meanwhile. A row that may no
   * longer be sent is cancelled here (with the reason as error code, and the attempt's unsent link removed).
   * Concurrent checks share one statement, a read (see `Batcher`); a second one cancels, when some must not go.
   */
  stillSendable(id: string, tokenHash: string, now: Date): Promise<boolean> {
    return this.rechecks.submit({ id, tokenHash, now });
  }

  private readonly rechecks = new Batcher<{ id: string; tokenHash: string; now: Date }, boolean>(
    async (inputs) => {
      // A read only, in the common case: an UPDATE, even of no row, would fire the report triggers of sms_messages.
      const rows = await this.batchQuery<{ id: string; token_hash: string; reason: string | null }>(
        `SELECT s.id, input.token_hash,
                CASE WHEN p.status <> 'active' THEN 'parent_' || p.status
                     WHEN i.status NOT IN ('planned', 'sent', 'opened') THEN 'invitation_' || i.status
                     WHEN i.expires_at IS NOT NULL AND i.expires_at <= input.now THEN 'link_expired'
                END AS reason
         FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[]) AS input(id, token_hash, now)
         JOIN sms_messages s ON s.id = input.id AND s.status = 'sending'
         JOIN parents p ON p.id = s.parent_id
         JOIN invitations i ON i.id = s.invitation_id`,
        [
          inputs.map((input) => input.id),
          inputs.map((input) => input.tokenHash),
          inputs.map((input) => input.now),
        ],
      );
      const stopped = rows.filter((row) => row.reason !== null);
      if (stopped.length > 0) {
        const at = new Map(
          inputs.map((input) => [`${input.id}:${input.tokenHash}`, input.now.toISOString()]),
        );
        await this.batchQuery(
          `WITH input AS (
           SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::text[]) AS t(id, token_hash, reason, at)
         ), cancelled AS (
           UPDATE sms_messages s SET status = 'cancelled', error_code = input.reason,
                  status_history = s.status_history
                    || jsonb_build_array(jsonb_build_object('status', 'cancelled', 'at', input.at, 'errorCode', input.reason)),
                  updated_at = now()
           FROM input WHERE s.id = input.id AND s.status = 'sending'
           RETURNING s.id, input.token_hash
         )
         DELETE FROM invitation_links l USING cancelled c WHERE l.sms_message_id = c.id AND l.token_hash = c.token_hash`,
          [
            stopped.map((row) => row.id),
            stopped.map((row) => row.token_hash),
            stopped.map((row) => row.reason),
            stopped.map((row) => at.get(`${row.id}:${row.token_hash}`) ?? new Date().toISOString()),
          ],
        );
      }
      const ok = new Set(
        rows.filter((row) => row.reason === null).map((row) => `${row.id}:${row.token_hash}`),
      );
      return inputs.map((input) => ok.has(`${input.id}:${input.tokenHash}`));
    },
    BATCH_ROWS,
    BATCHES_IN_FLIGHT,
  );

  /**
   * Gives back a claim that must not send now (quiet hours began since it was planned): pending again at
   * `dueAt`, the attempt not counted, the attempt's unsent link removed, the first nominal time kept.
   */
  async unclaim(id: string, tokenHash: string, dueAt: Date, now: Date): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ moved: number }>>(
      `WITH u AS (
         UPDATE sms_messages SET status = 'pending', attempts = attempts - 1, deferred_from = COALESCE(deferred_from, due_at),
                due_at = $3, error_code = 'quiet_hours', status_history = status_history || $4::jsonb, updated_at = now()
         WHERE id = $1 AND status = 'sending' RETURNING id
       ), l AS (
         DELETE FROM invitation_links WHERE token_hash = $2 AND sms_message_id IN (SELECT id FROM u)
       )
       SELECT count(*)::int AS moved FROM u`,
      [id, tokenHash, dueAt, change('pending', now, 'quiet_hours')],
    );
    return (rows[0]?.moved ?? 0) > 0;
  }

  /** Moves a row from one status to another (guarded), with optional column changes. True if it moved. */
  async transition(
    id: string,
    from: SmsStatus | readonly SmsStatus[],
    to: SmsStatus,
    now: Date,
    changes: {
      dueAt?: Date;
      deferredFrom?: 'keep-first';
      errorCode?: string | null;
      errorMessage?: string | null;
      lastAttemptAt?: Date;
    } = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const sets = ['status = $3', 'status_history = status_history || $4::jsonb', 'updated_at = now()'];
    const values: unknown[] = [
      id,
      Array.isArray(from) ? from : [from],
      to,
      change(to, now, changes.errorCode),
    ];
    if (changes.deferredFrom === 'keep-first') sets.push('deferred_from = COALESCE(deferred_from, due_at)');
    if (changes.dueAt) {
      values.push(changes.dueAt);
      sets.push(`due_at = $${values.length}`);
    }
    if (changes.errorCode !== undefined) {
      values.push(changes.errorCode);
      sets.push(`error_code = $${values.length}`);
    }
    if (changes.errorMessage !== undefined) {
      // Scrubbed here too: whatever the source of the text, no phone number is stored.
      values.push(changes.errorMessage ? scrubPhoneNumbers(changes.errorMessage).slice(0, 200) : null);
      sets.push(`error_message = $${values.length}`);
    }
    const result = await manager.query<[unknown[], number]>(
      `UPDATE sms_messages SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2::text[])`,
      values,
    );
    return result[1] > 0;
  }

  /** A 'sending' row whose claimer is gone becomes 'unknown' (guarded by the attempt's start time). */
  async markStale(id: string, lastAttemptAt: Date, now: Date): Promise<boolean> {
    const result = await this.dataSource.query<[unknown[], number]>(
      `UPDATE sms_messages SET status = 'unknown', status_history = status_history || $3::jsonb, updated_at = now()
       WHERE id = $1 AND status = 'sending' AND last_attempt_at = $2`,
      [id, lastAttemptAt, change('unknown', now, 'worker_lost')],
    );
    return result[1] > 0;
  }

  /** Hashes of the link tokens of every attempt of a message: how our message is recognised at the provider. */
  async linkHashes(smsMessageId: string): Promise<Set<string>> {
    const rows = await this.dataSource.query<Array<{ token_hash: string }>>(
      `SELECT token_hash FROM invitation_links WHERE sms_message_id = $1`,
      [smsMessageId],
    );
    return new Set(rows.map((row) => row.token_hash));
  }

  /**
   * Records the provider's acceptance, in one statement so that it is atomic without a transaction: the row
   * gets its sid, status and text figures (only if it has no sid yet: a second acceptance changes nothing); the
   * invitation is marked sent with its expiry (first SMS) or counts a reminder; and the next reminder row is
   * inserted when one is given, the invitation is still open, the reminder falls before the link expires and
   * fewer than `reminderCount` reminders exist. Returns whether this call accepted, and the new reminder.
   * Concurrent acceptances share one statement (see `Batcher`).
   */
  acceptAndPlan(
    id: string,
    accepted: { sid: string; status: SmsStatus; segments: number | null; encoding: string | null },
    now: Date,
    plan: {
      expiresAt: Date;
      reminder: { dueAt: Date; deferredFrom: Date | null } | null;
      reminderCount: number;
    },
  ): Promise<{ accepted: boolean; reminder: { id: string; dueAt: Date } | null }> {
    return this.acceptances.submit({ id, accepted, now, plan });
  }

  private readonly acceptances = new Batcher<
    {
      id: string;
      accepted: { sid: string; status: SmsStatus; segments: number | null; encoding: string | null };
      now: Date;
      plan: {
        expiresAt: Date;
        reminder: { dueAt: Date; deferredFrom: Date | null } | null;
        reminderCount: number;
      };
    },
    { accepted: boolean; reminder: { id: string; dueAt: Date } | null }
  >(
    async (inputs) => {
      const history = (input: (typeof inputs)[number]): string => {
        const changes: SmsStatusChange[] = [{ status: 'queued', at: input.now.toISOString() }];
        if (input.accepted.status !== 'queued')
          changes.push({ status: input.accepted.status, at: input.now.toISOString() });
        return JSON.stringify(changes);
      };
      const rows = await this.batchQuery<{
        id: string;
        sid: string;
        reminder_id: string | null;
        reminder_due: Date | null;
      }>(
        `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::int[], $6::varchar[], $7::text[],
                              $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::int[])
           AS t(id, status, sid, now, segments, encoding, history, expires_at, reminder_due, reminder_deferred, reminder_count)
       ), s AS (
         UPDATE sms_messages m SET status = input.status, provider_sid = input.sid, sent_at = COALESCE(m.sent_at, input.now),
                segments = COALESCE(input.segments, m.segments), encoding = COALESCE(input.encoding, m.encoding),
                error_code = NULL, error_message = NULL, status_history = m.status_history || input.history::jsonb, updated_at = now()
         FROM input WHERE m.id = input.id AND m.provider_sid IS NULL
         RETURNING m.id, m.kind, m.invitation_id, m.organisation_id, m.parent_id, input.sid, input.now, input.expires_at,
                   input.reminder_due, input.reminder_deferred, input.reminder_count
       ), i AS (
         UPDATE invitations inv SET
                status = CASE WHEN s.kind = 'invitation' AND inv.status = 'planned' THEN 'sent' ELSE inv.status END,
                sent_at = CASE WHEN s.kind = 'invitation' THEN COALESCE(inv.sent_at, s.now) ELSE inv.sent_at END,
                expires_at = CASE WHEN s.kind = 'invitation' THEN COALESCE(inv.expires_at, s.expires_at) ELSE inv.expires_at END,
                reminders_sent = inv.reminders_sent + CASE WHEN s.kind = 'reminder' THEN 1 ELSE 0 END,
                updated_at = now()
         FROM s WHERE inv.id = s.invitation_id
         RETURNING inv.id, inv.status, inv.expires_at
       ), r AS (
         INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at, deferred_from)
         SELECT s.organisation_id, s.parent_id, s.invitation_id, 'reminder', s.reminder_due, s.reminder_deferred
         FROM s JOIN i ON i.id = s.invitation_id
         WHERE s.reminder_due IS NOT NULL AND i.status IN ('sent', 'opened')
           AND (i.expires_at IS NULL OR s.reminder_due < i.expires_at)
           AND (SELECT count(*) FROM sms_messages x WHERE x.invitation_id = s.invitation_id AND x.kind = 'reminder') < s.reminder_count
         RETURNING id, due_at, invitation_id
       )
       SELECT s.id, s.sid, r.id AS reminder_id, r.due_at AS reminder_due FROM s LEFT JOIN r ON r.invitation_id = s.invitation_id`,
        [
          inputs.map((input) => input.id),
          inputs.map((input) => input.accepted.status),
          inputs.map((input) => input.accepted.sid),
          inputs.map((input) => input.now),
          inputs.map((input) => input.accepted.segments),
          inputs.map((input) => input.accepted.encoding),
          inputs.map(history),
          inputs.map((input) => input.plan.expiresAt),
          inputs.map((input) => input.plan.reminder?.dueAt ?? null),
          inputs.map((input) => input.plan.reminder?.deferredFrom ?? null),
          inputs.map((input) => input.plan.reminderCount),
        ],
      );
      const won = new Map(rows.map((row) => [`${row.id}:${row.sid}`, row]));
      return inputs.map((input) => {
        const row = won.get(`${input.id}:${input.accepted.sid}`);
        return {
          accepted: row !== undefined,
          reminder:
            row?.reminder_id && row.reminder_due
              ? { id: row.reminder_id, dueAt: new Date(row.reminder_due) }
              : null,
        };
      });
    },
    BATCH_ROWS,
    BATCHES_IN_FLIGHT,
  );

  async providerSid(id: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ provider_sid: string | null }>>(
      `SELECT provider_sid FROM sms_messages WHERE id = $1`,
      [id],
    );
    return rows[0]?.provider_sid ?? null;
  }

  /** Quiet hours moved a send: the invitation shows it as deferred while its first SMS is not sent. */
  async deferInvitation(invitationId: string, dueAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE invitations SET deferred_from = COALESCE(deferred_from, due_at), due_at = $2, updated_at = now()
       WHERE id = $1 AND status = 'planned' AND sent_at IS NULL`,
      [invitationId, dueAt],
    );
  }

  /** An invitation whose only SMS could not be sent for good. */
  async cancelUnsentInvitation(manager: EntityManager, invitationId: string): Promise<void> {
    await manager.query(
      `UPDATE invitations SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status = 'planned' AND sent_at IS NULL`,
      [invitationId],
    );
  }

  /** Rows that may need a job: not final, due before `horizon`, in (due_at, id) order after `after`. */
  async reconcileCandidates(
    horizon: Date,
    after: { dueAt: Date; id: string } | null,
    limit: number,
  ): Promise<ReconcileCandidate[]> {
    const rows = await this.dataSource.query<Array<{ id: string; status: SmsStatus; due_at: Date }>>(
      `SELECT id, status, due_at FROM sms_messages
       WHERE status IN ('pending', 'sending', 'unknown') AND due_at <= $1
         AND ($2::timestamptz IS NULL OR (due_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY due_at, id LIMIT $4`,
      [horizon, after?.dueAt ?? null, after?.id ?? null, limit],
    );
    return rows.map((row) => ({ id: row.id, status: row.status, dueAt: new Date(row.due_at) }));
  }

  // ----- The outbox's writes in the caller's transaction (SmsOutboxService) -----

  /** Inserts pending parents' SMS rows; returns their ids and due times, in the order given. */
  async insertPending(
    manager: EntityManager,
    messages: readonly NewSms[],
  ): Promise<Array<{ id: string; dueAt: Date }>> {
    const values: unknown[] = [];
    const tuples = messages.map((message, index) => {
      const base = index * 6;
      values.push(
        message.organisationId,
        message.parentId,
        message.invitationId,
        message.kind,
        message.dueAt,
        message.deferredFrom,
      );
      return `($${base + 1}::uuid, $${base + 2}::uuid, $${base + 3}::uuid, $${base + 4}, $${base + 5}::timestamptz, $${base + 6}::timestamptz)`;
    });
    const rows = await manager.query<
      Array<{ id: string; due_at: Date; invitation_id: string; kind: SmsKind }>
    >(
      `INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at, deferred_from)
       VALUES ${tuples.join(', ')} RETURNING id, due_at, invitation_id, kind`,
      values,
    );
    // In the order given (RETURNING order is not promised): one row per invitation and kind here.
    const byKey = new Map(rows.map((row) => [`${row.invitation_id}:${row.kind}`, row]));
    return messages.map((message) => {
      const row = byKey.get(`${message.invitationId}:${message.kind}`)!;
      return { id: row.id, dueAt: new Date(row.due_at) };
    });
  }

  /** Cancels every SMS of a parent not yet handed to the provider; the number cancelled. */
  async cancelPendingForParent(manager: EntityManager, parentId: string, now: Date): Promise<number> {
    const result = await manager.query<[unknown[], number]>(
      `UPDATE sms_messages SET status = 'cancelled', status_history = status_history || $2::jsonb, updated_at = now()
       WHERE parent_id = $1 AND status = 'pending'`,
      [parentId, change('cancelled', now)],
    );
    return result[1];
  }

  /** A parent's new status (opted_out, withdrawn), unless already so or withdrawn; the organisation if it changed. */
  async setParentStopped(
    manager: EntityManager,
    parentId: string,
    status: 'opted_out' | 'withdrawn',
    now: Date,
  ): Promise<string | null> {
    const changed = await manager.query<[Array<{ organisation_id: string }>, number]>(
      `UPDATE parents SET status = $2, status_changed_at = $3, updated_at = now()
       WHERE id = $1 AND status <> $2 AND status <> 'withdrawn' RETURNING organisation_id`,
      [parentId, status, now],
    );
    return changed[0][0]?.organisation_id ?? null;
  }

  /** Cancels a parent's invitations in one of `statuses`; the number cancelled. */
  async cancelInvitationsOfParent(
    manager: EntityManager,
    parentId: string,
    statuses: readonly InvitationStatus[],
  ): Promise<number> {
    const result = await manager.query<[unknown[], number]>(
      `UPDATE invitations SET status = 'cancelled', updated_at = now() WHERE parent_id = $1 AND status = ANY($2::text[])`,
      [parentId, statuses],
    );
    return result[1];
  }

  /** An invitation planned again after its number was corrected (a completed one is left); false if not. */
  async reopenInvitation(manager: EntityManager, invitationId: string, parentId: string): Promise<boolean> {
    const reopened = await manager.query<[Array<{ id: string }>, number]>(
      `UPDATE invitations SET status = 'planned', sent_at = NULL, expires_at = NULL, updated_at = now()
        WHERE id = $1 AND parent_id = $2 AND status IN ('planned', 'sent', 'opened', 'expired', 'cancelled')
        RETURNING id`,
      [invitationId, parentId],
    );
    return reopened[0].length > 0;
  }

  /** Whether the invitation's SMS is still waiting to go or under way. */
  async invitationSmsWaiting(manager: EntityManager, invitationId: string): Promise<boolean> {
    const waiting = await manager.query<unknown[]>(
      `SELECT 1 FROM sms_messages WHERE invitation_id = $1 AND kind = 'invitation'
          AND status IN ('pending', 'sending', 'unknown') LIMIT 1`,
      [invitationId],
    );
    return waiting.length > 0;
  }

  // ----- Undelivered-SMS tasks (UndeliveredSmsTasks), in the caller's transaction -----

  /** The parent an SMS was for, with what their referent's task needs; null outside the organisation. */
  taskParent(
    organisationId: string,
    manager: EntityManager,
    parentId: string,
  ): Promise<Pick<ParentEntity, 'id' | 'organisationId' | 'referentUserId' | 'status'> | null> {
    return manager.findOne(ParentEntity, {
      where: { id: parentId, organisationId },
      select: { id: true, organisationId: true, referentUserId: true, status: true },
    });
  }

  /** The organisation of an SMS, whose settings the alert rules apply to the task; null if it is gone. */
  organisation(organisationId: string, manager: EntityManager): Promise<OrganisationEntity | null> {
    return manager.findOneBy(OrganisationEntity, { id: organisationId });
  }

  // ----- Status callbacks (SmsStatusService) -----

  /** The row a status callback is about: by our id (`?m=`) when given, else by the provider's sid. */
  async findForCallback(
    by: { id: string } | { providerSid: string },
  ): Promise<{ id: string; providerSid: string | null; pageId: string | null; kind: OutboxKind } | null> {
    const rows = await this.dataSource.query<
      Array<{ id: string; provider_sid: string | null; page_id: string | null; kind: OutboxKind }>
    >(
      'id' in by
        ? `SELECT id, provider_sid, page_id, kind FROM sms_messages WHERE id = $1`
        : `SELECT id, provider_sid, page_id, kind FROM sms_messages WHERE provider_sid = $1`,
      ['id' in by ? by.id : by.providerSid],
    );
    const row = rows[0];
    return row ? { id: row.id, providerSid: row.provider_sid, pageId: row.page_id, kind: row.kind } : null;
  }

  /** The row locked for a status change (`FOR UPDATE`, in the caller's transaction). */
  async lockForCallback(manager: EntityManager, id: string): Promise<CallbackRow | null> {
    const rows = await manager.query<
      Array<{
        id: string;
        status: SmsStatus;
        provider_sid: string | null;
        status_history: SmsStatusChange[];
        parent_id: string | null;
        organisation_id: string;
        kind: OutboxKind;
        invitation_id: string | null;
        page_id: string | null;
      }>
    >(
      `SELECT id, status, provider_sid, status_history, parent_id, organisation_id, kind, invitation_id, page_id
         FROM sms_messages WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      providerSid: row.provider_sid,
      statusHistory: row.status_history,
      parentId: row.parent_id,
      organisationId: row.organisation_id,
      kind: row.kind,
      invitationId: row.invitation_id,
      pageId: row.page_id,
    };
  }

  /** Appends a provider status to the history; `forward`: also the row's status (and its error code, if any). */
  async recordCallbackStatus(
    manager: EntityManager,
    id: string,
    entry: SmsStatusChange,
    forward: boolean,
  ): Promise<void> {
    const history = JSON.stringify([entry]);
    await manager.query(
      `UPDATE sms_messages SET status_history = status_history || $2::jsonb, updated_at = now()
         ${forward ? ', status = $3' : ''}${forward && entry.errorCode ? ', error_code = $4' : ''}
       WHERE id = $1`,
      forward
        ? entry.errorCode
          ? [id, history, entry.status, entry.errorCode]
          : [id, history, entry.status]
        : [id, history],
    );
  }
}
