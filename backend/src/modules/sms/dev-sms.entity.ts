import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow } from '../../database/entity-columns.js';

/** The built-in provider used when no Twilio credentials are set: what "would have been sent", for demos. */
@Entity('dev_sms_outbox')
@Index(['organisationId', 'createdAt'])
@Index('dev_sms_outbox_sms_message', ['smsMessageId'])
export class DevSmsEntity extends OrganisationRow {
  @Column({ type: 'uuid' }) smsMessageId!: string;
  @Column({ type: 'varchar', length: 20 }) toPhone!: string;
  @Column({ type: 'varchar', length: 20 }) sender!: string;
  @Column({ type: 'text' }) body!: string;
}
