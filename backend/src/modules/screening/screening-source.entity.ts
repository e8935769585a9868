import { Column, Entity, Index } from 'typeorm';
import { OrganisationRow, References } from '../../database/entity-columns.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';

/** Where self-screenings come from (a partner's site, a leaflet's QR code): `/depistage/<code>`. */
@Entity('screening_sources')
@Index(['organisationId'])
export class ScreeningSourceEntity extends OrganisationRow {
  /** Lower-case letters, digits and dashes; unique across the platform (it is in public URLs). */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 120 }) name!: string;
  @Column({ type: 'varchar', length: 120, nullable: true }) partner!: string | null;
  @References(() => OrganisationEntity, 'CASCADE') organisation?: OrganisationEntity;
}
