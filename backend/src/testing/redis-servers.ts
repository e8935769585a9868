import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source.js';
import { startFakeTwilio, type FakeTwilio } from './fake-twilio/fake-twilio-server.js';
import { createTestApiOnPort, RunningClock } from './parents-factories.js';
import { freePort } from './pg-servers.js';
import { createTestEnvironment, createTestWorker, openStack, type TestEnvironment } from './test-app.js';
import { waitFor } from './wait-for.js';
import { fakeTwilioEnv } from './worker-process.js';

/**
 * Real Redis high availability for the failover spec and the national-day bench: a primary, a replica and
 * Sentinels (Debian's `redis-server` and `redis-sentinel`), each its own process on a free port, with its files
 * in a temporary directory; stopped and removed by `stop()`.
 */

/** One short-lived client to a server (or Sentinel) of the topology. */
export async function askRedis<T>(port: number, command: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await command(client);
  } finally {
    client.disconnect();
  }
}

/** The arguments of a throwaway `redis-server` on `port`: local only, nothing saved, its files in `directory`. */
export function redisServerArgs(port: number, directory: string, ...extra: string[]): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    directory,
    '--dbfilename',
    `dump-${port}.rdb`,
    ...extra,
  ];
}

/** SIGKILLs those of `children` still running; resolves once they have all exited. */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }),
  );
}

