import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/** A running Lien as `npm start` runs it (built API + worker + console), on its own database and Redis prefix. */
export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  /** The API and worker processes (e.g. to signal them). */
  processes: { api: ChildProcess; worker: ChildProcess };
  stop: () => Promise<void>;
}

const root = path.resolve(__dirname, '../..');
const built = (file: string) => path.join(root, 'dist/backend/backend/src', file);
const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
  });
}

export async function startStack(
  extraEnv: Record<string, string> = {},
  /** `console: false` serves the API alone (no need to build the console first). */
  options: { console?: boolean } = {},
): Promise<Stack> {
  const withConsole = options.console ?? true;
  for (const file of ['main.js', 'worker.js', 'cli/migrate.js', 'cli/seed.js']) {
    if (!existsSync(built(file))) throw new Error(`${built(file)} is missing: run \`npm run build\` first`);
  }
  if (withConsole && !existsSync(path.join(root, 'dist/frontend/browser/index.html')))
    throw new Error('The console is not built: run `npm run build`');
  const database = `lien_e2e_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE "${database}"`);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${database}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `lien-e2e-${randomBytes(4).toString('hex')}`,
    ...(withConsole ? { CONSOLE_DIR: path.join(root, 'dist/frontend/browser') } : {}),
    LOG_LEVEL: 'warn',
    // No fixed probe port: several stacks (and `npm start`) may run at once.
    WORKER_HEALTH_PORT: '0',
    LIEN_DEMO_LOGINS_FILE: '',
    ...extraEnv,
  };
  for (const cli of ['cli/migrate.js', 'cli/seed.js']) {
    const result = spawnSync(process.execPath, [built(cli)], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cli} failed: ${result.stderr || result.stdout}`);
  }
  const children = ['main.js', 'worker.js'].map((file) =>
    spawn(process.execPath, [built(file)], { env, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error('API not healthy within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    databaseUrl: databaseUrl.toString(),
    env,
    processes: { api: children[0]!, worker: children[1]! },
    stop: async () => {
      await Promise.all(children.map(stopChild));
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}
