/**
 * What the benches share: their own environment (database and Redis prefix), the EPDS answers their parents
 * give, the API on that environment, percentiles and timings, the HTTP load and its status counts, the weight of a
 * parents' page, and the way a bench file runs on its own (`node dist/.../x.bench.js`).
 */
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { getEpdsInstrument } from '@lien/shared';
import { FixedClock } from '../common/clock.js';
import { loadConfig } from '../config/config.js';
import { migrateDatabase } from '../database/migrate.js';
import { createTestApi, dataSourceOf, flushRedisPrefix, type TestEnvironment } from '../testing/test-app.js';
import { databaseUrl, dropTestDatabase, TEST_REDIS_URL, withServer } from '../testing/test-database.js';

/**
 * A bench's own freshly migrated database (not a clone of the test template, whose name hashes the migrations'
 * compiled code and differs between jest and the build) and its own Redis prefix. Same shape as
 * `createTestEnvironment`; `env` overrides any configuration variable, `now` sets the clock (now by default).
 */
export async function benchEnvironment(
  label: string,
  env: Record<string, string> = {},
  now = new Date(),
): Promise<TestEnvironment> {
  const database = `lien_bench_${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withServer(async (client) => void (await client.query(`CREATE DATABASE "${database}"`)));
  const url = databaseUrl(database);
  await migrateDatabase(url, `lien-bench-${label}`);
  const queuePrefix = `lienbench:${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    config,
    databaseUrl: url,
    clock: new FixedClock(now),
    teardown: async () => {
      await flushRedisPrefix(queuePrefix);
      await dropTestDatabase(database);
    },
  };
}

/** For the benches of the parents' pages: links under http://lien.bench, the clock on a Monday at 9:00 in Paris. */
export function pagesBenchEnvironment(label: string): Promise<TestEnvironment> {
  return benchEnvironment(label, { PUBLIC_BASE_URL: 'http://lien.bench' }, new Date('2026-03-02T08:00:00Z'));
}

/** The API a bench loads, on the bench's own environment. */
export interface BenchApi {
  app: INestApplication;
  dataSource: DataSource;
  /** `http://127.0.0.1:<port>`, where the load worker sends its requests. */
  baseUrl: string;
}

/** Starts the real HTTP stack on `environment`, hands it to `work`, then closes it and drops the environment. */
export async function withBenchApi<Result>(
  environment: TestEnvironment,
  work: (api: BenchApi) => Promise<Result>,
): Promise<Result> {
  try {
    const app = await createTestApi(environment);
    try {
      return await work({ app, dataSource: dataSourceOf(app), baseUrl: await app.getUrl() });
    } finally {
      await app.close();
    }
  } finally {
    await environment.teardown();
  }
}

/**
 * A parent's EPDS answers (option indexes), a realistic mix: mostly low scores, some moderate and high, one in
 * twenty with item 10 positive (those raise urgent alerts).
 */
export function answersFor(index: number): number[] {
  const mix = index % 20;
  const points =
    mix < 14
      ? [0, 1, 0, 1, 0, 0, 1, 0, 0, 0]
      : mix < 17
        ? [1, 1, 1, 1, 1, 1, 1, 2, 2, 0]
        : mix < 19
          ? [2, 2, 2, 2, 1, 2, 2, 2, 1, 0]
          : [1, 1, 1, 0, 0, 1, 1, 1, 0, 1];
  return getEpdsInstrument('fr').items.map((item, itemIndex) =>
    item.options.findIndex((option) => option.points === points[itemIndex]),
  );
}

/** The nearest-rank percentile of samples sorted in ascending order (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Latencies in ms, unsorted: their nearest-rank percentile, to 0.1 ms. */
export function latencyPercentile(latencies: readonly number[], p: number): number {
  return (
    Math.round(
      percentile(
        [...latencies].sort((a, b) => a - b),
        p,
      ) * 10,
    ) / 10
  );
}

/** `work` timed `runs` times after `warmup` untimed runs: p50, p95 and max in ms, to `decimals` places. */
export async function timeRuns(
  runs: number,
  warmup: number,
  work: () => Promise<unknown>,
  decimals: number,
): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < warmup; i += 1) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const rounded = (p: number): number => Math.round(percentile(samples, p) * 10 ** decimals) / 10 ** decimals;
  return { p50: rounded(50), p95: rounded(95), max: rounded(100) };
}

/**
 * A bench file run on its own (`node dist/backend/backend/src/bench/<name>.bench.js`) rather than through
 * `run.ts`: runs it and prints its results as JSON. `moduleUrl` is the bench file's `import.meta.url`.
 */
