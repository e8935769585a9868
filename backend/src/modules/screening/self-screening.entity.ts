import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { References } from '../../database/entity-columns.js';
import type { ChildAgeBucket, EpdsBand, ParentRole } from '@lien/shared';
import { ScreeningSourceEntity } from './screening-source.entity.js';

/**
 * One anonymous self-screening, as reports need it and nothing more: no answers, no score, no IP address, no
 * exact age or postal code (the département only), and the time rounded down to the hour so a row cannot be
 * matched with access logs. Whoever asks to be contacted gives their identity in a contact request instead.
 */
@Entity('self_screenings')
@Index(['sourceCode', 'createdAt'])
export class SelfScreeningEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) sourceId!: string | null;
  /** The source's code, "direct" (no code in the URL) or "unknown" (a code no source has). */
  @Column({ type: 'varchar', length: 40 }) sourceCode!: string;
  @Column({ type: 'varchar', length: 20 }) role!: ParentRole;
  @Column({ type: 'varchar', length: 8 }) childAge!: ChildAgeBucket;
  @Column({ type: 'varchar', length: 3, nullable: true }) departement!: string | null;
  @Column({ type: 'varchar', length: 8 }) language!: string;
  @Column({ type: 'varchar', length: 10 }) band!: EpdsBand;
  @Column({ type: 'boolean' }) item10Positive!: boolean;
  @Column({ type: 'boolean' }) anxietyFlag!: boolean;
  /** Rounded down to the hour. */
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @References(() => ScreeningSourceEntity, 'SET NULL') source?: ScreeningSourceEntity;
}
