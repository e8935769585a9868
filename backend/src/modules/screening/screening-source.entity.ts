import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity.js';

/** Where self-screenings come from (a partner's site, a leaflet's QR code): `/depistage/<code>`. */
@Entity('screening_sources')
export class ScreeningSourceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid' }) organisationId!: string;
  /** Lower-case letters, digits and dashes; unique across the platform (it is in public URLs). */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 120 }) name!: string;
  @Column({ type: 'varchar', length: 120, nullable: true }) partner!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;
}
