import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow, References } from '../../database/entity-columns.js';
import { AlertEntity } from '../alerts/alert.entity.js';

export type PageChannel = 'sms' | 'email';
/** pending: written with the alert, not sent yet; sent; failed (provider refused for good); acknowledged. */
export type PageStatus = 'pending' | 'sent' | 'failed' | 'acknowledged';

/**
 * One page of an urgent alert: who was paged at which escalation step, by which channel. The phone is kept
 * encrypted (it is the rota's number at the time of the page); the acknowledgement link's token only as a hash.
 */
@Entity('pages')
@Index('pages_alert_step', ['alertId', 'step'], { unique: true })
export class PageEntity extends OrganisationRow {
  @Column({ type: 'uuid' }) alertId!: string;
  /** 0 = the first on-call, then one more per escalation. */
  @Column({ type: 'integer' }) step!: number;
  /** Null for the organisation's on-call e-mail address. */
  @Column({ type: 'uuid', nullable: true }) recipientUserId!: string | null;
  @Column({ type: 'varchar', length: 8 }) channel!: PageChannel;
  @Column({ type: 'varchar', length: 16 }) status!: PageStatus;
  /** SMS pages: the number paged, encrypted. */
  @Column({ type: 'text', nullable: true }) phoneEnc!: string | null;
  /** sha256 of the acknowledgement link's token (set when the SMS is sent). */
  @Index('pages_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  tokenHash!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) providerSid!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) acknowledgedAt!: Date | null;
  @References(() => AlertEntity, 'CASCADE') alert?: AlertEntity;
}
