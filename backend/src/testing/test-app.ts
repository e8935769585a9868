import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { DynamicModule, INestApplication, INestApplicationContext, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ApiModule, WorkerModule, type ProcessOptions } from '../app.module.js';
import { configureHttpApp } from '../http-app.js';
import { Clock, FixedClock } from '../common/clock.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { JobConsumers } from '../queue/job-consumers.js';
import { QUEUES, type JobName } from '../queue/jobs.js';
import {
  startFakeTwilio,
  type FakeTwilio,
  type FakeTwilioOptions,
} from './fake-twilio/fake-twilio-server.js';
import { createTestApiOnPort, freePort } from './parents-factories.js';
import { createTestDatabase, TEST_REDIS_URL } from './test-database.js';
import { fakeTwilioEnv } from './worker-process.js';

export interface TestEnvironment {
  config: AppConfig;
  databaseUrl: string;
  clock: FixedClock;
  /** Drops the database and the file's Redis keys. */
  teardown: () => Promise<void>;
}

/**
 * One database and one Redis key prefix per test file: files run in parallel without seeing each other.
 * `env` overrides any configuration variable.
 */
export async function createTestEnvironment(
  env: Record<string, string> = {},
  now = new Date('2026-03-02T08:00:00Z'),
): Promise<TestEnvironment> {
  const database = await createTestDatabase();
  const queuePrefix = `lientest:${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    PUBLIC_BASE_URL: 'http://lien.test',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return {
    config,
    databaseUrl: database.url,
    clock: new FixedClock(now),
    teardown: async () => {
      await flushRedisPrefix(queuePrefix);
      await database.drop();
    },
  };
}

/** Deletes every Redis key under a prefix (a test's or a bench's queues). */
export async function flushRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A module graph (a process's root, or a spec's few modules) compiled on the test's clock. */
export function compileWithClock(
  environment: TestEnvironment,
  imports: Array<Type | DynamicModule>,
): Promise<TestingModule> {
  return Test.createTestingModule({ imports }).overrideProvider(Clock).useValue(environment.clock).compile();
}

/**
 * The real HTTP stack (guard, pipes, filter, helmet) with the test's clock, on a random port (or on `port`: the
 * one PUBLIC_BASE_URL names, so that signed webhooks reach it).
 */
export async function createTestApi(
  environment: TestEnvironment,
  options: ProcessOptions = {},
  port = 0,
): Promise<INestApplication> {
  const moduleRef = await compileWithClock(environment, [ApiModule.forRoot(environment.config, options)]);
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureHttpApp(app, environment.config);
  await app.init();
  await app.listen(port, '127.0.0.1');
  return app;
}

/** A log destination (`ProcessOptions.logDestination`) that parses each JSON line it receives into `into`. */
export function jsonLogLines(into: Array<Record<string, unknown>>): PassThrough {
  const lines = new PassThrough();
  let pending = '';
  lines.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf-8');
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.trim()) into.push(JSON.parse(line) as Record<string, unknown>);
  });
  return lines;
}

/** The worker's module graph (processors included), with the test's clock. */
export async function createTestWorker(
  environment: TestEnvironment,
  options: ProcessOptions = {},
): Promise<INestApplicationContext> {
  const moduleRef = await compileWithClock(environment, [WorkerModule.forRoot(environment.config, options)]);
  // Worker log lines go to the destination the test reads (as `worker.ts` routes them to pino).
  if (options.logDestination) moduleRef.useLogger(moduleRef.get(Logger));
  await moduleRef.init();
  return moduleRef;
}

export function queue(app: INestApplicationContext, name: keyof typeof QUEUES): Queue {
  return app.get<Queue>(getQueueToken(QUEUES[name]), { strict: false });
}

/** Runs the worker's @JobHandler of a scheduled job now (or joins the pass under way), as its scheduler would. */
export async function runScheduledJob(worker: INestApplicationContext, name: JobName): Promise<void> {
  await worker.get(JobConsumers).runNow(name);
}

export function dataSourceOf(app: INestApplicationContext): DataSource {
  return app.get(DataSource);
}

/** A spec's own environment with the API and an in-process worker on it. */
export interface ApiAndWorker {
  environment: TestEnvironment;
  api: INestApplication;
  worker: INestApplicationContext;
  dataSource: DataSource;
}

/**
 * Opens a spec's stack piece by piece, `open` recording each piece in `stack` as it comes. When a piece fails the
 * spec never sees the stack, so `close` closes what was opened of it here and the error goes on.
 */
export async function openStack<Stack>(
  open: (stack: Partial<Stack>) => Promise<Stack>,
  close: (stack: Partial<Stack>) => Promise<void>,
): Promise<Stack> {
  const stack: Partial<Stack> = {};
  try {
    return await open(stack);
  } catch (error) {
    await close(stack);
    throw error;
  }
}

/** For `beforeAll`: `env` and `now` as for `createTestEnvironment`. */
export function startApiAndWorker(env: Record<string, string> = {}, now?: Date): Promise<ApiAndWorker> {
  return openStack(async (stack) => {
    const environment = (stack.environment = await createTestEnvironment(env, now));
    const api = (stack.api = await createTestApi(environment));
    const worker = (stack.worker = await createTestWorker(environment));
    return { environment, api, worker, dataSource: dataSourceOf(api) };
  }, stopApiAndWorker);
}

/** For `afterAll`: closes what `startApiAndWorker` opened (what there is of it when `beforeAll` failed half-way). */
export async function stopApiAndWorker(stack: Partial<ApiAndWorker>): Promise<void> {
  await stack.worker?.close();
  await stack.api?.close();
  await stack.environment?.teardown();
}

/**
 * A spec's whole SMS stack: a fake Twilio, an environment pointed at it, the API on the port its PUBLIC_BASE_URL
 * names (the fake signs its webhooks for that URL) and an in-process worker, all on the spec's clock.
 */
export interface TwilioStack {
  fake: FakeTwilio;
  environment: TestEnvironment;
  api: INestApplication;
  worker: INestApplicationContext;
  dataSource: DataSource;
  publicBaseUrl: string;
}

/** For `beforeAll`: `env` tunes the environment (SMS rates, timeouts), `clock` replaces its fixed clock. */
export function startTwilioStack(
  options: { fake?: FakeTwilioOptions; env?: Record<string, string>; clock?: FixedClock } = {},
): Promise<TwilioStack> {
  return openStack(async (stack) => {
    const fake = (stack.fake = await startFakeTwilio(options.fake));
    const port = await freePort();
    const publicBaseUrl = (stack.publicBaseUrl = `http://127.0.0.1:${port}`);
    const environment = (stack.environment = await createTestEnvironment({
      ...fakeTwilioEnv(fake),
      PUBLIC_BASE_URL: publicBaseUrl,
      ...options.env,
    }));
    if (options.clock) environment.clock = options.clock;
    const api = (stack.api = await createTestApiOnPort(environment, port));
    const worker = (stack.worker = await createTestWorker(environment));
    return { fake, environment, api, worker, dataSource: dataSourceOf(api), publicBaseUrl };
  }, stopTwilioStack);
}

/** For `afterAll`: closes what `startTwilioStack` opened. */
export async function stopTwilioStack(stack: Partial<TwilioStack>): Promise<void> {
  await stopApiAndWorker(stack);
  await stack.fake?.close();
}
