import { MigrationExecutor, type DataSource } from 'typeorm';

/** Any constant shared by every Lien process: only one of them migrates at a time. */
const MIGRATION_LOCK_KEY = 7_310_555_001;

/**
 * Runs pending migrations under a Postgres advisory lock, so two processes starting together never race:
 * the second waits, then finds nothing left to do.
 */
export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    // Waiting for the lock and a long migration must not hit the pool's statement_timeout (API: 15 s).
    await lockRunner.query('SET statement_timeout = 0');
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, lockRunner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.query('RESET statement_timeout').catch(() => undefined);
    await lockRunner.release();
  }
}

/**
 * The SQL TypeORM would still run to make the database match the entities. Empty when migrations and
 * entities agree; anything else is drift (a column added to an entity without its migration, or the reverse).
 */
export async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}
