import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow, References } from '../../database/entity-columns.js';
import type {
  ContactRequestChannel,
  ContactRequestStatus,
  ContactRouting,
  ContactTimeSlot,
  EpdsBand,
  ParentRole,
} from '@lien/shared';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { SelfScreeningEntity } from './self-screening.entity.js';

/**
 * A parent's "be contacted" request, routed to one organisation. The identity (first name, phone, e-mail) is
 * encrypted like parents' (AES-256-GCM, key id in the ciphertext); the rest is what the team needs to call back.
 */
@Entity('contact_requests')
@Index(['organisationId', 'createdAt'])
export class ContactRequestEntity extends OrganisationRow {
  @Index() @Column({ type: 'uuid', nullable: true }) screeningId!: string | null;
  @Column({ type: 'varchar', length: 16 }) routing!: ContactRouting;
  @Column({ type: 'varchar', length: 5, nullable: true }) postalCode!: string | null;
  @Column({ type: 'varchar', length: 3, nullable: true }) departement!: string | null;
  @Column({ type: 'varchar', length: 20 }) role!: ParentRole;
  @Column({ type: 'varchar', length: 8 }) language!: string;
  @Column({ type: 'smallint', nullable: true }) childAgeWeeks!: number | null;
  @Column({ type: 'boolean' }) pregnant!: boolean;
  @Column({ type: 'varchar', length: 10, nullable: true }) band!: EpdsBand | null;
  @Column({ type: 'boolean' }) item10Positive!: boolean;
  @Column({ type: 'text' }) firstNameEnc!: string;
  @Column({ type: 'text', nullable: true }) phoneEnc!: string | null;
  @Column({ type: 'text', nullable: true }) emailEnc!: string | null;
  @Column({ type: 'varchar', length: 8 }) channel!: ContactRequestChannel;
  @Column({ type: 'varchar', length: 12, array: true }) timeSlots!: ContactTimeSlot[];
  @Column({ type: 'varchar', length: 32 }) consentTextVersion!: string;
  @Column({ type: 'timestamptz' }) consentedAt!: Date;
  @Column({ type: 'varchar', length: 16, default: 'open' }) status!: ContactRequestStatus;
  @Column({ type: 'uuid', nullable: true }) enrolledParentId!: string | null;
  @References(() => OrganisationEntity, 'RESTRICT') organisation?: OrganisationEntity;
  @References(() => SelfScreeningEntity, 'SET NULL') screening?: SelfScreeningEntity;
}
