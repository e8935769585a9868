/**
 * Parents answering at once, through the real HTTP stack (helmet, guard, JSON body parser, the one transaction with
 * alerts and audit) on its own database: seeds sent invitations with their links and a pending reminder each, then
 * - closed loop: 100 concurrent parents submit `POST /api/public/questionnaires/:token/responses` back to back;
 * - open loop: submissions arrive at 500/s (at most 100 in flight), latency measured from the planned start;
 * - the form path (`POST /q/:token`) the same way, closed loop;
 * - the question page's size, raw and compressed (gzip, brotli), with its inline CSS and script.
 * Targets: >= 500 submissions/s, p99 < 50 ms, page < 20 kB compressed. For context it also reports the CPU count, the
 * load average and what a trivial transaction costs on the same Postgres at the same moment.
 * The load comes from a worker thread so that the client does not share the server's event loop.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { DataSource } from 'typeorm';
import { hashToken, randomToken } from '../common/crypto/field-encryption.service.js';
import { makeOrganisation } from '../testing/factories.js';
import {
  answersFor,
  postLoad,
  type LoadRequest,
  type LoadResult,
  pagesBenchEnvironment,
  latencyPercentile,
  pageWeight,
  statusText,
  withBenchApi,
} from './bench-kit.js';

const CONCURRENCY = 100;
const CLOSED_LOOP_SUBMISSIONS = 5_000;
const OPEN_LOOP_RATE = 500;
const OPEN_LOOP_SUBMISSIONS = 2_500;
const FORM_SUBMISSIONS = 2_000;
const WARMUP = 500;

/**
 * CPU spent by the API's thread and by the bench database's Postgres backends: CPU per submission is steadier than
 * throughput when something else shares the machine. Postgres CPU comes from /proc (null where it is not readable).
 */
interface CpuSnapshot {
  apiThreadMs: number;
  postgresMs: number | null;
}

async function cpuSnapshot(dataSource: DataSource): Promise<CpuSnapshot> {
  const usage = process.threadCpuUsage();
  const apiThreadMs = (usage.user + usage.system) / 1000;
  const backends = await dataSource.query<{ pid: number }[]>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  let ticks = 0;
  try {
    for (const { pid } of backends) {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): user and system clock ticks.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return { apiThreadMs, postgresMs: null };
  }
  return { apiThreadMs, postgresMs: ticks * 10 };
}

function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, load: LoadResult, requests: number): string {
  const api = (after.apiThreadMs - before.apiThreadMs) / requests;
  const postgres =
    before.postgresMs === null || after.postgresMs === null
      ? 'n/a'
      : ((after.postgresMs - before.postgresMs) / requests).toFixed(2);
  return `api ${api.toFixed(2)} / postgres ${postgres} / load client ${(load.clientCpuMs / requests).toFixed(2)}`;
}

async function rawTransactionsPerSecond(dataSource: DataSource): Promise<number> {
  await dataSource.query('CREATE TABLE bench_baseline (id serial PRIMARY KEY, value integer)');
  const count = 2_000;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        await dataSource.transaction(async (manager) => {
          await manager.query('INSERT INTO bench_baseline (value) VALUES (1)');
          await manager.query('UPDATE bench_baseline SET value = value + 1 WHERE id = 1');
        });
      }
    }),
  );
  const perSecond = Math.round(count / ((performance.now() - start) / 1000));
  await dataSource.query('DROP TABLE bench_baseline');
  return perSecond;
}

