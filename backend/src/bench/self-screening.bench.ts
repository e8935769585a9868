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
import { CONTACT_MIN_SECONDS, SCREENING_MIN_SECONDS } from '../modules/screening/screening.service.js';
import { makeOrganisation } from '../testing/factories.js';
import {
  answersFor,
  postLoad,
  type LoadRequest,
  pagesBenchEnvironment,
  latencyPercentile,
  pageWeight,
  statusText,
  withBenchApi,
} from './bench-kit.js';

const CONCURRENCY = 100;
const SCREENINGS = 3_000;
const CONTACTS = 1_500;
const WARMUP = 200;

/** One /64 per parent: 2001:db8:<high>:<low>::1. */
const addressOf = (index: number): string =>
  `2001:db8:${(index >>> 16).toString(16)}:${(index & 0xffff).toString(16)}::1`;

const stampOf = (html: string): string | null => /name="ts" value="([^"]+)"/.exec(html)?.[1] ?? null;

export async function run(): Promise<Record<string, number | string>> {
  const environment = await pagesBenchEnvironment('self_screening');
  return withBenchApi(environment, async ({ dataSource, baseUrl }) => {
    const clock = environment.clock;
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
    await postLoad(
      Array.from({ length: WARMUP }, (_, index) => screening(index)),
      CONCURRENCY,
    );
    const screenings = await postLoad(
      Array.from({ length: SCREENINGS }, (_, index) => screening(WARMUP + index)),
      CONCURRENCY,
      { keepBodies: true },
    );

    // Each contact request continues one screening: the stamp of its own result page.
    const stamps = (screenings.bodies ?? []).map(stampOf).filter((stamp): stamp is string => !!stamp);
    if (stamps.length < CONTACTS)
      throw new Error(`only ${stamps.length} result pages carried a contact stamp`);
    clock.advance((CONTACT_MIN_SECONDS + 10) * 1000);
    const contacts = await postLoad(
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
      CONCURRENCY,
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
      screening_p50_ms: latencyPercentile(screenings.latencies, 50),
      screening_p99_ms: latencyPercentile(screenings.latencies, 99),
      screening_statuses: statusText(screenings),
      contact_requests: CONTACTS,
      contact_requests_per_second: Math.round(CONTACTS / contacts.seconds),
      contact_request_p50_ms: latencyPercentile(contacts.latencies, 50),
      contact_request_p99_ms: latencyPercentile(contacts.latencies, 99),
      contact_request_statuses: statusText(contacts),
      screenings_stored: stored?.screenings ?? 0,
      contact_requests_stored: stored?.requests ?? 0,
      alerts_created: stored?.alerts ?? 0,
      ...pageWeight(page),
    };
  });
}
