import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow, References } from '../../database/entity-columns.js';
import { InvitationEntity } from './invitation.entity.js';

/**
 * A questionnaire link: each SMS (invitation, reminders) carries its own random token, all valid until the
 * invitation expires. Only the SHA-256 of the token is stored; the token itself exists only in the SMS.
 */
@Entity('invitation_links')
export class InvitationLinkEntity extends OrganisationRow {
  @Index() @Column({ type: 'uuid' }) invitationId!: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ type: 'uuid', nullable: true }) smsMessageId!: string | null;
  @References(() => InvitationEntity, 'CASCADE') invitation?: InvitationEntity;
}
