/**
 * Parents self-screening at once on the public page, through the real HTTP stack on its own database:
 * - 100 concurrent parents send the `/depistage` form (POST, as a browser without JavaScript does), each from its
 *   own /64 (the per-network limits stay out of the way, as they would for real parents), back to back;
 * - then as many "be contacted" requests (`POST /api/public/contact-requests`), each with the stamp its own result
 *   page carried, 100 concurrent (routing, encrypted identity, the alert with its deadline, the audit);
 * - the page's size, raw and compressed (gzip, brotli): one HTML document with inline CSS.
 * The load comes from a worker thread so that the client does not share the server's event loop.
 */
import { cpus, loadavg } from 'node:os';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { getEpdsInstrument } from '@lien/shared';
import { CONTACT_MIN_SECONDS, SCREENING_MIN_SECONDS } from '../modules/screening/screening.service.js';
import { makeOrganisation } from '../testing/factories.js';
import { createTestApi, dataSourceOf } from '../testing/test-app.js';
import { benchEnvironment, percentile } from './questionnaire.bench.js';

const CONCURRENCY = 100;
const SCREENINGS = 3_000;
const CONTACTS = 1_500;
const WARMUP = 200;

/** Runs in the worker: fires the requests, returns latencies, statuses and (when asked) the answer bodies. */
const LOAD_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { requests, concurrency, keepBodies } = workerData;
const latencies = new Array(requests.length);
const bodies = keepBodies ? new Array(requests.length) : null;
const statuses = {};
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0;
function post({ url, contentType, body, forwardedFor }) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-forwarded-for': forwardedFor };
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
(async () => {
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const index = next++;
      const begun = performance.now();
      const { status, text } = await post(requests[index]);
      latencies[index] = performance.now() - begun;
      statuses[status] = (statuses[status] || 0) + 1;
      if (bodies) bodies[index] = text;
    }
  }));
  parentPort.postMessage({ latencies, statuses, bodies, seconds: (performance.now() - start) / 1000 });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

interface LoadRequest {
  url: string;
  body: string;
  contentType: string;
  forwardedFor: string;
}

interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  bodies: string[] | null;
  seconds: number;
}

function load(requests: LoadRequest[], keepBodies = false): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_SCRIPT, {
      eval: true,
      workerData: { requests, concurrency: CONCURRENCY, keepBodies },
    });
    worker.once('message', (message: LoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

/** One /64 per parent: 2001:db8:<high>:<low>::1. */
const addressOf = (index: number): string =>
  `2001:db8:${(index >>> 16).toString(16)}:${(index & 0xffff).toString(16)}::1`;

/** Mostly low, some moderate and high, a few item-10 answers. */
function answersFor(index: number): number[] {
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

const stampOf = (html: string): string | null => /name="ts" value="([^"]+)"/.exec(html)?.[1] ?? null;

const statusText = (result: LoadResult): string =>
  Object.entries(result.statuses)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');

export async function run(): Promise<Record<string, number | string>> {
  const environment = await benchEnvironment('self_screening');
  const clock = environment.clock;
  const app = await createTestApi(environment);
  try {
    const dataSource = dataSourceOf(app);
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await makeOrganisation(dataSource, { name: 'PMI Bench', settings: { servedPostalCodes: ['62100'] } });

    const page = await (await fetch(`${baseUrl}/depistage`)).text();
    const screeningStamp = stampOf(page);
    if (!screeningStamp) throw new Error('no form stamp on /depistage');
    // A person reads ten questions: the stamp must be older than the time floor.
    clock.advance((SCREENING_MIN_SECONDS + 30) * 1000);

    const screening = (index: number): LoadRequest => ({
      url: `${baseUrl}/depistage`,
      body: new URLSearchParams([
        ['lang', 'fr'],
        ['ts', screeningStamp],
        ['role', 'mother'],
        ['age', String(1 + (index % 20))],
        ['cp', '62100'],
        ...answersFor(index).map((answer, item): [string, string] => [`q${item + 1}`, String(answer)]),
      ]).toString(),
      contentType: 'application/x-www-form-urlencoded',
      forwardedFor: addressOf(index),
    });
    await load(Array.from({ length: WARMUP }, (_, index) => screening(index)));
    const screenings = await load(
      Array.from({ length: SCREENINGS }, (_, index) => screening(WARMUP + index)),
      true,
    );

    // Each contact request continues one screening: the stamp of its own result page.
    const stamps = (screenings.bodies ?? []).map(stampOf).filter((stamp): stamp is string => !!stamp);
    if (stamps.length < CONTACTS)
      throw new Error(`only ${stamps.length} result pages carried a contact stamp`);
    clock.advance((CONTACT_MIN_SECONDS + 10) * 1000);
    const contacts = await load(
      stamps.slice(0, CONTACTS).map((stamp, index) => ({
        url: `${baseUrl}/api/public/contact-requests`,
        body: JSON.stringify({
          formStamp: stamp,
          firstName: 'Camille',
          phone: `06 12 ${String(index % 100).padStart(2, '0')} 56 78`,
          channel: 'call',
          timeSlots: ['morning'],
          postalCode: '62100',
          consent: { given: true },
          language: 'fr',
        }),
        contentType: 'application/json',
        forwardedFor: addressOf(1_000_000 + index),
      })),
    );

    const [stored] = await dataSource.query<{ screenings: number; requests: number; alerts: number }[]>(
      `SELECT (SELECT count(*)::int FROM self_screenings) AS screenings,
              (SELECT count(*)::int FROM contact_requests) AS requests,
              (SELECT count(*)::int FROM alerts) AS alerts`,
    );
    return {
      cpus: cpus().length,
      load_average_1m_at_end: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      concurrency: CONCURRENCY,
      screenings: SCREENINGS,
      screenings_per_second: Math.round(SCREENINGS / screenings.seconds),
      screening_p50_ms: percentile(screenings.latencies, 50),
      screening_p99_ms: percentile(screenings.latencies, 99),
      screening_statuses: statusText(screenings),
      contact_requests: CONTACTS,
      contact_requests_per_second: Math.round(CONTACTS / contacts.seconds),
      contact_request_p50_ms: percentile(contacts.latencies, 50),
      contact_request_p99_ms: percentile(contacts.latencies, 99),
      contact_request_statuses: statusText(contacts),
      screenings_stored: stored?.screenings ?? 0,
      contact_requests_stored: stored?.requests ?? 0,
      alerts_created: stored?.alerts ?? 0,
      page_bytes: Buffer.byteLength(page),
      page_gzip_bytes: gzipSync(page, { level: 9 }).length,
      page_brotli_bytes: brotliCompressSync(page).length,
      page_budget_compressed_bytes: 20 * 1024,
    };
  } finally {
    await app.close();
    await environment.teardown();
  }
}
