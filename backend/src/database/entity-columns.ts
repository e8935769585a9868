import {
  Column,
  CreateDateColumn,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type ObjectType,
} from 'typeorm';

/*
 * The columns most tables share, declared once. An entity extends one of these abstract classes (no tables
 * themselves) and TypeORM gives it their columns; only the order it lists them in moves, which the migrated
 * tables and the drift check (migrate.ts) ignore.
 */

/** A row keyed by a generated uuid, stamped with when it was written. */
export abstract class CreatedRow {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** A row that changes after it is written: also stamped with its last change. */
export abstract class EditableRow extends CreatedRow {
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

/** A row of one organisation's data, which every read scopes on `organisation_id`. */
export abstract class OrganisationRow extends CreatedRow {
  @Column({ type: 'uuid' }) organisationId!: string;
}

/** An `OrganisationRow` that changes after it is written. */
export abstract class EditableOrganisationRow extends EditableRow {
  @Column({ type: 'uuid' }) organisationId!: string;
}

/** What deleting the referenced row does to the rows that reference it. */
export type OnDelete = 'CASCADE' | 'RESTRICT' | 'SET NULL';

/**
 * The foreign key behind a relation property: the `<property>_id` column (the naming strategy's rule, a uuid
 * column the entity declares) references `target`'s id. The constraint name is TypeORM's unless given.
 */
export function References<T>(
  target: () => ObjectType<T>,
  onDelete: OnDelete,
  foreignKeyConstraintName?: string,
): PropertyDecorator {
  return (prototype, property) => {
    ManyToOne(target, { onDelete, createForeignKeyConstraints: true })(prototype, property);
    JoinColumn({ foreignKeyConstraintName })(prototype, property);
  };
}
