import { randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source.js';
import { RollupMaintenanceService } from '../modules/reports/rollup-maintenance.service.js';
import { NOTES_BACKFILL_SCHEDULER } from '../modules/alerts/alerts.processor.js';
import { ReportsProcessor, ROLLUP_MAINTENANCE_SCHEDULER } from '../modules/reports/reports.processor.js';
import { RETENTION_PURGE_SCHEDULER, RetentionProcessor } from '../modules/retention/retention.processor.js';
import { NAME_PREFIXES_BACKFILL_SCHEDULER } from '../modules/parents/parents.processor.js';
import { ROLLUP_LOCK_KEY } from '../modules/reports/reports.repository.js';
import { RETENTION_LOCK_KEY } from '../modules/retention/retention.repository.js';
import { RetentionPurgeService } from '../modules/retention/retention.service.js';
import { smsJob } from '../modules/sms/sms-queue.service.js';
import {
  SMS_RECONCILE_SCHEDULER,
  SmsMaintenanceProcessor,
  SmsProcessor,
} from '../modules/sms/sms.processor.js';
import { startFakeTwilio, type FakeTwilio } from '../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation } from '../testing/factories.js';
import { makeDueSmsBatch } from '../testing/parents-factories.js';
import {
  compileWithClock,
  createTestEnvironment,
  createTestWorker,
  queue,
  type TestEnvironment,
} from '../testing/test-app.js';
import { WorkerModule } from '../app.module.js';
import { JobConsumers } from './job-consumers.js';
import { JobHandler } from './job-handler.decorator.js';
import { QUEUES, type JobPayloads, type QueueName } from './jobs.js';
import { waitFor } from '../testing/wait-for.js';

const ALL = Object.values(QUEUES);

/** A second consumer of `email.send`, as a processor copied into another module would be. */
@Injectable()
class SecondEmailProcessor {
  @JobHandler('email.send')
  send({ emailMessageId }: JobPayloads['email.send']): Promise<unknown> {
    return Promise.resolve(emailMessageId);
  }
}

@Module({ providers: [SecondEmailProcessor] })
class SecondEmailModule {}

/** Real workers (module graph from WorkerModule.forRoot) against this file's database, Redis prefix, fake Twilio. */
describe('WORKER_QUEUES: which queues a worker process consumes', () => {
  let fake: FakeTwilio;
  let dataSource: DataSource | null = null;
  const environments: TestEnvironment[] = [];
  const workers: INestApplicationContext[] = [];

  async function environment(workerQueues?: string): Promise<TestEnvironment> {
    const created = await createTestEnvironment({
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_API_BASE_URL: fake.baseUrl,
      ...(workerQueues === undefined ? {} : { WORKER_QUEUES: workerQueues }),
    });
    environments.push(created);
    return created;
  }

  async function worker(base: TestEnvironment, workerQueues?: string): Promise<INestApplicationContext> {
    // Same database and Redis prefix as `base`, its own WORKER_QUEUES (as a second process would have).
    const config = Object.freeze({
      ...base.config,
      workerQueues: new Set(workerQueues === undefined ? ALL : (workerQueues.split(',') as QueueName[])),
    });
    const started = await createTestWorker({ ...base, config });
    workers.push(started);
    return started;
  }

  /** Queue names with at least one consumer connected, as BullMQ sees them in Redis. */
  async function consumed(app: INestApplicationContext): Promise<QueueName[]> {
    const result: QueueName[] = [];
    for (const name of ALL) if ((await queue(app, name).getWorkers()).length > 0) result.push(name);
    return result;
  }

  async function schedulers(app: INestApplicationContext): Promise<string[]> {
    const ids: string[] = [];
    for (const name of ALL)
      for (const scheduler of await queue(app, name).getJobSchedulers()) ids.push(`${name}:${scheduler.key}`);
    return ids.sort();
  }

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
  });
  afterEach(async () => {
    for (const app of workers.splice(0).reverse()) await app.close();
    await dataSource?.destroy();
    dataSource = null;
    for (const created of environments.splice(0)) await created.teardown();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('WORKER_QUEUES=sms sends SMS and leaves an email job waiting, with no other consumer or scheduler', async () => {
    const env = await environment('sms');
    expect([...env.config.workerQueues]).toEqual(['sms']);
    const db = createDataSource({ url: env.databaseUrl, poolSize: 2 });
    dataSource = await db.initialize();
    const smsOnly = await worker(env, 'sms');

    const organisation = await makeOrganisation(db, {
      settings: { quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false } },
    });
    const due = await makeDueSmsBatch(db, env.config, organisation, 3, env.clock.now());
    const emailJob = await queue(smsOnly, 'email').add('email.send', { emailMessageId: randomUUID() });
    for (const { smsId } of due) {
      const job = smsJob({ id: smsId, dueAt: env.clock.now() }, env.clock.now(), 0);
      await queue(smsOnly, 'sms').add(job.name, job.data, job.opts);
    }

    await waitFor('the three SMS at the fake Twilio', () => fake.messages.length === 3);
    const sentIds = fake.messages.map((message) => new URL(message.statusCallback!).searchParams.get('m'));
    expect(sentIds.sort()).toEqual(due.map(({ smsId }) => smsId).sort());
    expect(await emailJob.getState()).toBe('waiting');
    expect(await consumed(smsOnly)).toEqual(['sms']);
    expect(await schedulers(smsOnly)).toEqual([]);
  });

  it('by default a worker consumes every queue and registers every scheduler (the email job is taken)', async () => {
    const env = await environment();
    const all = await worker(env);
    const emailJob = await queue(all, 'email').add('email.send', { emailMessageId: randomUUID() });
    await waitFor('the email job to be taken', async () => (await emailJob.getState()) === 'completed');
    expect(await consumed(all)).toEqual(ALL);
    expect(await schedulers(all)).toEqual([
      `alerts:${NOTES_BACKFILL_SCHEDULER}`,
      'alerts:alerts-expire-invitations',
      'alerts:alerts-reconcile',
      'email:email-reconcile',
      `maintenance:${NAME_PREFIXES_BACKFILL_SCHEDULER}`,
      `maintenance:${RETENTION_PURGE_SCHEDULER}`,
      `maintenance:${ROLLUP_MAINTENANCE_SCHEDULER}`,
      `maintenance:${SMS_RECONCILE_SCHEDULER}`,
      'webhooks:webhooks-reconcile',
    ]);
  });

  it("starts each queue's worker with the options its processor declares (@QueueWorker)", async () => {
    const env = await environment();
    const all = await worker(env);
    const options = new Map(
      all
        .get(JobConsumers)
        .runningWorkers()
        .map((started) => [started.name, started.opts]),
    );
    const { smsDelivery } = env.config;
    expect(options.get('sms')).toMatchObject({
      concurrency: smsDelivery.concurrency + (smsDelivery.prepareAheadMs > 0 ? smsDelivery.preparedMax : 0),
      limiter: { max: env.config.smsRatePerSecond, duration: 1_000 },
      lockDuration: smsDelivery.lockMs,
      stalledInterval: smsDelivery.lockMs,
      maxStalledCount: 10,
    });
    expect(options.get('webhooks')).toMatchObject({ concurrency: 20 });
    expect(options.get('maintenance')).toMatchObject({ concurrency: 1 });
  });

  it('fails a job whose name has no handler on its queue', async () => {
    const env = await environment('email');
    const emailOnly = await worker(env, 'email');
    const stray = await queue(emailOnly, 'email').add('paging.send', { pageId: randomUUID() });
    await waitFor('the stray job to fail', async () => (await stray.getState()) === 'failed');
    expect((await queue(emailOnly, 'email').getJob(stray.id!))?.failedReason).toBe(
      'No handler for job paging.send',
    );
  });

  it('refuses to start with two handlers for one job name', async () => {
    const env = await environment('email');
    const app = await compileWithClock(env, [WorkerModule.forRoot(env.config), SecondEmailModule]);
    try {
      await expect(app.init()).rejects.toThrow('Job email.send already has a handler');
    } finally {
      await app.close();
    }
  });

  it('two maintenance workers: one scheduled reconcile, and rollups and purge stay single-runner (advisory locks)', async () => {
    const env = await environment('maintenance');
    const [first, second] = [await worker(env, 'maintenance'), await worker(env, 'maintenance')];
    expect(await consumed(first)).toEqual(['maintenance']);
    // Both registered the schedulers: still one each, so one job per period, taken by one of them.
    expect(await schedulers(first)).toEqual([
      `maintenance:${NAME_PREFIXES_BACKFILL_SCHEDULER}`,
      `maintenance:${RETENTION_PURGE_SCHEDULER}`,
      `maintenance:${ROLLUP_MAINTENANCE_SCHEDULER}`,
      `maintenance:${SMS_RECONCILE_SCHEDULER}`,
    ]);
    expect((await queue(second, 'maintenance').getWorkers()).length).toBe(2);

    // While another process holds the maintenance locks, neither worker does the work...
    const holder = new pg.Client({ connectionString: env.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1), pg_advisory_lock($2)', [
        ROLLUP_LOCK_KEY,
        RETENTION_LOCK_KEY,
      ]);
      const busy = await Promise.all(
        [first, second].flatMap((app) => [
          app.get(RollupMaintenanceService).run(),
          app.get(RetentionPurgeService).run(),
        ]),
      );
      expect(busy.map((result) => result.busy)).toEqual([true, true, true, true]);
      await holder.query('SELECT pg_advisory_unlock_all()');
      // ... and once free, they run.
      const free = await Promise.all([
        first.get(RollupMaintenanceService).run(),
        second.get(RetentionPurgeService).run(),
      ]);
      expect(free.map((result) => result.busy)).toEqual([false, false]);
    } finally {
      await holder.end();
    }
  });

  it('a worker without maintenance has neither the maintenance consumer nor its schedulers', async () => {
    const env = await environment('alerts,email');
    const app = await worker(env, 'alerts,email');
    expect(await consumed(app)).toEqual(['alerts', 'email']);
    expect(() => app.get(RetentionProcessor)).toThrow();
    expect(() => app.get(ReportsProcessor)).toThrow();
    expect(() => app.get(SmsMaintenanceProcessor)).toThrow();
    expect(() => app.get(SmsProcessor)).toThrow();
    expect(await schedulers(app)).toEqual([
      `alerts:${NOTES_BACKFILL_SCHEDULER}`,
      'alerts:alerts-expire-invitations',
      'alerts:alerts-reconcile',
      'email:email-reconcile',
    ]);
  });
});
