import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';
import { migrateWithLock, schemaDrift } from './migrate.js';
import { databaseUrl, dropTestDatabase, withServer } from '../testing/test-database.js';
import { randomBytes } from 'node:crypto';

async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lien_test_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`;
  await withServer((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    url: databaseUrl(name),
    drop: () => dropTestDatabase(name),
  };
}

describe('migrations (real Postgres)', () => {
  it('leave no drift between entities and the migrated schema', async () => {
    const database = await emptyDatabase();
    const dataSource = createDataSource({ url: database.url, poolSize: 2 });
    await dataSource.initialize();
    try {
      const applied = await migrateWithLock(dataSource);
      expect(applied.length).toBeGreaterThan(0);
      expect(await schemaDrift(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('detect drift when the schema and the entities differ', async () => {
    const database = await emptyDatabase();
    const dataSource = createDataSource({ url: database.url, poolSize: 2 });
    await dataSource.initialize();
    try {
      await migrateWithLock(dataSource);
      await dataSource.query('ALTER TABLE "parents" DROP COLUMN "language"');
      const drift = await schemaDrift(dataSource);
      expect(drift.join('\n')).toMatch(/ALTER TABLE "parents" ADD "language"/);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('serialise concurrent start-ups with the advisory lock: each migration runs once', async () => {
    const database = await emptyDatabase();
    const sources: DataSource[] = [0, 1, 2].map(() => createDataSource({ url: database.url, poolSize: 2 }));
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      const results = await Promise.all(sources.map((source) => migrateWithLock(source)));
      const appliedCounts = results.map((applied) => applied.length).sort();
      expect(appliedCounts.slice(0, 2)).toEqual([0, 0]);
      expect(appliedCounts[2]).toBeGreaterThan(0);
      const rows: { n: number }[] = await sources[0]!.query(
        'SELECT name, count(*)::int AS n FROM migrations GROUP BY name',
      );
      expect(rows.every((row) => row.n === 1)).toBe(true);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
      await database.drop();
    }
  });

  it('survive two real processes migrating the same empty database at once', async () => {
    const database = await emptyDatabase();
    // The compiled CLI, as `npm run db:migrate` runs it (`npm test` builds before running jest).
    const cli = path.resolve(__dirname, '../../../dist/backend/backend/src/cli/migrate.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const run = () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [cli], {
          env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (code) => resolve({ code, output }));
      });
    try {
      const [a, b] = await Promise.all([run(), run()]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const outputs = [a.output, b.output].sort();
      // One process applied everything; the other waited on the lock and found nothing left.
      expect(outputs[0]).toMatch(/^Applied: InitialSchema/);
      expect(outputs[1]).toMatch(/^No pending migration\./);
    } finally {
      await database.drop();
    }
  });
});
