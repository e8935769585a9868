import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SmsStatus } from '@lien/shared';
import type { SmsStatusChange } from './sms-message.entity.js';
import { outboxRowOf, type OutboxRow, type OutboxRowColumns } from './sms.repository.js';

/** A page's outbox row with what sending it needs, read in one query. */
export interface PageWork extends OutboxRow {
  pageId: string;
  alertId: string;
  step: number;
  kind: 'page' | 'page_call';
  phoneEnc: string;
  smsSender: string;
  /** The page still matters: not acknowledged, its alert neither acknowledged nor closed. */
  wanted: boolean;
}

interface PageWorkRow extends OutboxRowColumns {
  page_id: string;
  alert_id: string;
  step: number;
  kind: 'page' | 'page_call';
  phone_enc: string;
  sms_sender: string;
  wanted: boolean;
}

/** Whether a page still needs to reach someone, for rows `s` joined to their page `pg` and alert `a`. */
const WANTED = `(pg.status <> 'acknowledged' AND a.status <> 'closed' AND a.acknowledged_at IS NULL)`;

const PAGE_WORK_SELECT = `
  SELECT s.id, s.organisation_id, s.page_id, pg.alert_id, pg.step, s.kind, s.status, s.due_at, s.attempts,
         s.last_attempt_at, s.provider_sid, s.phone_enc, o.sms_sender, ${WANTED} AS wanted
  FROM sms_messages s
  JOIN pages pg ON pg.id = s.page_id
  JOIN alerts a ON a.id = pg.alert_id
  JOIN organisations o ON o.id = s.organisation_id`;

function toPageWork(row: PageWorkRow): PageWork {
  return {
    ...outboxRowOf(row),
    pageId: row.page_id,
    alertId: row.alert_id,
    step: row.step,
    kind: row.kind,
    phoneEnc: row.phone_enc,
    smsSender: row.sms_sender,
    wanted: row.wanted,
  };
}

function change(status: SmsStatus, at: Date, errorCode?: string | null): string {
  const entry: SmsStatusChange = { status, at: at.toISOString(), ...(errorCode ? { errorCode } : {}) };
  return JSON.stringify([entry]);
}

/**
 * SQL of urgent pages in the SMS outbox: `sms_messages` rows of kind `page` (SMS) and `page_call` (voice), one of
 * each per page at most, and `page_links` (one acknowledgement link per SMS attempt, hashes only). State changes
 * shared with parents' SMS (guarded transitions, stale claims) are `SmsRepository`'s.
 */
