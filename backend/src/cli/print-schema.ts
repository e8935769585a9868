// Prints the SQL that would bring the database at DATABASE_URL in line with the entities: the body of a new
// migration. `npm run db:diff` (README, "Adding a migration").
import { loadConfig } from '../config/config.js';
import { createDataSource } from '../database/data-source.js';
import { schemaDrift } from '../database/migrate.js';

const config = loadConfig(process.env);
const dataSource = createDataSource({ url: config.databaseUrl, applicationName: 'lien-db-diff' });
await dataSource.initialize();
const queries = await schemaDrift(dataSource);
await dataSource.destroy();
if (queries.length === 0) {
  console.log('-- The database matches the entities: no migration needed.');
} else {
  for (const query of queries) console.log(`await queryRunner.query(\`${query.replace(/`/g, '\\`')}\`);`);
}
