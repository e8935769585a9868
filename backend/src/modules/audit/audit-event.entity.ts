import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only (a trigger refuses UPDATE and DELETE): who read or changed what, when, from where. Partitioned by
 * month of created_at (migrations/1796413009620-audit-events-partitioned.ts), hence the primary key on
 * (id, created_at): ids stay unique through their sequence.
 */
@Entity('audit_events')
@Index(['organisationId', 'createdAt'])
@Index('audit_events_created', ['createdAt', 'id'])
@Index('audit_events_action', ['action', 'createdAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  @Column({ type: 'uuid', nullable: true }) actorId!: string | null;
  /** e.g. "parent.read", "parent.update", "auth.login.failure", "settings.update", "report.export". */
  @Column({ type: 'varchar', length: 64 }) action!: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) targetType!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) targetId!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip!: string | null;
  @Column({ type: 'varchar', length: 128, nullable: true }) requestId!: string | null;
  /** Never names, phones or answers: ids and field names only. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz', primary: true }) createdAt!: Date;
}
