import { Redis, type RedisOptions } from 'ioredis';

export type RedisPurpose = 'command' | 'worker' | 'subscriber';

/**
 * The one way to open a Redis connection. Workers block on Redis and need `maxRetriesPerRequest: null`;
 * request-path clients fail fast instead of queueing commands while Redis is away.
 */
export function redisOptions(
  url: string,
  purpose: RedisPurpose,
): Omit<RedisOptions, 'retryStrategy'> & { retryStrategy: (attempt: number) => number } {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 3_000,
    lazyConnect: false,
    ...(purpose === 'command'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true }),
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
}

export function createRedis(
  url: string,
  purpose: RedisPurpose,
  overrides: Partial<RedisOptions> = {},
): Redis {
  return new Redis({ ...redisOptions(url, purpose), ...overrides });
}