export async function run(): Promise<Record<string, number | string>> {
  return withBenchApi(await pagesBenchEnvironment('questionnaire'), async ({ dataSource, baseUrl }) => {
    const organisation = await makeOrganisation(dataSource, {
      name: 'PMI Bench',
      settings: { contactPhone: '03 21 00 00 00' },
    });

    const total = WARMUP + CLOSED_LOOP_SUBMISSIONS + OPEN_LOOP_SUBMISSIONS + FORM_SUBMISSIONS + 1;
    const tokens = Array.from({ length: total }, () => randomToken());
    const seedStart = Date.now();
    await dataSource.query(
      `WITH p AS (
         INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, last_name_index, first_name_index,
                              role, language, birth_date, consent_recorded_by, consent_recorded_at, consent_text_version)
         SELECT $1, 'v1.1.x', 'v1.1.x', 'v1.1.x', md5('bench-p' || i), md5('bench-l' || i), md5('bench-f' || i),
                (ARRAY['mother','mother','father','co_parent'])[1 + i % 4], 'fr', DATE '2026-02-23', gen_random_uuid(), now(), 'v1'
           FROM generate_series(1, $2) AS i
         RETURNING id
       ), numbered AS (SELECT id, row_number() OVER () AS n FROM p),
       i AS (
         INSERT INTO invitations (organisation_id, parent_id, wave, due_at, status, sent_at, expires_at)
         SELECT $1, id, 'day7', $3, 'sent', $3, $3::timestamptz + interval '7 days' FROM numbered
         RETURNING id, parent_id
       ), links AS (
         INSERT INTO invitation_links (organisation_id, invitation_id, token_hash)
         SELECT $1, i.id, ($4::text[])[numbered.n] FROM i JOIN numbered ON numbered.id = i.parent_id
       )
       INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at)
       SELECT $1, parent_id, id, 'reminder', $3::timestamptz + interval '2 days' FROM i`,
      [organisation.id, total, new Date('2026-03-01T09:00:00Z'), tokens.map(hashToken)],
    );
    await dataSource.query('ANALYZE');
    const seedSeconds = Math.round((Date.now() - seedStart) / 100) / 10;

    // Each token opens one parent's invitation (which one does not matter here).
    let cursor = 0;
    const take = (count: number): string[] => {
      const slice = tokens.slice(cursor, cursor + count);
      cursor += count;
      return slice;
    };
    const json = (token: string, index: number): LoadRequest => ({
      url: `${baseUrl}/api/public/questionnaires/${token}/responses`,
      body: JSON.stringify({ answers: answersFor(index) }),
      contentType: 'application/json',
    });
    const form = (token: string, index: number): LoadRequest => ({
      url: `${baseUrl}/q/${token}`,
      body: new URLSearchParams([
        ['lang', 'fr'],
        ...answersFor(index).map((answer, item): [string, string] => [`q${item + 1}`, String(answer)]),
      ]).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });

    // Context for the numbers: what this machine's Postgres does right now with a trivial 4-statement transaction
    // (BEGIN, INSERT, UPDATE, COMMIT) over 20 connections and 100 concurrent callers, without HTTP or Nest.
    const baseline = await rawTransactionsPerSecond(dataSource);

    // The page a parent downloads (one HTML document: CSS and script are inline).
    const pageToken = take(1)[0]!;
    const page = await (await fetch(`${baseUrl}/q/${pageToken}`)).text();

    await postLoad(take(WARMUP).map(json), CONCURRENCY);
    const closedCpu = await cpuSnapshot(dataSource);
    const closed = await postLoad(take(CLOSED_LOOP_SUBMISSIONS).map(json), CONCURRENCY);
    const closedCpuAfter = await cpuSnapshot(dataSource);
    const open = await postLoad(take(OPEN_LOOP_SUBMISSIONS).map(json), CONCURRENCY, {
      ratePerSecond: OPEN_LOOP_RATE,
    });
    const formCpu = await cpuSnapshot(dataSource);
    const forms = await postLoad(take(FORM_SUBMISSIONS).map(form), CONCURRENCY);
    const formCpuAfter = await cpuSnapshot(dataSource);

    const [stored] = await dataSource.query<
      { responses: number; completed: number; reminders_cancelled: number; alerts: number }[]
    >(
      `SELECT count(*)::int AS responses, (SELECT count(*)::int FROM invitations WHERE status = 'completed') AS completed,
              (SELECT count(*)::int FROM sms_messages WHERE status = 'cancelled') AS reminders_cancelled,
              (SELECT count(*)::int FROM alerts) AS alerts
         FROM responses`,
    );

    return {
      cpus: cpus().length,
      load_average_1m_at_end: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      raw_postgres_4_statement_transactions_per_second: baseline,
      seeded_sent_invitations: total,
      seed_seconds: seedSeconds,
      concurrency: CONCURRENCY,
      closed_loop_submissions: CLOSED_LOOP_SUBMISSIONS,
      closed_loop_submissions_per_second: Math.round(CLOSED_LOOP_SUBMISSIONS / closed.seconds),
      closed_loop_p50_ms: latencyPercentile(closed.latencies, 50),
      closed_loop_p99_ms: latencyPercentile(closed.latencies, 99),
      closed_loop_statuses: statusText(closed),
      closed_loop_cpu_ms_per_submission: cpuPerRequest(
        closedCpu,
        closedCpuAfter,
        closed,
        CLOSED_LOOP_SUBMISSIONS,
      ),
      open_loop_rate_per_second: OPEN_LOOP_RATE,
      open_loop_achieved_per_second: Math.round(OPEN_LOOP_SUBMISSIONS / open.seconds),
      open_loop_p50_ms: latencyPercentile(open.latencies, 50),
      open_loop_p99_ms: latencyPercentile(open.latencies, 99),
      open_loop_statuses: statusText(open),
      form_submissions_per_second: Math.round(FORM_SUBMISSIONS / forms.seconds),
      form_p99_ms: latencyPercentile(forms.latencies, 99),
      form_statuses: statusText(forms),
      form_cpu_ms_per_submission: cpuPerRequest(formCpu, formCpuAfter, forms, FORM_SUBMISSIONS),
      target_submissions_per_second: 500,
      target_p99_ms: 50,
      responses_stored: stored?.responses ?? 0,
      invitations_completed: stored?.completed ?? 0,
      reminders_cancelled: stored?.reminders_cancelled ?? 0,
      alerts_created: stored?.alerts ?? 0,
      ...pageWeight(page),
    };
  });
}
