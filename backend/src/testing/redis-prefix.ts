// Jest's globals in the app build too, which compiles backend/src/testing for the bench.
/// <reference types="jest" />
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from '../config/config.js';
import { TEST_REDIS_URL } from './test-database.js';

/** A Redis-only spec's key prefix, the configuration naming it (no database is opened), and a client on it. */
export interface OwnRedisPrefix {
  prefix: string;
  config: AppConfig;
  redis: Redis;
}

/**
 * For a describe block of a spec that needs Redis and no database: its own key prefix (`lientest:<name>:…`), so
 * files running in parallel never share a key; an `afterAll` deletes the keys and closes the client. Light on
 * purpose: it loads no Nest module.
 */
export function ownRedisPrefix(name: string): OwnRedisPrefix {
  const prefix = `lientest:${name}:${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://x@localhost/db',
    QUEUE_PREFIX: prefix,
  });
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return { prefix, config, redis };
}
