// `npm run db:migrate`: applies pending migrations under the advisory lock, then checks for drift.
import 'reflect-metadata';
import { loadConfigOrExit, preflight, runOrExit, StartupError } from '../common/preflight.js';
import { createDataSource } from '../database/data-source.js';
import { migrateWithLock, schemaDrift } from '../database/migrate.js';

await runOrExit(async () => {
  const config = loadConfigOrExit();
  await preflight(config);
  // DATABASE_SESSION_URL (direct to Postgres) when the application goes through PgBouncer.
  const dataSource = createDataSource({
    url: config.postgres.sessionUrl ?? config.databaseUrl,
    applicationName: 'lien-migrate',
  });
  await dataSource.initialize();
  try {
    const applied = await migrateWithLock(dataSource);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migration.');
    const drift = await schemaDrift(dataSource);
    if (drift.length > 0)
      throw new StartupError(
        `Entities and migrations differ (${drift.length} statements): run npm run db:diff`,
      );
  } finally {
    await dataSource.destroy();
  }
});