export function runWhenMain(moduleUrl: string, run: () => Promise<Record<string, number | string>>): void {
  if (!process.argv[1] || moduleUrl !== new URL(`file://${process.argv[1]}`).href) return;
  run().then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * Runs in a worker thread, so that the client does not share the server's event loop: POSTs the requests, `concurrency`
 * at a time back to back (closed loop) or arriving at `ratePerSecond` (open loop: latency counts from the planned
 * start), and returns one latency (ms) per request, the status counts and, when asked, the answers' bodies.
 */
const LOAD_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { requests, concurrency, ratePerSecond, keepBodies } = workerData;
const latencies = new Array(requests.length);
const bodies = keepBodies ? new Array(requests.length) : null;
const statuses = {};
// node:http with keep-alive costs the client about half of what fetch does, leaving the cores to the server.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0;
function post({ url, contentType, body, forwardedFor, bearer }) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': contentType, 'content-length': Buffer.byteLength(body) };
    if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
    if (bearer) headers.authorization = 'Bearer ' + bearer;
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => { if (keepBodies) chunks.push(chunk); });
      response.on('end', () => resolve({ status: response.statusCode, text: keepBodies ? Buffer.concat(chunks).toString('utf8') : '' }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
async function fire(index, plannedAt) {
  const { status, text } = await post(requests[index]);
  latencies[index] = performance.now() - plannedAt;
  statuses[status] = (statuses[status] || 0) + 1;
  if (bodies) bodies[index] = text;
}
async function closedLoop() {
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      await fire(index, performance.now());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
async function openLoop() {
  // Arrivals on a fixed schedule; a request that cannot start because all are in flight waits, and its wait counts.
  const start = performance.now();
  let inFlight = 0;
  const waiting = [];
  const done = [];
  for (let index = 0; index < requests.length; index += 1) {
    const plannedAt = start + (index * 1000) / ratePerSecond;
    const delay = plannedAt - performance.now();
    if (delay > 1) await new Promise((resolve) => setTimeout(resolve, delay));
    while (inFlight >= concurrency) await new Promise((resolve) => waiting.push(resolve));
    inFlight += 1;
    done.push(fire(index, plannedAt).finally(() => { inFlight -= 1; const wake = waiting.shift(); if (wake) wake(); }));
  }
  await Promise.all(done);
}
(async () => {
  const start = performance.now();
  const cpuBefore = process.threadCpuUsage();
  if (ratePerSecond) await openLoop(); else await closedLoop();
  const cpu = process.threadCpuUsage(cpuBefore);
  parentPort.postMessage({ latencies, statuses, bodies, seconds: (performance.now() - start) / 1000, clientCpuMs: (cpu.user + cpu.system) / 1000 });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

export interface LoadRequest {
  url: string;
  body: string;
  contentType: string;
  /** Sent as X-Forwarded-For: the client address the API sees (per-address limits). */
  forwardedFor?: string;
  /** Sent as `Authorization: Bearer …`, for a signed-in user's routes. */
  bearer?: string;
}

export interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  /** The answers' bodies, with `keepBodies` only. */
  bodies: string[] | null;
  seconds: number;
  /** CPU the load generator's own thread used. */
  clientCpuMs: number;
}

/** POSTs the requests from a worker thread (LOAD_SCRIPT): closed loop, or open loop with `ratePerSecond`. */
export function postLoad(
  requests: LoadRequest[],
  concurrency: number,
  options: { ratePerSecond?: number; keepBodies?: boolean } = {},
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_SCRIPT, {
      eval: true,
      workerData: {
        requests,
        concurrency,
        ratePerSecond: options.ratePerSecond ?? 0,
        keepBodies: options.keepBodies ?? false,
      },
    });
    worker.once('message', (message: LoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

/** A load's answers counted by status, `201:4990 429:10`. */
export function statusText(result: LoadResult): string {
  return Object.entries(result.statuses)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');
}

/**
 * A parents' page (one HTML document, its CSS and script inline): its size raw and compressed (gzip, brotli)
 * beside the 20 kB compressed budget of those pages.
 */
export function pageWeight(page: string): Record<string, number> {
  return {
    page_bytes: Buffer.byteLength(page),
    page_gzip_bytes: gzipSync(page, { level: 9 }).length,
    page_brotli_bytes: brotliCompressSync(page).length,
    page_budget_compressed_bytes: 20 * 1024,
  };
}
