import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { smsJob } from '../modules/sms/sms-queue.service.js';
import type { FakeTwilio } from '../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation } from '../testing/factories.js';
import { freePort, makeDueSmsBatch } from '../testing/parents-factories.js';
import {
  askRedis,
  killAll,
  redisServerArgs,
  startStackOnRedis,
  stopStackOnRedis,
  type RedisTopologyStack,
} from '../testing/redis-servers.js';
import { queue } from '../testing/test-app.js';
import { REDIS } from './queue.module.js';
import { waitFor } from '../testing/wait-for.js';

/** The app and a worker on a real three-node Redis Cluster (`redis+cluster://`): queues, command client, pub/sub. */
describe('Redis Cluster', () => {
  const children: ChildProcess[] = [];
  let directory: string;
  let ports: number[];
  let fake: FakeTwilio;
  let { environment, dataSource, api, worker }: Partial<RedisTopologyStack> = {};

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'lien-cluster-'));
    ports = await Promise.all([freePort(), freePort(), freePort()]);
    for (const port of ports) {
      const args = redisServerArgs(
        port,
        directory,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
      );
      children.push(spawn('redis-server', args, { cwd: directory, stdio: 'ignore' }));
    }
    for (const port of ports)
      await waitFor(
        `node ${port}`,
        async () => (await askRedis(port, (client) => client.ping())) === 'PONG',
        10_000,
      );
    await promisify(execFile)('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor(
      'the cluster to be ok',
      async () =>
        ((await askRedis(ports[0]!, (client) => client.call('CLUSTER', 'INFO'))) as string).includes(
          'cluster_state:ok',
        ),
      15_000,
    );

    const redisUrl = `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`;
    ({ fake, environment, dataSource, api, worker } = await startStackOnRedis(redisUrl, 2));
  });

  afterAll(async () => {
    await stopStackOnRedis({ fake, environment, dataSource, api, worker });
    await killAll(children);
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('puts every queue key in one hash slot ({prefix}) and sends SMS through it', async () => {
    const env = environment!;
    expect(env.config.queuePrefix).toMatch(/^\{lientest:[0-9a-f]+\}$/);
    const organisation = await makeOrganisation(dataSource!, {
      settings: { quietHours: { start: '00:00', end: '23:59', noSundays: false, noPublicHolidays: false } },
    });
    const now = env.clock.now();
    const due = await makeDueSmsBatch(dataSource!, env.config, organisation, 20, now);
    await queue(api!, 'sms').addBulk(
      due.map(({ smsId }) => {
        const job = smsJob({ id: smsId, dueAt: now }, now, 0);
        return { name: job.name, data: job.data, opts: job.opts };
      }),
    );
    await waitFor('the 20 SMS at the provider', () => fake.messages.length === 20, 30_000);
    const sent = fake.messages.map((message) => new URL(message.statusCallback!).searchParams.get('m'));
    expect(sent.sort()).toEqual(due.map(({ smsId }) => smsId).sort());

    // The command client (rate limiters, one-time keys) works on the cluster too.
    const command = api!.get<Redis>(REDIS);
    expect(await command.set(`${env.config.queuePrefix}:probe`, '1', 'PX', 10_000)).toBe('OK');
    expect(await command.get(`${env.config.queuePrefix}:probe`)).toBe('1');
  });
});
