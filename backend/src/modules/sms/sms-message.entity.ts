import { Check, Column, Entity, Index } from 'typeorm';
import { EditableOrganisationRow, References } from '../../database/entity-columns.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { PageEntity } from '../paging/page.entity.js';
import type { SmsKind, SmsStatus } from '@lien/shared';

export interface SmsStatusChange {
  status: SmsStatus;
  at: string;
  errorCode?: string;
}

/**
 * The outbox: one row per planned SMS, written in the transaction that causes it. Postgres is the source
 * of truth; BullMQ jobs carry only this row's id (also their job id). The body is rendered at send time
 * and not stored: it holds the link token.
 *
 * Urgent pages use the same outbox (see `OutboxKind`): a page row has a `pageId` and the number paged
 * (encrypted) instead of a parent and an invitation. Rows read through this entity are parents' SMS (every
 * reader filters on a parent or an invitation), hence `kind: SmsKind`.
 */
@Entity('sms_messages')
@Index('sms_messages_due', ['status', 'dueAt'])
@Index(['organisationId', 'parentId'])
/** One SMS and one call per page at most: the page's exactly-once starts here. */
@Index('sms_messages_page_kind', ['pageId', 'kind'], { unique: true, where: 'page_id IS NOT NULL' })
/** Key rotation walks the encrypted numbers by id: only page rows have one. */
@Index('sms_messages_phone_enc', ['id'], { where: 'phone_enc IS NOT NULL' })
@Check(
  'sms_messages_parent_or_page',
  `(page_id IS NULL AND parent_id IS NOT NULL AND invitation_id IS NOT NULL)
   OR (page_id IS NOT NULL AND parent_id IS NULL AND invitation_id IS NULL AND phone_enc IS NOT NULL)`,
)
export class SmsMessageEntity extends EditableOrganisationRow {
  @Column({ type: 'uuid', nullable: true }) parentId!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) invitationId!: string;
  /** Staff pages only (then no parent and no invitation): the page this SMS or voice call belongs to. */
  @Column({ type: 'uuid', nullable: true }) pageId!: string | null;
  /** Staff pages only: the professional's number, encrypted (a parent's number is on the parent). */
  @Column({ type: 'text', nullable: true }) phoneEnc!: string | null;
  @Column({ type: 'varchar', length: 16 }) kind!: SmsKind;
  @Column({ type: 'timestamptz' }) dueAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) deferredFrom!: Date | null;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status!: SmsStatus;
  @Index({ unique: true, where: 'provider_sid IS NOT NULL' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  providerSid!: string | null;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  /** When the last send attempt started: a send of unknown outcome is re-sent only after a grace period from here. */
  @Column({ type: 'timestamptz', nullable: true }) lastAttemptAt!: Date | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) errorCode!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) errorMessage!: string | null;
  @Column({ type: 'integer', nullable: true }) segments!: number | null;
  @Column({ type: 'varchar', length: 8, nullable: true }) encoding!: string | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) statusHistory!: SmsStatusChange[];
  @Column({ type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @References(() => InvitationEntity, 'CASCADE') invitation?: InvitationEntity;
  @References(() => PageEntity, 'CASCADE', 'FK_sms_messages_page') page?: PageEntity;
}
