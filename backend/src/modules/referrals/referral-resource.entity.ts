import { Column, Entity, Index } from 'typeorm';
import { EditableOrganisationRow, References } from '../../database/entity-columns.js';
import type { ReferralResourceKind } from '@lien/shared';
import { OrganisationEntity } from '../organisations/organisation.entity.js';

/** A place care can be found (a public service's details, no personal data), in an organisation's directory. */
@Entity('referral_resources')
@Index(['organisationId', 'name'])
export class ReferralResourceEntity extends EditableOrganisationRow {
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 32 }) kind!: ReferralResourceKind;
  @Column({ type: 'varchar', length: 300, nullable: true }) address!: string | null;
  /** E.164. */
  @Column({ type: 'varchar', length: 20, nullable: true }) phone!: string | null;
  /** ISO 639-1 codes of the languages care is offered in. */
  @Column({ type: 'varchar', length: 8, array: true, default: () => "'{}'" }) languages!: string[];
  @Column({ type: 'boolean', default: true }) acceptsNewPatients!: boolean;
  /** Usual wait for a first appointment, in days; null when unknown. */
  @Column({ type: 'integer', nullable: true }) usualDelayDays!: number | null;
  @References(() => OrganisationEntity, 'CASCADE') organisation?: OrganisationEntity;
}
