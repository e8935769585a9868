import { MigrationExecutor, type DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { withAdvisoryLock } from './advisory-lock.js';
import { createDataSource } from './data-source.js';

/** Any constant shared by every Lien process: only one of them migrates at a time. */
const MIGRATION_LOCK_KEY = 7_310_555_001;

/**
 * Runs pending migrations under a Postgres advisory lock, so two processes starting together never race:
 * the second waits, then finds nothing left to do. The lock is held by a transaction of its own (see
 * withAdvisoryLock), so this works through PgBouncer in transaction mode too.
 */
export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const applied = await withAdvisoryLock(dataSource, MIGRATION_LOCK_KEY, 'wait', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      // A long migration must not hit the pool's statement_timeout (API: 15 s). Behind PgBouncer in transaction
      // mode a session SET does not stick: migrate on DATABASE_SESSION_URL there (see migrateAtStartup).
      await runner.query('SET statement_timeout = 0');
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    }
  });
  return (applied ?? []).map((migration) => migration.name);
}

/**
 * Migrates at start-up: on DATABASE_SESSION_URL when set (a direct connection, past the pooler: long DDL,
 * no pooler timeouts), else on the process's own DataSource.
 */
export function migrateAtStartup(config: AppConfig, dataSource: DataSource): Promise<string[]> {
  if (!config.postgres.sessionUrl) return migrateWithLock(dataSource);
  return migrateDatabase(config.postgres.sessionUrl, 'lien-migrate');
}

/**
 * Migrates the database at `url` through a data source of its own, closed afterwards. Two connections: one
 * holds the advisory lock while the other migrates.
 */
export async function migrateDatabase(url: string, applicationName: string): Promise<string[]> {
  const direct = createDataSource({ url, poolSize: 2, applicationName });
  await direct.initialize();
  try {
    return await migrateWithLock(direct);
  } finally {
    await direct.destroy();
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
