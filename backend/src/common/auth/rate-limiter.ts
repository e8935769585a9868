import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';

const HIT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

const RELEASE = `local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every API process (so a limit holds across processes and restarts).
 * Keys live under the deployment's prefix and hold no personal data (callers pass hashed or technical keys).
 * When Redis is away the limiter lets requests through and logs once a minute: per-account lockout lives in
 * PostgreSQL and still applies.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  key(bucket: string, subject: string): string {
    return `${this.config.queuePrefix}:ratelimit:${bucket}:${subject}`;
  }

  /** Counts one hit; `allowed` is false once more than `limit` hits fell in the window. */
  async hit(bucket: string, subject: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    try {
      const [count, ttl] = (await this.redis.eval(
        HIT,
        1,
        this.key(bucket, subject),
        String(windowSeconds * 1000),
      )) as [number, number];
      return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (error) {
      this.warn(error as Error);
      return { allowed: true, count: 0, retryAfterSeconds: 0 };
    }
  }

  /** Gives one hit back (a successful sign-in does not use up the address's budget). */
  async release(bucket: string, subject: string): Promise<void> {
    try {
      await this.redis.eval(RELEASE, 1, this.key(bucket, subject));
    } catch (error) {
      this.warn(error as Error);
    }
  }

  private warn(error: Error): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.logger.warn(
      `Rate limiting unavailable (${error.message}); requests pass, account lockout still applies`,
    );
  }
}
