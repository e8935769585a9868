import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow, References } from '../../database/entity-columns.js';
import { AlertEntity } from './alert.entity.js';
import type { AlertEventType, SystemAlertEventType } from '@lien/shared';

/** Append-only history of an alert: who did what, when. Free-text notes never reach reports. */
@Entity('follow_up_events')
@Index(['alertId', 'createdAt'])
export class FollowUpEventEntity extends OrganisationRow {
  @Column({ type: 'uuid' }) alertId!: string;
  /** Null on the events of a contact-request alert. */
  @Index() @Column({ type: 'uuid', nullable: true }) parentId!: string | null;
  /** Null for events the system records (creation, escalation). */
  @Column({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar', length: 24 }) type!: AlertEventType | SystemAlertEventType;
  /** Ids, statuses and outcomes: never the free-text note (see `noteEnc`). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) payload!: Record<string, unknown>;
  /** The free-text note about the parent, encrypted like names (see follow-up-notes.ts); null without one. */
  @Column({ type: 'text', nullable: true }) noteEnc!: string | null;
  @References(() => AlertEntity, 'CASCADE') alert?: AlertEntity;
}
