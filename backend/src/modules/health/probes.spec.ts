import { spawn, type ChildProcess } from 'node:child_process';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { freePort } from '../../testing/parents-factories.js';
import {
  createTestApi,
  createTestEnvironment,
  createTestWorker,
  dataSourceOf,
  type TestEnvironment,
} from '../../testing/test-app.js';

jest.setTimeout(90_000);

const METRICS_TOKEN = 'probe-test-metrics-token-0123456789abcdef';

/** A private redis-server on its own port, so the test can stop "Redis" without touching the machine's. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return child;
    } catch {
      if (Date.now() > deadline) throw new Error('private redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('live and ready probes (API and worker) under a stopped Redis', () => {
  let redisPort: number;
  let redis: ChildProcess;
  let workerPort: number;
  let environment: TestEnvironment;
  let api: INestApplication;
  let worker: INestApplicationContext;
  const workerUrl = (path: string): string => `http://127.0.0.1:${workerPort}${path}`;
  const workerGet = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(workerUrl(path), { headers });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    redisPort = await freePort();
    workerPort = await freePort();
    redis = await startRedis(redisPort);
    environment = await createTestEnvironment({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      WORKER_HEALTH_PORT: String(workerPort),
      METRICS_TOKEN,
    });
    api = await createTestApi(environment);
    worker = await createTestWorker(environment);
  });
  afterAll(async () => {
    // Redis back first, so the workers close cleanly.
    if (redis.exitCode !== null) redis = await startRedis(redisPort);
    await worker?.close();
    await api?.close();
    await environment?.teardown();
    await stopRedis(redis);
  });

  it('with everything up: live and ready answer 200 on both processes, the worker consuming its queues', async () => {
    await request(api.getHttpServer()).get('/api/health/live').expect(200, { status: 'ok' });
    const ready = await request(api.getHttpServer()).get('/api/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ready', postgres: 'up', redis: 'up', migrations: 'applied' });
    expect(await workerGet('/health/live')).toEqual({ status: 200, text: '{"status":"ok"}' });
    const workerReady = await eventually(
      () => workerGet('/health/ready'),
      (answer) => answer.status === 200,
    );
    expect(workerReady.status).toBe(200);
    expect(JSON.parse(workerReady.text)).toEqual({
      status: 'ready',
      postgres: 'up',
      redis: 'up',
      migrations: 'applied',
      queues: 'consuming',
    });
  });

  it('Redis stopped: live stays 200, ready answers 503 naming Redis (API and worker), metrics say why', async () => {
    await stopRedis(redis);
    await request(api.getHttpServer()).get('/api/health/live').expect(200, { status: 'ok' });
    const ready = await request(api.getHttpServer()).get('/api/health/ready').expect(503);
    expect(ready.body).toEqual({ status: 'not_ready', postgres: 'up', redis: 'down', migrations: 'applied' });
    expect(JSON.stringify(ready.body)).not.toContain(String(redisPort));

    expect((await workerGet('/health/live')).status).toBe(200);
    const workerReady = await workerGet('/health/ready');
    expect(workerReady.status).toBe(503);
    expect(JSON.parse(workerReady.text)).toMatchObject({
      status: 'not_ready',
      redis: 'down',
      queues: 'stopped',
    });

    const metrics = await request(api.getHttpServer())
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(metrics.text).toContain('lien_ready{component="redis"} 0');
    expect(metrics.text).toContain('lien_ready{component="postgres"} 1');
    const workerMetrics = await workerGet('/metrics', { Authorization: `Bearer ${METRICS_TOKEN}` });
    expect(workerMetrics.status).toBe(200);
    expect(workerMetrics.text).toContain('lien_ready{component="queues"} 0');
  });

  it('Redis back: both processes are ready again without a restart', async () => {
    redis = await startRedis(redisPort);
    const ready = await eventually(
      () => request(api.getHttpServer()).get('/api/health/ready'),
      (answer) => answer.status === 200,
    );
    expect(ready.status).toBe(200);
    const workerReady = await eventually(
      () => workerGet('/health/ready'),
      (answer) => answer.status === 200,
    );
    expect(workerReady.status).toBe(200);
  });

  it('a migration not applied makes the API not ready (503 naming migrations)', async () => {
    const dataSource = dataSourceOf(api);
    const [last] = await dataSource.query<Array<{ id: number; timestamp: string; name: string }>>(
      'SELECT id, timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1',
    );
    await dataSource.query('DELETE FROM migrations WHERE id = $1', [last!.id]);
    const fresh = await createTestApi(environment);
    try {
      const ready = await request(fresh.getHttpServer()).get('/api/health/ready').expect(503);
      expect(ready.body).toMatchObject({ status: 'not_ready', migrations: 'pending' });
      await request(fresh.getHttpServer()).get('/api/health/live').expect(200);
    } finally {
      await fresh.close();
      await dataSource.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last!.id,
        last!.timestamp,
        last!.name,
      ]);
    }
  });
});
