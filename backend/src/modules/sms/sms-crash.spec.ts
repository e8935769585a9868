import type { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../database/data-source.js';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation } from '../../testing/factories.js';
import { makeDueSmsBatch } from '../../testing/parents-factories.js';
import { WORKER_CRASH_SMS_ENV } from '../../testing/jest/sms-stack.js';
import { createTestEnvironment, type TestEnvironment } from '../../testing/test-app.js';
import { waitFor } from '../../testing/wait-for.js';
import { WorkerProcesses, fakeTwilioEnv } from '../../testing/worker-process.js';

jest.setTimeout(150_000);

const MESSAGES = 1_000;

/**
 * The real worker entry point (`worker.ts`, compiled) in its own process against this file's database, Redis
 * prefix and fake Twilio; killed with SIGKILL in the middle of a batch, then started again.
 */
describe('SMS worker killed mid-batch (SIGKILL), then restarted', () => {
  let fake: FakeTwilio;
  let environment: TestEnvironment;
  let dataSource: DataSource;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
    environment = await createTestEnvironment(fakeTwilioEnv(fake));
    dataSource = createDataSource({ url: environment.databaseUrl, poolSize: 4 });
    await dataSource.initialize();
    workers.compile();
  });
  afterAll(async () => {
    workers.dispose();
    await dataSource?.destroy();
    await environment?.teardown();
    await fake?.close();
  });

  const startWorker = (): ChildProcess =>
    workers.start(environment, fake, {
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      ...WORKER_CRASH_SMS_ENV,
    });

  const accepted = async (): Promise<number> => {
    const [row] = await dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM sms_messages WHERE provider_sid IS NOT NULL`,
    );
    return row.count;
  };

  it('sends each of 1,000 due messages exactly once, losing none', async () => {
    // Quiet hours are checked against real time here: allow any time of any day.
    const organisation = await makeOrganisation(dataSource, {
      settings: {
        reminders: { count: 0, afterHours: 48 },
        quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false },
      },
    });
    const due = await makeDueSmsBatch(
      dataSource,
      environment.config,
      organisation,
      MESSAGES,
      new Date(Date.now() - 1_000),
    );

    const first = startWorker();
    await workers.withOutput(() =>
      waitFor('the first worker to be mid-batch', () => fake.messages.length >= 200, 90_000),
    );
    await workers.kill(first);
    const atKill = fake.messages.length;
    const [{ inFlight }] = await dataSource.query<[{ inFlight: number }]>(
      `SELECT count(*)::int AS "inFlight" FROM sms_messages WHERE status = 'sending'`,
    );
    expect(atKill).toBeLessThan(MESSAGES);
    expect(inFlight).toBeGreaterThan(0);

    startWorker();
    await workers.withOutput(() =>
      waitFor('every message accepted', async () => (await accepted()) === MESSAGES, 120_000),
    );
    await fake.idle();
    const perPhone = new Map<string, number>();
    for (const message of fake.messages) perPhone.set(message.to, (perPhone.get(message.to) ?? 0) + 1);
    expect(fake.messages).toHaveLength(MESSAGES);
    for (const { phone } of due) expect([phone, perPhone.get(phone)]).toEqual([phone, 1]);
    const rows = await dataSource.query<Array<{ provider_sid: string; status: string }>>(
      `SELECT s.provider_sid, s.status FROM sms_messages s`,
    );
    expect(new Set(rows.map((row) => row.provider_sid))).toEqual(new Set(fake.messages.map((m) => m.sid)));
    expect(rows.every((row) => row.status === 'queued')).toBe(true);
    // Every send the kill cut short went through the provider check (adopted if the fake had it, else resent).
    const [{ checked }] = await dataSource.query<[{ checked: number }]>(
      `SELECT count(*)::int AS checked FROM sms_messages WHERE status_history @> '[{"status": "unknown", "errorCode": "worker_lost"}]'::jsonb`,
    );
    expect(checked).toBe(inFlight);
  });
});
