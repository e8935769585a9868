import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow, References } from '../../database/entity-columns.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import type { EpdsBand, ParentRole, ResponseChannel } from '@lien/shared';

/** One EPDS answer set, scored on the server with the instrument version and language it was shown in. */
@Entity('responses')
@Index(['organisationId', 'createdAt'])
@Index(['parentId', 'createdAt'])
export class ResponseEntity extends OrganisationRow {
  @Column({ type: 'uuid' }) parentId!: string;
  @Index({ unique: true }) @Column({ type: 'uuid' }) invitationId!: string;
  @Column({ type: 'varchar', length: 16 }) wave!: string;
  /** The parent's role at the time, which chose the thresholds. */
  @Column({ type: 'varchar', length: 20 }) parentRole!: ParentRole;
  @Column({ type: 'varchar', length: 16 }) instrumentId!: string;
  @Column({ type: 'varchar', length: 16 }) instrumentVersion!: string;
  @Column({ type: 'varchar', length: 8 }) language!: string;
  @Column({ type: 'varchar', length: 16 }) channel!: ResponseChannel;
  /** Chosen option index per item, canonical order. */
  @Column({ type: 'smallint', array: true }) answers!: number[];
  @Column({ type: 'smallint', array: true }) itemPoints!: number[];
  @Column({ type: 'smallint' }) score!: number;
  @Column({ type: 'varchar', length: 16 }) band!: EpdsBand;
  @Column({ type: 'boolean' }) item10Positive!: boolean;
  @Column({ type: 'smallint' }) anxietyScore!: number;
  @Column({ type: 'boolean' }) anxietyFlag!: boolean;
  @Column({ type: 'uuid', nullable: true }) alertId!: string | null;
  @References(() => InvitationEntity, 'CASCADE') invitation?: InvitationEntity;
}
