/**
 * Enrolment speed through the real HTTP stack (helmet, JWT guard with its session check, validation pipe, the one
 * transaction writing the parent, its invitations, their SMS outbox rows and the audit event, then the BullMQ
 * jobs) on its own database: 2,000 enrolments from 20 concurrent clients, after a warm-up.
 * Target: >= 300 enrolments/s. The load comes from a worker thread so the client does not share the server's
 * event loop.
 */
import { Worker } from 'node:worker_threads';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeOrganisation, makeUser, signIn } from '../testing/factories.js';
import { createTestApi, dataSourceOf, type TestEnvironment } from '../testing/test-app.js';
import { benchEnvironment, percentile, runWhenMain } from './bench-kit.js';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_ENROLMENT_CLIENTS ?? 20);
const WARMUP = 200;

const LOAD_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, bodies, concurrency } = workerData;
const latencies = new Array(bodies.length);
const statuses = {};
let next = 0;
async function client() {
  while (next < bodies.length) {
    const index = next++;
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: bodies[index] });
    await response.arrayBuffer();
    latencies[index] = performance.now() - started;
    statuses[response.status] = (statuses[response.status] || 0) + 1;
  }
}
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, client)).then(() => parentPort.postMessage({ latencies, statuses, elapsedMs: performance.now() - started }));
`;

interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  elapsedMs: number;
}

function load(url: string, token: string, bodies: string[], concurrency: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_SCRIPT, { eval: true, workerData: { url, token, bodies, concurrency } });
    worker.once('message', (result: LoadResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}

function bodies(count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      firstName: 'Camille',
      lastName: `Bench${index}`,
      phone: `+3361${String(offset + index).padStart(7, '0')}`,
      role: index % 5 === 0 ? 'father' : 'mother',
      language: 'fr',
      birthDate: '2026-02-26',
      consent: { given: true, textVersion: 'bench' },
    }),
  );
}

export async function run(): Promise<Record<string, number | string>> {
  let environment: TestEnvironment | undefined;
  let app: Awaited<ReturnType<typeof createTestApi>> | undefined;
  try {
    environment = await benchEnvironment('enrolment');
    environment.clock.set(new Date('2026-03-02T08:00:00Z'));
    app = await createTestApi(environment);
    const dataSource = dataSourceOf(app);
    const organisation = await makeOrganisation(dataSource);
    const user = await makeUser(dataSource, { organisationId: organisation.id });
    const token = await signIn(dataSource, environment.config, user);
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/parents`;

    await load(url, token, bodies(WARMUP, 9_000_000), CONCURRENCY);
    const result = await load(url, token, bodies(ENROLMENTS, 1_000_000), CONCURRENCY);
    const latencies = [...result.latencies].sort((a, b) => a - b);
    const [{ sms }] = await dataSource.query<[{ sms: number }]>(
      `SELECT count(*)::int AS sms FROM sms_messages`,
    );
    return {
      enrolments: ENROLMENTS,
      enrolment_clients: CONCURRENCY,
      enrolments_per_second: Math.round(ENROLMENTS / (result.elapsedMs / 1000)),
      enrolment_p50_ms: Math.round(percentile(latencies, 50)),
      enrolment_p99_ms: Math.round(percentile(latencies, 99)),
      enrolment_statuses: JSON.stringify(result.statuses),
      enrolment_outbox_rows: sms,
    };
  } finally {
    await app?.close();
    await environment?.teardown();
  }
}

runWhenMain(import.meta.url, run);
