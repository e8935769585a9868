import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { AlertRulesService } from '../alerts/alert-rules.service.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { SmsOutboxService } from './sms-outbox.service.js';
import type { DueSms } from './sms-queue.service.js';
import { SmsRepository } from './sms.repository.js';

export interface FailedInvitationSms {
  smsMessageId: string;
  invitationId: string;
  parentId: string;
  organisationId: string;
  errorCode: string | null;
}

/**
 * An invitation SMS that did not arrive is a task: opened at once for the parent's referent (status callback
 * `undelivered`/`failed`, or a permanent provider refusal), and resolved by correcting the number, which sends
 * the invitation again through the outbox.
 */
@Injectable()
export class UndeliveredSmsTasks {
  constructor(
    private readonly rules: AlertRulesService,
    private readonly outbox: SmsOutboxService,
    private readonly repository: SmsRepository,
    private readonly clock: Clock,
  ) {}

  /** In the caller's transaction (the one that records the failure). Nothing for a parent no longer followed. */
  async open(manager: EntityManager, sms: FailedInvitationSms): Promise<boolean> {
    const parent = await this.repository.taskParent(sms.organisationId, manager, sms.parentId);
    if (!parent || parent.status !== 'active') return false;
    const organisation = await this.repository.organisation(sms.organisationId, manager);
    if (!organisation) return false;
    const result = await this.rules.onSmsUndelivered(
      organisation,
      manager,
      { smsMessageId: sms.smsMessageId, invitationId: sms.invitationId, errorCode: sms.errorCode },
      parent,
    );
    return result !== null;
  }

  /**
   * The parent's number was just corrected (in the caller's transaction, parent row locked): resolves the open
   * "check the number" task and plans the invitation again (a new outbox row, due now: quiet hours still apply).
   * Returns what to enqueue after commit.
   */
  async resendAfterCorrection(
    manager: EntityManager,
    parent: Pick<ParentEntity, 'id' | 'organisationId' | 'referentUserId' | 'status'>,
    actorId: string | null,
  ): Promise<DueSms[]> {
    if (parent.status !== 'active') return [];
    const resolved = await this.rules.resolveUndeliveredSms(manager, parent, actorId);
    if (!resolved?.invitationId) return [];
    // The invitation starts again: its link gets a full validity from the new send. A completed one is left.
    if (!(await this.repository.reopenInvitation(manager, resolved.invitationId, parent.id))) return [];
    if (await this.repository.invitationSmsWaiting(manager, resolved.invitationId)) return [];
    return this.outbox.createPending(manager, [
      {
        organisationId: parent.organisationId,
        parentId: parent.id,
        invitationId: resolved.invitationId,
        kind: 'invitation',
        dueAt: this.clock.now(),
        deferredFrom: null,
      },
    ]);
  }
}