@Injectable()
export class PageOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page's rows, in the page's transaction; a row that already exists for the page is left as is. */
  async insertPageRows(
    manager: EntityManager,
    rows: ReadonlyArray<{
      organisationId: string;
      pageId: string;
      kind: 'page' | 'page_call';
      phoneEnc: string;
      dueAt: Date;
    }>,
  ): Promise<Array<{ id: string; dueAt: Date }>> {
    if (rows.length === 0) return [];
    const inserted = await manager.query<Array<{ id: string; due_at: Date }>>(
      `INSERT INTO sms_messages (organisation_id, page_id, kind, phone_enc, due_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[], $5::timestamptz[])
       ON CONFLICT (page_id, kind) WHERE page_id IS NOT NULL DO NOTHING
       RETURNING id, due_at`,
      [
        rows.map((row) => row.organisationId),
        rows.map((row) => row.pageId),
        rows.map((row) => row.kind),
        rows.map((row) => row.phoneEnc),
        rows.map((row) => row.dueAt),
      ],
    );
    return inserted.map((row) => ({ id: row.id, dueAt: new Date(row.due_at) }));
  }

  /**
   * A page's SMS waiting for its due time (behind the voice call) becomes due now; null when it is not waiting
   * (already sent, under way, or none).
   */
  async pageSmsNow(manager: EntityManager, pageId: string, now: Date): Promise<{ id: string } | null> {
    const rows = await manager.query<[Array<{ id: string }>, number]>(
      `UPDATE sms_messages SET due_at = $2, updated_at = now()
       WHERE page_id = $1 AND kind = 'page' AND status = 'pending' AND due_at > $2 RETURNING id`,
      [pageId, now],
    );
    return rows[0][0] ?? null;
  }

  /** Whether the page's voice call was answered. */
  async callAnswered(manager: EntityManager, pageId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM sms_messages WHERE page_id = $1 AND kind = 'page_call' AND status = 'delivered'`,
      [pageId],
    );
    return rows.length > 0;
  }

  /** Pending rows of a page (a replayed send job of the old pipeline enqueues them). */
  async pendingOfPage(pageId: string): Promise<Array<{ id: string; dueAt: Date }>> {
    const rows = await this.dataSource.query<Array<{ id: string; due_at: Date }>>(
      `SELECT id, due_at FROM sms_messages WHERE page_id = $1 AND status = 'pending'`,
      [pageId],
    );
    return rows.map((row) => ({ id: row.id, dueAt: new Date(row.due_at) }));
  }

  async loadPageWork(id: string): Promise<PageWork | null> {
    const rows = await this.dataSource.query<PageWorkRow[]>(`${PAGE_WORK_SELECT} WHERE s.id = $1`, [id]);
    return rows[0] ? toPageWork(rows[0]) : null;
  }

  /**
   * Claims a due pending page row whose page still matters (pending → sending, attempt + 1), with the
   * acknowledgement link of this attempt for an SMS. Null when the row is not in that state.
   */
  async claimPage(id: string, tokenHash: string | null, now: Date): Promise<PageWork | null> {
    const rows = await this.dataSource.query<PageWorkRow[]>(
      `WITH claimed AS (
         UPDATE sms_messages s SET status = 'sending', attempts = s.attempts + 1, last_attempt_at = $3,
                status_history = s.status_history || $4::jsonb, updated_at = now()
         FROM pages pg, alerts a
         WHERE s.id = $1 AND s.status = 'pending' AND s.due_at <= $3 AND pg.id = s.page_id AND a.id = pg.alert_id
           AND ${WANTED}
         RETURNING s.*, pg.alert_id, pg.step
       ), link AS (
         INSERT INTO page_links (token_hash, organisation_id, page_id, sms_message_id)
         SELECT $2::varchar, organisation_id, page_id, id FROM claimed WHERE kind = 'page' AND $2::varchar IS NOT NULL
       )
       SELECT c.id, c.organisation_id, c.page_id, c.alert_id, c.step, c.kind, c.status, c.due_at, c.attempts,
              c.last_attempt_at, c.provider_sid, c.phone_enc, o.sms_sender, true AS wanted
       FROM claimed c JOIN organisations o ON o.id = c.organisation_id`,
      [id, tokenHash, now, change('sending', now)],
    );
    return rows[0] ? toPageWork(rows[0]) : null;
  }

  /**
   * Records the provider's acceptance of a page row, once (only while it has no sid). Returns the page it
   * belongs to when this call accepted, null otherwise.
   */
  async acceptPage(
    manager: EntityManager,
    id: string,
    accepted: { sid: string; status: SmsStatus; segments: number | null; encoding: string | null },
    now: Date,
  ): Promise<{ pageId: string; kind: 'page' | 'page_call' } | null> {
    const history: SmsStatusChange[] = [{ status: 'queued', at: now.toISOString() }];
    if (accepted.status !== 'queued') history.push({ status: accepted.status, at: now.toISOString() });
    const rows = await manager.query<[Array<{ page_id: string; kind: 'page' | 'page_call' }>, number]>(
      `UPDATE sms_messages SET status = $2, provider_sid = $3, sent_at = COALESCE(sent_at, $4), segments = $5,
              encoding = $6, error_code = NULL, error_message = NULL,
              status_history = status_history || $7::jsonb, updated_at = now()
       WHERE id = $1 AND provider_sid IS NULL AND page_id IS NOT NULL RETURNING page_id, kind`,
      [id, accepted.status, accepted.sid, now, accepted.segments, accepted.encoding, JSON.stringify(history)],
    );
    const row = rows[0][0];
    return row ? { pageId: row.page_id, kind: row.kind } : null;
  }

  /** Hashes of the links of every attempt of a page SMS: how our message is recognised at the provider. */
  async linkHashes(smsMessageId: string): Promise<Set<string>> {
    const rows = await this.dataSource.query<Array<{ token_hash: string }>>(
      `SELECT token_hash FROM page_links WHERE sms_message_id = $1`,
      [smsMessageId],
    );
    return new Set(rows.map((row) => row.token_hash));
  }

  /** Sids of the voice calls our rows already hold, placed since `since`: a call found at the provider is not theirs. */
  async callSidsSince(since: Date): Promise<Set<string>> {
    const rows = await this.dataSource.query<Array<{ provider_sid: string }>>(
      `SELECT provider_sid FROM sms_messages
       WHERE kind = 'page_call' AND provider_sid IS NOT NULL AND created_at >= $1`,
      [new Date(since.getTime() - 3_600_000)],
    );
    return new Set(rows.map((row) => row.provider_sid));
  }
}
