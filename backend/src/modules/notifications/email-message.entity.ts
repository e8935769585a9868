import { Column, Entity, Index } from 'typeorm';
import { CreatedRow } from '../../database/entity-columns.js';

/** Every notification email (outbox). With no SMTP configured they stay here and the console shows them. */
@Entity('email_messages')
@Index(['status', 'createdAt'])
export class EmailMessageEntity extends CreatedRow {
  @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  @Column({ type: 'varchar', length: 254 }) toAddress!: string;
  @Column({ type: 'varchar', length: 200 }) subject!: string;
  /** Never health data: "an urgent alert needs you" and a console link. */
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status!:
    'pending' | 'sent' | 'outbox' | 'failed';
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ type: 'timestamptz', nullable: true }) sentAt!: Date | null;
}
