/**
 * SMS dispatch speed, through the real worker (BullMQ jobs, the delivery service, the official twilio SDK) to
 * the fake Twilio server running in its own process (as the real provider would be), on its own database:
 * - throughput: 5,000 messages due now, no rate limit (SMS_RATE_PER_SECOND=10000): messages accepted per second;
 * - lateness: 5,000 messages all due at the same instant a few seconds ahead (delayed jobs already queued):
 *   p50 / p99 / max of (accepted at - due at).
 * Targets: >= 500 messages/s, p99 lateness < 2 s. Status callbacks are off: this measures dispatch.
 * Both phases run twice: with the shipped SMS_WORKER_CONCURRENCY (100, Twilio's usual account API concurrency),
 * then with the provider's limits lifted as the rate is (200 sends under way, an account with raised concurrency):
 * with 100 in flight the worker waits on the provider's answers part of the time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeOrganisation } from '../testing/factories.js';
import { makeDueSmsBatch, RunningClock } from '../testing/parents-factories.js';
import { createTestWorker, dataSourceOf, type TestEnvironment } from '../testing/test-app.js';
import { SmsQueueService } from '../modules/sms/sms-queue.service.js';
import type { DataSource } from 'typeorm';
import { benchEnvironment, percentile, runWhenMain } from './bench-kit.js';

const MESSAGES = Number(process.env.BENCH_SMS_MESSAGES ?? 5_000);
/** The second run's sends under way (the first uses the shipped default). */
const LIFTED_CONCURRENCY = process.env.BENCH_SMS_CONCURRENCY ?? '200';

async function startFakeProcess(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../testing/fake-twilio/fake-twilio-cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, '--no-callbacks'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /TWILIO_API_BASE_URL=(\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`fake Twilio exited (${code})`)));
  });
  return { baseUrl, child };
}

async function acceptedCount(dataSource: DataSource, organisationId: string): Promise<number> {
  const [row] = await dataSource.query<[{ count: number }]>(
    `SELECT count(*)::int AS count FROM sms_messages WHERE organisation_id = $1 AND provider_sid IS NOT NULL`,
    [organisationId],
  );
  return row.count;
}

/** Waits until every message of the organisation (one organisation per phase) has been accepted. */
async function waitAll(
  dataSource: DataSource,
  organisationId: string,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await acceptedCount(dataSource, organisationId)) < expected) {
    if (Date.now() > deadline) {
      const statuses = await dataSource.query<
        Array<{ status: string; error_code: string | null; count: number }>
      >(
        `SELECT status, error_code, count(*)::int AS count FROM sms_messages WHERE organisation_id = $1 GROUP BY 1, 2`,
        [organisationId],
      );
      throw new Error(`timed out waiting for the messages: ${JSON.stringify(statuses)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function run(): Promise<Record<string, number | string>> {
  const shipped = await measure(undefined);
  const lifted = await measure(LIFTED_CONCURRENCY);
  return {
    ...shipped,
    ...Object.fromEntries(Object.entries(lifted).map(([key, value]) => [`${key}_lifted`, value])),
  };
}

/** One worker with SMS_WORKER_CONCURRENCY = `concurrency` (undefined: the shipped default). */
async function measure(concurrency: string | undefined): Promise<Record<string, number | string>> {
  const fake = await startFakeProcess();
  let environment: TestEnvironment | undefined;
  let worker: Awaited<ReturnType<typeof createTestWorker>> | undefined;
  try {
    environment = await benchEnvironment('sms', {
      TWILIO_ACCOUNT_SID: 'ACfa4e0000000000000000000000000001',
      TWILIO_AUTH_TOKEN: 'fa4e70110000000000000000000000aa',
      TWILIO_API_BASE_URL: fake.baseUrl,
      SMS_RATE_PER_SECOND: '10000',
      ...(concurrency ? { SMS_WORKER_CONCURRENCY: concurrency } : {}),
    });
    // Real time, from a weekday morning in Paris so that quiet hours allow every send.
    environment.clock = new RunningClock(new Date('2026-03-03T09:00:00Z'));
    worker = await createTestWorker(environment);
    const dataSource = dataSourceOf(worker);
    const organisation = () =>
      makeOrganisation(dataSource, { settings: { reminders: { count: 0, afterHours: 48 } } });
    const smsQueue = worker.get(SmsQueueService);

    // Warm-up: connections, JIT.
    const warmOrg = await organisation();
    const warm = await makeDueSmsBatch(dataSource, environment.config, warmOrg, 200, environment.clock.now());
    await smsQueue.enqueue(warm.map((m) => ({ id: m.smsId, dueAt: environment!.clock.now() })));
    await waitAll(dataSource, warmOrg.id, warm.length, 60_000);

    // Throughput.
    const throughputOrg = await organisation();
    const batch = await makeDueSmsBatch(
      dataSource,
      environment.config,
      throughputOrg,
      MESSAGES,
      environment.clock.now(),
    );
    const started = performance.now();
    await smsQueue.enqueue(batch.map((m) => ({ id: m.smsId, dueAt: environment!.clock.now() })));
    await waitAll(dataSource, throughputOrg.id, MESSAGES, 300_000);
    const throughputSeconds = (performance.now() - started) / 1000;

    // Lateness: all due at the same instant, jobs already delayed until then.
    const lateOrg = await organisation();
    const dueAt = new Date(environment.clock.now().getTime() + 5_000);
    const late = await makeDueSmsBatch(dataSource, environment.config, lateOrg, MESSAGES, dueAt);
    await smsQueue.enqueue(late.map((m) => ({ id: m.smsId, dueAt })));
    await waitAll(dataSource, lateOrg.id, MESSAGES, 300_000);
    const rows = await dataSource.query<Array<{ late_ms: string }>>(
      `SELECT extract(epoch FROM (sent_at - due_at)) * 1000 AS late_ms FROM sms_messages WHERE id = ANY($1::uuid[])`,
      [late.map((m) => m.smsId)],
    );
    const lateness = rows.map((row) => Number(row.late_ms)).sort((a, b) => a - b);

    return {
      sms_messages: MESSAGES,
      sms_worker_concurrency: environment.config.smsDelivery.concurrency,
      sms_prepare_ahead_ms: environment.config.smsDelivery.prepareAheadMs,
      sms_dispatched_per_second: Math.round(MESSAGES / throughputSeconds),
      sms_lateness_p50_ms: Math.round(percentile(lateness, 50)),
      sms_lateness_p99_ms: Math.round(percentile(lateness, 99)),
      sms_lateness_max_ms: Math.round(lateness.at(-1) ?? Number.NaN),
    };
  } finally {
    await worker?.close();
    await environment?.teardown();
    fake.child.kill('SIGTERM');
  }
}

runWhenMain(import.meta.url, run);
