import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity.js';

/** One rota line as stored: the professional mobile is encrypted like parents' numbers. */
export interface StoredRotaEntry {
  userId: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Local "HH:MM"; an end at or before the start runs past midnight into the next day. */
  start: string;
  end: string;
  phoneEnc: string;
}

/**
 * An organisation's on-call rota for urgent paging. Entry order is the paging order: of the entries covering
 * an instant, the first is paged first, the next one if it does not acknowledge in `ackMinutes`.
 */
@Entity('on_call_rotas')
export class OnCallRotaEntity {
  @PrimaryColumn({ type: 'uuid' }) organisationId!: string;
  @Column({ type: 'integer', default: 10 }) ackMinutes!: number;
  /** Also call (Twilio voice) the professional paged, besides the SMS. */
  @Column({ type: 'boolean', default: false }) voice!: boolean;
  @Column({ type: 'jsonb', default: () => "'[]'" }) entries!: StoredRotaEntry[];
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  @OneToOne(() => OrganisationEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;
}
