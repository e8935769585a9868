import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity.js';
import { FollowUpEventEntity } from '../alerts/follow-up-event.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { ResponseEntity } from '../questionnaire/response.entity.js';
import { SmsMessageEntity } from '../sms/sms-message.entity.js';

export interface ParentHistory {
  parent: ParentEntity;
  invitations: InvitationEntity[];
  sms: SmsMessageEntity[];
  responses: ResponseEntity[];
  alerts: AlertEntity[];
  events: FollowUpEventEntity[];
}

/** Everything that happened to one parent, read within the organisation (null: no such parent there). */
@Injectable()
export class TimelineRepository {
  constructor(private readonly dataSource: DataSource) {}

  async historyOf(parentId: string, organisationId: string): Promise<ParentHistory | null> {
    const parent = await this.dataSource
      .getRepository(ParentEntity)
      .findOneBy({ id: parentId, organisationId });
    if (!parent) return null;
    const where = { parentId, organisationId };
    const [invitations, sms, responses, alerts, events] = await Promise.all([
      this.dataSource.getRepository(InvitationEntity).findBy(where),
      this.dataSource.getRepository(SmsMessageEntity).findBy(where),
      this.dataSource.getRepository(ResponseEntity).findBy(where),
      this.dataSource.getRepository(AlertEntity).findBy(where),
      this.dataSource.getRepository(FollowUpEventEntity).findBy(where),
    ]);
    return { parent, invitations, sms, responses, alerts, events };
  }
}
