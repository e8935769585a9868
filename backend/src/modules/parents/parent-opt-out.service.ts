import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import type { RequestOrigin } from '../../common/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { InvitationPlanner } from '../invitations/invitation-planner.service.js';
import type { DueSms } from '../sms/sms-queue.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { SmsQueueService } from '../sms/sms-queue.service.js';
import { ParentOrganisations, planningOf } from './parent-organisations.service.js';
import { ParentsRepository } from './parents.repository.js';

/**
 * STOP and START sent by a parent to the organisation's number (Twilio's inbound webhook). The only cross-
 * organisation operation of the room, on purpose: a parent who says STOP is stopped by every organisation.
 */
@Injectable()
export class ParentOptOutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ParentsRepository,
    private readonly organisations: ParentOrganisations,
    private readonly planner: InvitationPlanner,
    private readonly outbox: SmsOutboxService,
    private readonly queue: SmsQueueService,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Inbound STOP: every active parent with this number, in every organisation, stops receiving SMS. */
  async optOutByPhone(e164: string, origin: RequestOrigin): Promise<number> {
    const phoneIndex = this.encryption.blindIndex(e164);
    return this.dataSource.transaction(async (manager) => {
      const parents = await this.repository.findByPhoneAllOrganisations(phoneIndex, ['active'], manager);
      let count = 0;
      for (const parent of parents) {
        const stopped = await this.outbox.stopParent(
          manager,
          parent.id,
          'opted_out',
          { actorId: null, organisationId: parent.organisationId, ...origin },
          { source: 'inbound_sms' },
        );
        if (stopped) count += 1;
      }
      return count;
    });
  }

  /** Inbound START: parents who opted out become active again; waves still ahead are planned again. */
  async optInByPhone(e164: string, origin: RequestOrigin): Promise<number> {
    const phoneIndex = this.encryption.blindIndex(e164);
    const now = this.clock.now();
    const toEnqueue: DueSms[] = [];
    const count = await this.dataSource.transaction(async (manager) => {
      const parents = await this.repository.findByPhoneAllOrganisations(phoneIndex, ['opted_out'], manager);
      for (const parent of parents) {
        await this.repository.update(manager, parent.id, parent.organisationId, {
          status: 'active',
          statusChangedAt: now,
        });
        let waves: string[] = [];
        if (parent.birthDate) {
          const organisation = await this.organisations.get(
            { organisationId: parent.organisationId },
            manager,
          );
          const planned = await this.planner.planWaves(
            planningOf(organisation),
            manager,
            {
              id: parent.id,
              birthDate: parent.birthDate,
              role: parent.role,
              enrolledAt: parent.consentRecordedAt,
            },
            now,
            null,
          );
          waves = planned.map((p) => p.wave);
          toEnqueue.push(...planned.map((p) => p.sms));
        }
        await this.audit.record(
          { actorId: null, organisationId: parent.organisationId, ...origin },
          {
            action: 'parent.opt_in',
            targetType: 'parent',
            targetId: parent.id,
            metadata: { source: 'inbound_sms', invitations: waves },
          },
          manager,
        );
      }
      return parents.length;
    });
    await this.queue.enqueue(toEnqueue);
    return count;
  }
}
