import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { DueSms } from './sms-queue.service.js';
import { SmsRepository, type NewSms } from './sms.repository.js';
import { PageOutboxRepository } from './page-outbox.repository.js';

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
    private readonly repository: SmsRepository,
    private readonly pages: PageOutboxRepository,
  ) {}

  /** Inserts pending rows; returns what to enqueue once the transaction has committed. */
  async createPending(manager: EntityManager, messages: readonly NewSms[]): Promise<DueSms[]> {
    if (messages.length === 0) return [];
    return this.repository.insertPending(manager, messages);
  }

  /** Cancels every SMS of a parent not yet handed to the provider. */
  cancelPendingForParent(manager: EntityManager, parentId: string): Promise<number> {
    return this.repository.cancelPendingForParent(manager, parentId, this.clock.now());
  }

  /**
   * An urgent page's outbox rows, in the page's transaction: its SMS (due `smsDueAt`) and, when `callDueAt` is
   * given, its voice call. One row of each kind per page: a replay adds nothing. Returns what to enqueue after
   * commit.
   */
  createPageRows(
    manager: EntityManager,
    page: {
      organisationId: string;
      pageId: string;
      /** The number paged, encrypted. */
      phoneEnc: string;
      smsDueAt: Date;
      callDueAt: Date | null;
    },
  ): Promise<DueSms[]> {
    const base = { organisationId: page.organisationId, pageId: page.pageId, phoneEnc: page.phoneEnc };
    return this.pages.insertPageRows(manager, [
      ...(page.callDueAt ? [{ ...base, kind: 'page_call' as const, dueAt: page.callDueAt }] : []),
      { ...base, kind: 'page' as const, dueAt: page.smsDueAt },
    ]);
  }

  /** The page's SMS, waiting behind its call, is due now; null when it was not waiting (sent, under way). */
  pageSmsNow(manager: EntityManager, pageId: string): Promise<{ id: string } | null> {
    return this.pages.pageSmsNow(manager, pageId, this.clock.now());
  }

  /** Whether the page's voice call was answered. */
  pageCallAnswered(manager: EntityManager, pageId: string): Promise<boolean> {
    return this.pages.callAnswered(manager, pageId);
  }

  /** The page's rows still pending. */
  pendingOfPage(pageId: string): Promise<DueSms[]> {
    return this.pages.pendingOfPage(pageId);
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
    const organisationId = await this.repository.setParentStopped(manager, parentId, reason, now);
    if (!organisationId) return false;
    const cancelledSms = await this.repository.cancelPendingForParent(manager, parentId, now);
    const cancelledInvitations = await this.repository.cancelInvitationsOfParent(
      manager,
      parentId,
      reason === 'withdrawn' ? ['planned', 'sent', 'opened'] : ['planned'],
    );
    await this.audit.record(
      { ...context, organisationId },
      {
        action: reason === 'withdrawn' ? 'parent.withdraw' : 'parent.opt_out',
        targetType: 'parent',
        targetId: parentId,
        metadata: { ...metadata, cancelledSms, cancelledInvitations },
      },
      manager,
    );
    return true;
  }
}
