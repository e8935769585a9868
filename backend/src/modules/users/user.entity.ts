import { Column, Entity, Index } from 'typeorm';
import { EditableRow, References } from '../../database/entity-columns.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { UserRole } from '@lien/shared';

@Entity('users')
export class UserEntity extends EditableRow {
  /** Null for coordinators and platform admins, who belong to no organisation. */
  @Index() @Column({ type: 'uuid', nullable: true }) organisationId!: string | null;
  /** Stored lower-cased; unique across the platform. */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 254 }) email!: string;
  @Column({ type: 'varchar', length: 200 }) displayName!: string;
  @Column({ type: 'varchar', length: 20 }) role!: UserRole;
  /** Coordinator scope: INSEE département codes. */
  @Column({ type: 'text', array: true, default: () => "'{}'" }) territoryDepartements!: string[];
  /** Coordinator scope: a whole region (name as in organisations.region). */
  @Column({ type: 'varchar', length: 100, nullable: true }) territoryRegion!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) passwordHash!: string | null;
  /** TOTP secret, encrypted like parents' names. */
  @Column({ type: 'text', nullable: true }) totpSecretEnc!: string | null;
  @Column({ type: 'boolean', default: false }) totpEnabled!: boolean;
  @Index({ unique: true, where: 'oidc_subject IS NOT NULL' })
  @Column({ type: 'varchar', length: 255, nullable: true })
  oidcSubject!: string | null;
  /** RPPS number of a health professional, used to match an OIDC identity on first login. */
  @Column({ type: 'varchar', length: 11, nullable: true }) rpps!: string | null;
  /** The platform admin who recorded `rpps`; only such a number links an OIDC identity. */
  @Column({ type: 'uuid', nullable: true }) rppsRecordedBy!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ type: 'integer', default: 0 }) failedLogins!: number;
  @Column({ type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
  @References(() => OrganisationEntity, 'RESTRICT') organisation?: OrganisationEntity;
}
