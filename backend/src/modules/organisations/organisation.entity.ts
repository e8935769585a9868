import { Column, Entity } from 'typeorm';
import { EditableRow } from '../../database/entity-columns.js';
import type { OrganisationKind, OrganisationSettings } from '@lien/shared';

@Entity('organisations')
export class OrganisationEntity extends EditableRow {
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 20 }) kind!: OrganisationKind;
  /** INSEE département code: "62", "2A", "973". */
  @Column({ type: 'varchar', length: 3 }) departement!: string;
  @Column({ type: 'varchar', length: 100 }) region!: string;
  @Column({ type: 'varchar', length: 64 }) timeZone!: string;
  /** Alphanumeric SMS sender ID (max 11 characters). */
  @Column({ type: 'varchar', length: 11 }) smsSender!: string;
  /** Full settings, defaults merged in at creation; validated by the organisations service. */
  @Column({ type: 'jsonb' }) settings!: OrganisationSettings;
}