export interface RedisSentinelTopology {
  /** The primary's name in the Sentinels' configuration. */
  name: string;
  primaryPort: number;
  replicaPort: number;
  sentinelPorts: number[];
  /** `redis+sentinel://…/<name>`, as REDIS_URL takes it. */
  url: string;
  /** The primary started first (killed by `killPrimary`). */
  primary: ChildProcess;
  /** Every process started, by role (redis-primary, redis-replica, sentinel-1…), for their CPU or their pid. */
  processes: ReadonlyArray<{ role: string; child: ChildProcess }>;
  /** The last lines the servers and Sentinels printed, for a failure message. */
  output(): string;
  /** The port the first Sentinel names as primary now. */
  primaryPortNow(): Promise<number>;
  /** SIGKILLs the primary and resolves once it has exited. */
  killPrimary(): Promise<void>;
  /** Resolves with the milliseconds from `since` until the Sentinels name the replica as primary. */
  waitForPromotion(since: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A primary, one replica in sync, and `sentinels` Sentinels (quorum 2) that know the replica and each other, so
 * a failover can happen as soon as the primary goes. Down after `downAfterMs` without an answer.
 */
export async function startRedisSentinel(
  options: { sentinels?: number; downAfterMs?: number; name?: string } = {},
): Promise<RedisSentinelTopology> {
  const name = options.name ?? 'lienprimary';
  const sentinelCount = options.sentinels ?? 3;
  const downAfterMs = options.downAfterMs ?? 1_000;
  const directory = mkdtempSync(path.join(tmpdir(), 'lien-sentinel-'));
  const children: ChildProcess[] = [];
  const processes: Array<{ role: string; child: ChildProcess }> = [];
  const lines: string[] = [];
  const start = (role: string, command: string, args: string[]): ChildProcess => {
    const child = spawn(command, args, { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
    const label = `${path.basename(command)} ${args[0] ?? ''}`;
    const keep = (chunk: Buffer) => {
      lines.push(`[${label}] ${chunk.toString()}`);
      if (lines.length > 200) lines.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
    processes.push({ role, child });
    return child;
  };
  const stop = async (): Promise<void> => {
    await killAll(children);
    rmSync(directory, { recursive: true, force: true });
  };

  const ports: number[] = [];
  // Sequential: two parallel probes could be handed the same free port.
  while (ports.length < 2 + sentinelCount) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [primaryPort, replicaPort] = ports as [number, number];
  const sentinelPorts = ports.slice(2);
  const primary = start('redis-primary', 'redis-server', redisServerArgs(primaryPort, directory));
  start(
    'redis-replica',
    'redis-server',
    redisServerArgs(replicaPort, directory, '--replicaof', '127.0.0.1', String(primaryPort)),
  );
  for (const port of sentinelPorts) {
    // Sentinels rewrite their configuration file: one each.
    const file = path.join(directory, `sentinel-${port}.conf`);
    writeFileSync(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${directory}`,
        `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
        `sentinel failover-timeout ${name} 3000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    start(`sentinel-${processes.length - 1}`, 'redis-sentinel', [file]);
  }
  const output = () => lines.join('').slice(-1_000);
  try {
    await waitFor(
      'the replica in sync',
      async () =>
        (await askRedis(replicaPort, (c) => c.info('replication'))).includes('master_link_status:up'),
      15_000,
    );
    // A failover needs the Sentinels to know the replica and each other (they meet through the primary).
    await waitFor(
      'the Sentinels to know the replica and each other',
      async () => {
        for (const port of sentinelPorts) {
          const known = await askRedis(port, async (c) => ({
            replicas: (await c.call('SENTINEL', 'REPLICAS', name)) as unknown[],
            sentinels: (await c.call('SENTINEL', 'SENTINELS', name)) as unknown[],
          }));
          if (known.replicas.length !== 1 || known.sentinels.length !== sentinelPorts.length - 1)
            return false;
        }
        return true;
      },
      20_000,
      200,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- Redis/Sentinel output ---\n${output()}`);
  }

  const primaryPortNow = async (): Promise<number> => {
    const [, port] = (await askRedis(sentinelPorts[0]!, (c) =>
      c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name),
    )) as [string, string];
    return Number(port);
  };
  return {
    name,
    primaryPort,
    replicaPort,
    sentinelPorts,
    url: `redis+sentinel://${sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${name}`,
    primary,
    processes,
    output,
    primaryPortNow,
    killPrimary: () => killAll([primary]),
    waitForPromotion: async (since, timeoutMs = 20_000) => {
      await waitFor(
        'the Sentinels to promote the replica',
        async () => (await primaryPortNow()) === replicaPort,
        timeoutMs,
        50,
      );
      return Date.now() - since;
    },
    stop,
  };
}

/**
 * The SMS stack of the Redis topology specs: a fake Twilio, an environment on `redisUrl` (plus `env`), a
 * DataSource of `poolSize` for the spec's own queries, and the API (on the port PUBLIC_BASE_URL names) and a
 * worker on a running copy of the environment's clock.
 */
export interface RedisTopologyStack {
  fake: FakeTwilio;
  environment: TestEnvironment;
  dataSource: DataSource;
  api: INestApplication;
  worker: INestApplicationContext;
}

export function startStackOnRedis(
  redisUrl: string,
  poolSize: number,
  env: Record<string, string> = {},
): Promise<RedisTopologyStack> {
  return openStack(async (stack) => {
    const fake = (stack.fake = await startFakeTwilio({ autoCallbacks: false }));
    const apiPort = await freePort();
    const environment = (stack.environment = await createTestEnvironment({
      REDIS_URL: redisUrl,
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      ...fakeTwilioEnv(fake),
      SMS_PREPARE_AHEAD_MS: '0',
      ...env,
    }));
    const running = { ...environment, clock: new RunningClock(environment.clock.now()) };
    const dataSource = (stack.dataSource = await createDataSource({
      url: environment.databaseUrl,
      poolSize,
    }).initialize());
    const api = (stack.api = await createTestApiOnPort(running, apiPort));
    const worker = (stack.worker = await createTestWorker(running));
    return { fake, environment, dataSource, api, worker };
  }, stopStackOnRedis);
}

/** Closes what `startStackOnRedis` opened, whatever happened (the Redis under it may be down). */
export async function stopStackOnRedis(stack: Partial<RedisTopologyStack>): Promise<void> {
  await stack.worker?.close().catch(() => undefined);
  await stack.api?.close().catch(() => undefined);
  await stack.dataSource?.destroy().catch(() => undefined);
  await stack.environment?.teardown().catch(() => undefined);
  await stack.fake?.close().catch(() => undefined);
}
