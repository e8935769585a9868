import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The built-in provider used when no Twilio credentials are set: what "would have been sent", for demos. */
@Entity('dev_sms_outbox')
@Index(['organisationId', 'createdAt'])
@Index('dev_sms_outbox_sms_message', ['smsMessageId'])
export class DevSmsEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) organisationId!: string;
  @Column({ type: 'uuid' }) smsMessageId!: string;
  @Column({ type: 'varchar', length: 20 }) toPhone!: string;
  @Column({ type: 'varchar', length: 20 }) sender!: string;
  @Column({ type: 'text' }) body!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
