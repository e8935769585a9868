import { execFile } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * Real PostgreSQL servers and PgBouncer for the scaling tests, started in a temporary directory on free ports
 * and stopped by the test. The machine's server cannot be a replication primary for the tests (its pg_hba
 * has no replication entry, and tests must not reconfigure it), so a small primary of their own is made.
 */

const run = promisify(execFile);

/** The server binaries of the newest PostgreSQL installed (Debian keeps them off the PATH). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql');
  return join(root, versions[0]!, 'bin');
}

/** initdb and the server refuse to run as root: as root, everything runs as the postgres account. */
const asRoot = process.getuid?.() === 0;

async function runAsOwner(file: string, args: string[]): Promise<string> {
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const { stdout } = await run(command, argv, { timeout: 60_000 });
  return stdout;
}

function ownedDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) chownSync(dir, postgresUid(), postgresGid());
  return dir;
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (!ids) {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('postgres:'));
    if (!line) throw new Error('Running as root needs a postgres account to start PostgreSQL');
    const fields = line.split(':');
    ids = { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  return ids;
}
const postgresUid = () => postgresIds().uid;
const postgresGid = () => postgresIds().gid;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PostgresServer {
  port: number;
  dataDir: string;
  url(database: string): string;
  stop(): Promise<void>;
}

async function startServer(dataDir: string, port: number): Promise<PostgresServer> {
  const bin = postgresBinDir();
  await runAsOwner(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    join(dataDir, 'server.log'),
    '-w',
    '-t',
    '30',
    '-o',
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  let stopped = false;
  return {
    port,
    dataDir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await runAsOwner(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
    },
  };
}

export interface ReplicatedPair {
  primary: PostgresServer;
  replica: PostgresServer;
  /** Stops both servers and removes their files. */
  stop(): Promise<void>;
}

/**
 * A primary (initdb, trust on 127.0.0.1, replication allowed) and a hot-standby streaming replica of it
 * (pg_basebackup -R), each on a free port. Durability is off: these are throwaway test servers.
 */
export async function startPrimaryAndReplica(): Promise<ReplicatedPair> {
  const bin = postgresBinDir();
  const root = ownedDir('lien-pg-');
  const primaryDir = join(root, 'primary');
  const replicaDir = join(root, 'replica');
  await runAsOwner(join(bin, 'initdb'), ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  appendFileSync(
    join(primaryDir, 'postgresql.conf'),
    [
      'wal_level = replica',
      'max_wal_senders = 4',
      'fsync = off',
      'full_page_writes = off',
      'shared_buffers = 16MB',
      'max_connections = 50',
      '',
    ].join('\n'),
  );
  const primary = await startServer(primaryDir, await freePort());
  let replica: PostgresServer | undefined;
  try {
    await runAsOwner(join(bin, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ]);
    replica = await startServer(replicaDir, await freePort());
  } catch (error) {
    await primary.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const standby = replica;
  return {
    primary,
    replica: standby,
    stop: async () => {
      await standby.stop();
      await primary.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Waits until the replica has replayed everything the primary wrote so far. */
export async function waitForReplay(
  primaryUrl: string,
  replicaUrl: string,
  timeoutMs = 20_000,
): Promise<void> {
  const lsn = await withClient(primaryUrl, async (client) => {
    const result = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return result.rows[0]!.lsn;
  });
  const deadline = Date.now() + timeoutMs;
  await withClient(replicaUrl, async (client) => {
    for (;;) {
      const result = await client.query<{ done: boolean }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
        [lsn],
      );
      if (result.rows[0]?.done) return;
      if (Date.now() > deadline) throw new Error('The replica did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PgBouncer {
  port: number;
  url(database: string): string;
  stop(): Promise<void>;
}

const PGBOUNCER = '/usr/sbin/pgbouncer';

/** The installed PgBouncer's version, e.g. [1, 18, 0]. */
export async function pgBouncerVersion(): Promise<number[]> {
  const { stdout } = await run(PGBOUNCER, ['--version']);
  const match = /PgBouncer (\d+)\.(\d+)(?:\.(\d+))?/.exec(stdout);
  if (!match) throw new Error(`Unexpected pgbouncer --version output: ${stdout.split('\n')[0]}`);
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** PgBouncer 1.21+ keeps protocol-level named prepared statements in transaction mode (max_prepared_statements). */
export function keepsPreparedStatements(version: number[]): boolean {
  return version[0]! > 1 || (version[0] === 1 && version[1]! >= 21);
}

/**
 * PgBouncer in transaction mode in front of `target` (any database name is passed through), trusting every
 * client. On versions that support them (1.21+), protocol-level prepared statements are turned on.
 */
export async function startPgBouncer(target: { host: string; port: number }): Promise<PgBouncer> {
  const preparedStatements = keepsPreparedStatements(await pgBouncerVersion());
  const dir = ownedDir('lien-pgbouncer-');
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${target.host} port=${target.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      'admin_users = postgres',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 200',
      'default_pool_size = 5',
      // Few server connections for many clients: a statement that relied on its session would meet another.
      'ignore_startup_parameters = extra_float_digits,options,statement_timeout',
      ...(preparedStatements ? ['max_prepared_statements = 200'] : []),
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  if (asRoot)
    for (const file of ['pgbouncer.ini', 'users.txt'])
      chownSync(join(dir, file), postgresUid(), postgresGid());
  await runAsOwner(PGBOUNCER, ['-d', ini]);
  // -d returns once daemonised: wait until it accepts connections.
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await withClient(url('postgres'), (client) => client.query('SELECT 1'));
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  let stopped = false;
  return {
    port,
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8').trim());
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        for (let i = 0; i < 50 && alive(pid); i += 1)
          await new Promise((resolve) => setTimeout(resolve, 100));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
