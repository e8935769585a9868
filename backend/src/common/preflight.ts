import pg from 'pg';
import { createRedis, describeRedis } from '../queue/redis.js';
import { ConfigError, loadConfig, type AppConfig } from '../config/config.js';

/** A start-up problem that deserves one clear line, not a stack trace. */
export class StartupError extends Error {}

export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

/** Checks Postgres and Redis answer before Nest starts, so a bad URL ends in one line naming it. */
export async function preflight(config: AppConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new StartupError(
      `Cannot reach PostgreSQL at ${describeDatabase(config.databaseUrl)} (DATABASE_URL): ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = createRedis(config.redis, 'command', { lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3_000).unref()),
    ]);
  } catch (error) {
    throw new StartupError(
      `Cannot reach Redis at ${describeRedis(config.redis)} (REDIS_URL): ${(error as Error).message}. ` +
        'Start one (e.g. `apt-get install redis-server`) or set REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
}

export async function runOrExit(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const details = (error as { details?: unknown }).details;
    if (error instanceof StartupError) {
      console.error(`lien: ${error.message}`);
    } else if (Array.isArray(details)) {
      // A domain error (from a CLI such as the seed): name the fields.
      console.error(
        `lien: start-up failed: ${details.map((d: { field?: string; message?: string }) => `${d.field}: ${d.message}`).join('; ')}`,
      );
    } else {
      console.error(`lien: start-up failed: ${(error as Error).message}`);
    }
    process.exit(1);
  }
}
