import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ApiModule, WorkerModule, type ProcessOptions } from '../app.module.js';
import { configureHttpApp } from '../http-app.js';
import { Clock, FixedClock } from '../common/clock.js';
import { loadConfig, type AppConfig } from '../config/config.js';
import { QUEUES } from '../queue/jobs.js';
import { createTestDatabase, TEST_REDIS_URL } from './test-database.js';

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

/**
 * The real HTTP stack (guard, pipes, filter, helmet) with the test's clock, on a random port (or on `port`: the
 * one PUBLIC_BASE_URL names, so that signed webhooks reach it).
 */
export async function createTestApi(
  environment: TestEnvironment,
  options: ProcessOptions = {},
  port = 0,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.forRoot(environment.config, options)],
  })
    .overrideProvider(Clock)
    .useValue(environment.clock)
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureHttpApp(app, environment.config);
  await app.init();
  await app.listen(port, '127.0.0.1');
  return app;
}

/** The worker's module graph (processors included), with the test's clock. */
export async function createTestWorker(
  environment: TestEnvironment,
  options: ProcessOptions = {},
): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule.forRoot(environment.config, options)],
  })
    .overrideProvider(Clock)
    .useValue(environment.clock)
    .compile();
  // Worker log lines go to the destination the test reads (as `worker.ts` routes them to pino).
  if (options.logDestination) moduleRef.useLogger(moduleRef.get(Logger));
  await moduleRef.init();
  return moduleRef;
}

export function queue(app: INestApplicationContext, name: keyof typeof QUEUES): Queue {
  return app.get<Queue>(getQueueToken(QUEUES[name]), { strict: false });
}

export function dataSourceOf(app: INestApplicationContext): DataSource {
  return app.get(DataSource);
}
