import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** The eight counters of every rollup table (their meaning per subject: rollup-catalogue.ts). */
abstract class RollupCounters {
  @Column({ type: 'integer', default: 0 }) c1!: number;
  @Column({ type: 'integer', default: 0 }) c2!: number;
  @Column({ type: 'integer', default: 0 }) c3!: number;
  @Column({ type: 'integer', default: 0 }) c4!: number;
  @Column({ type: 'integer', default: 0 }) c5!: number;
  @Column({ type: 'integer', default: 0 }) c6!: number;
  @Column({ type: 'integer', default: 0 }) c7!: number;
  @Column({ type: 'integer', default: 0 }) c8!: number;
}

/**
 * The reports' pre-aggregated data. Nothing here identifies a parent: organisation, local day, a subject
 * ("parents", "invitations", "sms", "responses", "alerts"), up to two dimensions (role, wave, kind,
 * severity, outcome…) and eight counters whose meaning depends on the subject (see rollup-catalogue.ts).
 *
 * Postgres triggers on the source tables append signed contributions to `report_delta` (insert-only, so
 * writers never wait on each other); a compaction folds the deltas into `report_daily` and `report_monthly`.
 * Reports read monthly rows for whole months, daily rows for the edges, plus the not-yet-compacted deltas.
 */
@Entity('report_delta')
export class ReportDeltaEntity extends RollupCounters {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ type: 'date' }) day!: string;
  @Column({ type: 'uuid' }) organisationId!: string;
  @Column({ type: 'varchar', length: 16 }) subject!: string;
  @Column({ type: 'varchar', length: 20, default: '' }) dim1!: string;
  @Column({ type: 'varchar', length: 20, default: '' }) dim2!: string;
}

@Entity('report_daily')
@Index(['organisationId', 'day'])
export class ReportDailyEntity extends RollupCounters {
  @PrimaryColumn({ type: 'date' }) day!: string;
  @PrimaryColumn({ type: 'uuid' }) organisationId!: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) subject!: string;
  @PrimaryColumn({ type: 'varchar', length: 20 }) dim1!: string;
  @PrimaryColumn({ type: 'varchar', length: 20 }) dim2!: string;
}

/** The same as `report_daily`, one row per calendar month (`month` is its first day). */
@Entity('report_monthly')
@Index(['organisationId', 'month'])
export class ReportMonthlyEntity extends RollupCounters {
  @PrimaryColumn({ type: 'date' }) month!: string;
  @PrimaryColumn({ type: 'uuid' }) organisationId!: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) subject!: string;
  @PrimaryColumn({ type: 'varchar', length: 20 }) dim1!: string;
  @PrimaryColumn({ type: 'varchar', length: 20 }) dim2!: string;
}

/**
 * Time from an alert's creation to its first contact, one row per reached alert (no parent id): the median
 * and p90 need the distribution, which counters cannot give. Kept by the alerts trigger.
 */
@Entity('report_contact_times')
@Index(['organisationId', 'day'])
@Index('report_contact_times_day', ['day'])
export class ReportContactTimeEntity {
  @PrimaryColumn({ type: 'uuid' }) alertId!: string;
  @Column({ type: 'uuid' }) organisationId!: string;
  /** The alert's creation day, local to the organisation. */
  @Column({ type: 'date' }) day!: string;
  @Column({ type: 'varchar', length: 16 }) severity!: string;
  @Column({ type: 'boolean' }) positive!: boolean;
  @Column({ type: 'integer' }) seconds!: number;
}

/**
 * The time zone the rollups of each organisation were computed in. The triggers read it (a zone checked
 * by the compaction, Europe/Paris until then); when an organisation's zone changes, the compaction
 * rebuilds that organisation's rollups.
 */
@Entity('report_organisation_zones')
export class ReportOrganisationZoneEntity {
  @PrimaryColumn({ type: 'uuid' }) organisationId!: string;
  /** The zone the rollups use: the organisation's, once Postgres knows it; Europe/Paris otherwise. */
  @Column({ type: 'varchar', length: 64 }) timeZone!: string;
  /** The organisation's zone when the rollups were last rebuilt: a difference means a rebuild is due. */
  @Column({ type: 'varchar', length: 64 }) sourceTimeZone!: string;
  @Column({ type: 'timestamptz' }) rebuiltAt!: Date;
}

export const REPORT_ENTITIES = [
  ReportDeltaEntity,
  ReportDailyEntity,
  ReportMonthlyEntity,
  ReportContactTimeEntity,
  ReportOrganisationZoneEntity,
];
