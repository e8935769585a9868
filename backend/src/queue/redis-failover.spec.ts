import type { Redis } from 'ioredis';
import { smsJob } from '../modules/sms/sms-queue.service.js';
import type { FakeTwilio } from '../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation } from '../testing/factories.js';
import { makeDueSmsBatch } from '../testing/parents-factories.js';
import { WORKER_CRASH_SMS_ENV } from '../testing/jest/sms-stack.js';
import { queue } from '../testing/test-app.js';
import { REDIS } from './queue.module.js';
import { waitFor } from '../testing/wait-for.js';
import {
  askRedis,
  startRedisSentinel,
  startStackOnRedis,
  stopStackOnRedis,
  type RedisSentinelTopology,
  type RedisTopologyStack,
} from '../testing/redis-servers.js';

jest.setTimeout(90_000);

const MESSAGES = 1_000;
/**
 * Redis high availability, for real: a primary, a replica and three Sentinels (their own processes, ports and
 * config files), the app and an SMS worker connected through `redis+sentinel://`. The primary is killed (SIGKILL)
 * in the middle of 1,000 sends: the Sentinels promote the replica, every client follows it, the reconciler
 * re-creates the jobs that replication had not carried yet, and each message reaches the provider exactly once.
 */
describe('Redis Sentinel failover while sending 1,000 SMS', () => {
  let redis: RedisSentinelTopology;
  let fake: FakeTwilio;
  let { environment, dataSource, api, worker }: Partial<RedisTopologyStack> = {};

  const failure = async (error: unknown): Promise<Error> => {
    const state: string[] = [];
    const note = async (what: string, probe: () => Promise<unknown>): Promise<void> => {
      try {
        state.push(`${what}: ${JSON.stringify(await probe())}`);
      } catch (probeError) {
        state.push(`${what}: (${(probeError as Error).message})`);
      }
    };
    await note('rows', async () => {
      const [row] = await dataSource!.query<[{ counts: unknown }]>(
        `SELECT json_object_agg(status, n) AS counts FROM (SELECT status, count(*) AS n FROM sms_messages GROUP BY status) s`,
      );
      return row.counts;
    });
    await note('provider', () => Promise.resolve(fake.messages.length));
    await note('jobs', () => queue(api!, 'sms').getJobCounts());
    await note('clients', async () =>
      ((await askRedis(redis.replicaPort, (c) => c.call('CLIENT', 'LIST'))) as string)
        .split('\n')
        .map((line) => line.replace(/^.*?(name=\S*).*?(cmd=\S*).*$/, '$1 $2')),
    );
    return new Error(
      `${(error as Error).message}\n${state.join('\n')}\n--- Redis/Sentinel output ---\n${redis.output()}`,
    );
  };

  beforeAll(async () => {
    redis = await startRedisSentinel();
    ({ fake, environment, dataSource, api, worker } = await startStackOnRedis(redis.url, 4, {
      ...WORKER_CRASH_SMS_ENV,
      SMS_RECONCILE_INTERVAL_MS: '2000',
    }));
  });

  afterAll(async () => {
    // Whatever happened above: close the app, then stop every process this file started.
    await stopStackOnRedis({ fake, environment, dataSource, api, worker });
    await redis?.stop();
  });

  it('kills the primary mid-batch: the replica takes over, every SMS is sent once and none is lost', async () => {
    const env = environment!;
    const organisation = await makeOrganisation(dataSource!, {
      settings: {
        reminders: { count: 0, afterHours: 48 },
        quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false },
      },
    });
    const now = env.clock.now();
    const due = await makeDueSmsBatch(dataSource!, env.config, organisation, MESSAGES, now);
    // The API process's queue (through the Sentinels) enqueues, the worker sends.
    await queue(api!, 'sms').addBulk(
      due.map(({ smsId }) => {
        const job = smsJob({ id: smsId, dueAt: now }, now, 0);
        return { name: job.name, data: job.data, opts: job.opts };
      }),
    );

    try {
      await waitFor('the worker to be mid-batch', () => fake.messages.length >= 200, 30_000, 5);
    } catch (error) {
      throw await failure(error);
    }
    const killedAt = Date.now();
    await redis.killPrimary();
    const sentAtKill = fake.messages.length;
    expect(sentAtKill).toBeLessThan(MESSAGES);

    let failoverMs = 0;
    try {
      failoverMs = await redis.waitForPromotion(killedAt);
      await waitFor(
        'every message accepted by the provider',
        async () => {
          const [row] = await dataSource!.query<[{ count: number }]>(
            `SELECT count(*)::int AS count FROM sms_messages WHERE provider_sid IS NOT NULL`,
          );
          return row.count === MESSAGES;
        },
        40_000,
        100,
      );
    } catch (error) {
      throw await failure(error);
    }
    const allSentMs = Date.now() - killedAt;
    await fake.idle();

    // Exactly once, counted by the message id the provider saw (its status callback names our row).
    const perMessage = new Map<string, number>();
    for (const message of fake.messages) {
      const id = new URL(message.statusCallback!).searchParams.get('m')!;
      perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
    }
    const duplicates = [...perMessage.values()].filter((count) => count > 1).length;
    expect(duplicates).toBe(0);
    expect(fake.messages).toHaveLength(MESSAGES);
    expect([...perMessage.keys()].sort()).toEqual(due.map(({ smsId }) => smsId).sort());
    const rows = await dataSource!.query<Array<{ status: string }>>(`SELECT status FROM sms_messages`);
    expect(rows.every((row) => row.status === 'queued')).toBe(true);

    // The request-path client follows the new primary too (writes succeed, so it is not the old one).
    const command = api!.get<Redis>(REDIS);
    await waitFor(
      'the command client on the new primary',
      async () => (await command.set(`${env.config.queuePrefix}:probe`, '1')) === 'OK',
      10_000,
    );
    const role = (await askRedis(redis.replicaPort, (c) => c.call('ROLE'))) as [string];
    expect(role[0]).toBe('master');

    console.log(
      `Sentinel failover: primary killed after ${sentAtKill} of ${MESSAGES} SMS; replica promoted after ` +
        `${failoverMs} ms; all ${perMessage.size} sent ${allSentMs} ms after the kill; duplicates ${duplicates}`,
    );
  });
});
