import { Check, Column, Entity, Index } from 'typeorm';
import { EditableOrganisationRow, References } from '../../database/entity-columns.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { ContactRequestEntity } from '../screening/contact-request.entity.js';
import type { AlertReason, AlertSeverity, AlertStatus, CloseOutcome } from '@lien/shared';

/** A tracked task for a professional. At most one open (not closed) alert per parent. */
@Entity('alerts')
// An alert is about an enrolled parent or a contact request (or both, once the request became an enrolment).
@Check('alerts_has_subject', '"parent_id" IS NOT NULL OR "contact_request_id" IS NOT NULL')
@Index('alerts_dashboard', ['organisationId', 'status', 'severityRank', 'contactDueAt'])
/** The default dashboard (all but closed), in its sort order: an ordered index scan that stops at the page size. */
@Index('alerts_dashboard_active', ['organisationId', 'severityRank', 'contactDueAt', 'id'], {
  where: "status <> 'closed'",
})
@Index('alerts_one_open_per_parent', ['parentId'], { unique: true, where: "status <> 'closed'" })
// The partial index above skips closed alerts; the foreign-key cascade from parents needs them all.
@Index('alerts_parent', ['parentId'])
export class AlertEntity extends EditableOrganisationRow {
  /** Null on a contact-request alert until the request becomes an enrolment. */
  @Column({ type: 'uuid', nullable: true }) parentId!: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) contactRequestId!: string | null;
  @Column({ type: 'varchar', length: 16 }) severity!: AlertSeverity;
  /** 0 = urgent … 3 = low: sorts the dashboard by severity with an index. */
  @Column({ type: 'smallint' }) severityRank!: number;
  @Column({ type: 'varchar', length: 16, array: true }) reasons!: AlertReason[];
  @Column({ type: 'varchar', length: 16, default: 'open' }) status!: AlertStatus;
  @Index() @Column({ type: 'uuid', nullable: true }) assigneeId!: string | null;
  @Column({ type: 'timestamptz' }) acknowledgeDueAt!: Date;
  @Column({ type: 'timestamptz' }) contactDueAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) acknowledgedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) firstContactAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) escalatedAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) contactAttempts!: number;
  @Column({ type: 'timestamptz', nullable: true }) referredAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) inCareAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) outcome!: CloseOutcome | null;
  @References(() => ParentEntity, 'CASCADE') parent?: ParentEntity;
  @References(() => ContactRequestEntity, 'CASCADE') contactRequest?: ContactRequestEntity;
}
