import { Column, Entity, Index } from 'typeorm';
import { EditableOrganisationRow, References } from '../../database/entity-columns.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { UserEntity } from '../users/user.entity.js';
import type { ParentRole, ParentStatus } from '@lien/shared';

/**
 * A parent followed after a birth. Names and phone are encrypted (AES-256-GCM, key id inside the ciphertext);
 * lookups use keyed blind indexes (HMAC), never the clear values.
 */
@Entity('parents')
@Index(['organisationId', 'createdAt'])
@Index('parents_household', ['householdId'])
// GIN, which TypeORM cannot declare: created by migration 1796420747882, left alone by schema checks.
@Index('parents_name_prefixes', { synchronize: false })
@Index('parents_name_prefixes_missing', { synchronize: false })
@Index('parents_duplicate_guard', ['organisationId', 'phoneIndex', 'birthDate'], {
  unique: true,
  where: "status = 'active' AND birth_date IS NOT NULL",
})
export class ParentEntity extends EditableOrganisationRow {
  @Column({ type: 'text' }) firstNameEnc!: string;
  @Column({ type: 'text' }) lastNameEnc!: string;
  @Column({ type: 'text' }) phoneEnc!: string;
  @Index() @Column({ type: 'varchar', length: 64 }) phoneIndex!: string;
  /** Blind index of the normalised last name, for exact search by name. */
  @Index() @Column({ type: 'varchar', length: 64 }) lastNameIndex!: string;
  @Index() @Column({ type: 'varchar', length: 64 }) firstNameIndex!: string;
  /**
   * Keyed indexes of the names' prefixes, for partial name search (name-prefixes.ts); GIN-indexed by the
   * migration. Null until indexed (rows older than prefix search are filled by the worker's backfill).
   */
  @Column({ type: 'text', array: true, nullable: true }) namePrefixes!: string[] | null;
  @Column({ type: 'varchar', length: 20 }) role!: ParentRole;
  @Column({ type: 'varchar', length: 8 }) language!: string;
  @Column({ type: 'date', nullable: true }) birthDate!: string | null;
  /** Antenatal enrolment: the schedule waits for the birth date. */
  @Column({ type: 'date', nullable: true }) expectedTermDate!: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) referentUserId!: string | null;
  @Column({ type: 'uuid' }) consentRecordedBy!: string;
  @Column({ type: 'timestamptz' }) consentRecordedAt!: Date;
  @Column({ type: 'varchar', length: 32 }) consentTextVersion!: string;
  @Column({ type: 'varchar', length: 20, default: 'active' }) status!: ParentStatus;
  /** Parents of the same birth (mother and father/co-parent) share it; null when enrolled alone. */
  @Column({ type: 'uuid', nullable: true }) householdId!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) statusChangedAt!: Date | null;
  @References(() => OrganisationEntity, 'RESTRICT') organisation?: OrganisationEntity;
  @References(() => UserEntity, 'SET NULL') referentUser?: UserEntity;
}
