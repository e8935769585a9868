import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS } from '../../../migrations/index.js';
import { migrateDatabase } from '../database/migrate.js';
import { withClient } from './pg-servers.js';

/** Integration tests use the machine's real Postgres: DATABASE_URL's server, or 127.0.0.1:5432 as postgres. */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_SERVER_URL ??
  serverUrlOf(process.env.DATABASE_URL) ??
  'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const TEMPLATE_LOCK_KEY = 7_310_555_002;
const STALE_AFTER_SECONDS = 3 * 3600;

function serverUrlOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

export function databaseUrl(name: string): string {
  const parsed = new URL(TEST_SERVER_URL);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(TEST_SERVER_URL, work);
}

/** The template's name carries a hash of the migrations' code: a changed migration builds a new template. */
export function templateName(): string {
  const digest = createHash('sha256')
    .update(MIGRATIONS.map((migration) => migration.toString()).join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `lien_tpl_${digest}`;
}

let templateReady: Promise<string> | undefined;

/** Builds the migrated template once per machine (under an advisory lock), and clears old test databases. */
function ensureTemplate(): Promise<string> {
  templateReady ??= withServer(async (client) => {
    const name = templateName();
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        // Other checkouts of the project (branches with other migrations) may be testing on this server right
        // now: only templates unused for STALE_AFTER_SECONDS are dropped (their comment holds their last use).
        const old = await client.query<{ datname: string; used: string | null }>(
          `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS used
             FROM pg_database d WHERE d.datname LIKE 'lien\\_tpl\\_%'`,
        );
        const now = Math.floor(Date.now() / 1000);
        for (const { datname, used } of old.rows) {
          if (now - Number(used ?? 0) > STALE_AFTER_SECONDS)
            await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        }
        await client.query(`CREATE DATABASE "${name}"`);
        try {
          await migrateDatabase(databaseUrl(name), 'lien-test-template');
        } catch (error) {
          // Never leave a half-migrated template behind for the next file to clone.
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          throw error;
        }
      }
      const now = Math.floor(Date.now() / 1000);
      await client.query(`COMMENT ON DATABASE "${name}" IS '${now}'`);
      const stale = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'lien\\_test\\_%'`,
      );
      for (const { datname } of stale.rows) {
        const created = Number(datname.split('_')[2]);
        if (Number.isFinite(created) && now - created > STALE_AFTER_SECONDS) {
          await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        }
      }
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return templateReady;
}

/** A fresh database cloned from the migrated template: each test file gets its own, so files run in parallel. */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `lien_test_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`;
  await withServer(async (client) => {
    // Cloning needs the template idle; clones from parallel files can collide, so retry briefly. A template
    // dropped meanwhile (an older checkout clearing templates) is built again.
    for (let attempt = 0; ; attempt += 1) {
      const template = await ensureTemplate();
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        const message = (error as Error).message;
        if (attempt >= 50) throw error;
        if (/template database .* does not exist/.test(message)) templateReady = undefined;
        else if (!/being accessed by other users/.test(message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      }
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () => dropTestDatabase(name),
  };
}

/**
 * Drops a test database once its sessions have gone. pg's `Pool.end()` resolves before its connections are
 * closed on the server; a FORCE drop meanwhile terminates them, and the FATAL answer reaches the ending pool
 * as an uncaught error that fails whichever test ran last. Sessions still there after a few seconds are leaks:
 * FORCE ends them.
 */
export async function dropTestDatabase(name: string): Promise<void> {
  await withServer(async (client) => {
    for (let waited = 0; waited < 3_000; waited += 25) {
      const sessions = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = $1 AND backend_type = 'client backend'`,
        [name],
      );
      if (sessions.rows[0]!.count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
