/**
 * Enrolment speed through the real HTTP stack (helmet, JWT guard with its session check, validation pipe, the one
 * transaction writing the parent, its invitations, their SMS outbox rows and the audit event, then the BullMQ
 * jobs) on its own database: 2,000 enrolments from 20 concurrent clients, after a warm-up.
 * Target: >= 300 enrolments/s. The load comes from a worker thread so the client does not share the server's
 * event loop.
 */
import { makeOrganisation, makeUser, signIn } from '../testing/factories.js';
import {
  benchEnvironment,
  percentile,
  postLoad,
  runWhenMain,
  withBenchApi,
  type LoadRequest,
} from './bench-kit.js';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_ENROLMENT_CLIENTS ?? 20);
const WARMUP = 200;

/** `count` enrolments by `token`'s holder, each with its own phone from `offset` on. */
function enrolments(url: string, token: string, count: number, offset: number): LoadRequest[] {
  return Array.from({ length: count }, (_, index) => ({
    url,
    bearer: token,
    contentType: 'application/json',
    body: JSON.stringify({
      firstName: 'Camille',
      lastName: `Bench${index}`,
      phone: `+3361${String(offset + index).padStart(7, '0')}`,
      role: index % 5 === 0 ? 'father' : 'mother',
      language: 'fr',
      birthDate: '2026-02-26',
      consent: { given: true, textVersion: 'bench' },
    }),
  }));
}

export async function run(): Promise<Record<string, number | string>> {
  const environment = await benchEnvironment('enrolment', {}, new Date('2026-03-02T08:00:00Z'));
  return withBenchApi(environment, async ({ dataSource, baseUrl }) => {
    const organisation = await makeOrganisation(dataSource);
    const user = await makeUser(dataSource, { organisationId: organisation.id });
    const token = await signIn(dataSource, environment.config, user);
    const url = `${baseUrl}/api/parents`;

    await postLoad(enrolments(url, token, WARMUP, 9_000_000), CONCURRENCY);
    const result = await postLoad(enrolments(url, token, ENROLMENTS, 1_000_000), CONCURRENCY);
    const latencies = [...result.latencies].sort((a, b) => a - b);
    const [{ sms }] = await dataSource.query<[{ sms: number }]>(
      `SELECT count(*)::int AS sms FROM sms_messages`,
    );
    return {
      enrolments: ENROLMENTS,
      enrolment_clients: CONCURRENCY,
      enrolments_per_second: Math.round(ENROLMENTS / result.seconds),
      enrolment_p50_ms: Math.round(percentile(latencies, 50)),
      enrolment_p99_ms: Math.round(percentile(latencies, 99)),
      enrolment_statuses: JSON.stringify(result.statuses),
      enrolment_outbox_rows: sms,
    };
  });
}

runWhenMain(import.meta.url, run);
