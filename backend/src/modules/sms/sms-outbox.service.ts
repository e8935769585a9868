import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SmsKind } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { DueSms } from './sms-queue.service.js';

export interface NewSms {
  organisationId: string;
  parentId: string;
  invitationId: string;
  kind: SmsKind;
  dueAt: Date;
  deferredFrom: Date | null;
}

/** Why a parent stops receiving SMS: an opt-out (STOP, provider code 21610) or a withdrawal by a professional. */
export type StopReason = 'opted_out' | 'withdrawn';

/**
 * The outbox in Postgres: rows are written in the caller's transaction (pass its manager), so an SMS exists if
 * and only if what caused it committed. Enqueueing is the caller's next step, after commit (`SmsQueueService`).
 */
@Injectable()
export class SmsOutboxService {
  constructor(
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Inserts pending rows; returns what to enqueue once the transaction has committed. */
  async createPending(manager: EntityManager, messages: readonly NewSms[]): Promise<DueSms[]> {
    if (messages.length === 0) return [];
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

  /** Cancels every SMS of a parent not yet handed to the provider. */
  async cancelPendingForParent(manager: EntityManager, parentId: string): Promise<number> {
    const history = JSON.stringify([{ status: 'cancelled', at: this.clock.now().toISOString() }]);
    const result = await manager.query<[unknown[], number]>(
      `UPDATE sms_messages SET status = 'cancelled', status_history = status_history || $2::jsonb, updated_at = now()
       WHERE parent_id = $1 AND status = 'pending'`,
      [parentId, history],
    );
    return result[1];
  }

  /**
   * Stops all sending to a parent, in the caller's transaction: status opted_out or withdrawn, pending SMS
   * cancelled, invitations not sent yet cancelled (a withdrawal also cancels sent ones: their links stop
   * working). Returns false when the parent already had that status. An SMS already handed to the provider
   * ("sending") is not recalled.
   */
  async stopParent(
    manager: EntityManager,
    parentId: string,
    reason: StopReason,
    context: AuditContext,
    metadata: Record<string, unknown> = {},
  ): Promise<boolean> {
    const now = this.clock.now();
    const changed = await manager.query<[Array<{ organisation_id: string }>, number]>(
      `UPDATE parents SET status = $2, status_changed_at = $3, updated_at = now()
       WHERE id = $1 AND status <> $2 AND status <> 'withdrawn' RETURNING organisation_id`,
      [parentId, reason, now],
    );
    const organisationId = changed[0][0]?.organisation_id;
    if (!organisationId) return false;
    const cancelledSms = await this.cancelPendingForParent(manager, parentId);
    const statuses = reason === 'withdrawn' ? ['planned', 'sent', 'opened'] : ['planned'];
    const cancelledInvitations = await manager.query<[unknown[], number]>(
      `UPDATE invitations SET status = 'cancelled', updated_at = now() WHERE parent_id = $1 AND status = ANY($2::text[])`,
      [parentId, statuses],
    );
    await this.audit.record(
      { ...context, organisationId },
      {
        action: reason === 'withdrawn' ? 'parent.withdraw' : 'parent.opt_out',
        targetType: 'parent',
        targetId: parentId,
        metadata: { ...metadata, cancelledSms, cancelledInvitations: cancelledInvitations[1] },
      },
      manager,
    );
    return true;
  }
}
