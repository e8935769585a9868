import { Column, Entity, Index } from 'typeorm';
import { EditableOrganisationRow, References } from '../../database/entity-columns.js';
import { ParentEntity } from '../parents/parent.entity.js';
import type { InvitationStatus } from '@lien/shared';

/** One questionnaire invitation (a wave, or ad hoc). Its links (one per SMS) are in invitation_links. */
@Entity('invitations')
@Index(['organisationId', 'parentId'])
// Serves the foreign-key cascade from parents (retention purge) and per-parent reads.
@Index('invitations_parent', ['parentId'])
// The expiry sweep: only live links are scanned.
@Index('invitations_live_expiry', ['expiresAt'], { where: "status IN ('sent', 'opened')" })
@Index('invitations_one_per_wave', ['parentId', 'wave'], {
  unique: true,
  where: "wave <> 'adhoc' AND status <> 'cancelled'",
})
export class InvitationEntity extends EditableOrganisationRow {
  @Column({ type: 'uuid' }) parentId!: string;
  /** Wave key from the organisation's settings ("day7", "day42") or "adhoc". */
  @Column({ type: 'varchar', length: 16 }) wave!: string;
  @Column({ type: 'timestamptz' }) dueAt!: Date;
  /** The nominal time when quiet hours moved the send, shown as "deferred". */
  @Column({ type: 'timestamptz', nullable: true }) deferredFrom!: Date | null;
  @Column({ type: 'varchar', length: 16, default: 'planned' }) status!: InvitationStatus;
  @Column({ type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) remindersSent!: number;
  @Column({ type: 'timestamptz', nullable: true }) openedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
  @References(() => ParentEntity, 'CASCADE') parent?: ParentEntity;
}
