import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { clientNetworkKey } from '../../common/auth/rate-limiter.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';

/** Unknown links an address may try per window before every link answers 429 from it. */
export const LINK_GUESS_LIMIT = 30;
export const LINK_GUESS_WINDOW_SECONDS = 600;

/** Addresses with a recent miss that this process remembers (beyond it, the oldest are forgotten). */
const REMEMBERED_ADDRESSES = 10_000;

/**
 * Slows down token guessing: unknown tokens are counted per client address in Redis (fixed window). Once an
 * address reaches the limit, every questionnaire link answers 429 from it until the window ends, so guessing
 * cannot probe which tokens exist. When Redis does not answer the page still works (fail open, logged): tokens
 * carry at least 128 random bits, the limit is defence in depth.
 * Parents never miss, so Redis is asked only about addresses this process has seen miss within the window: a
 * guesser spread over several API processes misses on each of them and is blocked there at its next request.
 */
@Injectable()
export class LinkGuessLimiter {
  private readonly logger = new Logger(LinkGuessLimiter.name);
  private readonly hashKey: KeyObject;
  /** Address → end of the window of its last miss seen here (insertion order: oldest first). In memory only. */
  private readonly recentMisses = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.hashKey = createSecretKey(config.blindIndexKey);
  }

  /** Counted per client network (IPv4 address, IPv6 /64), like the sign-in throttles. */
  async isBlocked(address: string | null): Promise<boolean> {
    const ip = clientNetworkKey(address);
    const missedUntil = this.recentMisses.get(ip);
    if (missedUntil === undefined) return false;
    if (missedUntil < Date.now()) {
      this.recentMisses.delete(ip);
      return false;
    }
    try {
      const count = Number((await this.redis.get(this.key(ip))) ?? 0);
      return count >= LINK_GUESS_LIMIT;
    } catch (error) {
      this.logger.warn(`link guess limiter unavailable: ${(error as Error).message}`);
      return false;
    }
  }

  /** Counts one unknown token; true when the address has now reached the limit. */
  async recordMiss(address: string | null): Promise<boolean> {
    const ip = clientNetworkKey(address);
    const key = this.key(ip);
    this.remember(ip);
    try {
      const [[, count] = [null, 0]] = ((await this.redis
        .multi()
        .incr(key)
        .expire(key, LINK_GUESS_WINDOW_SECONDS, 'NX')
        .exec()) ?? []) as [Error | null, unknown][];
      return Number(count) >= LINK_GUESS_LIMIT;
    } catch (error) {
      this.logger.warn(`link guess limiter unavailable: ${(error as Error).message}`);
      return false;
    }
  }

  private remember(ip: string): void {
    this.recentMisses.delete(ip);
    this.recentMisses.set(ip, Date.now() + LINK_GUESS_WINDOW_SECONDS * 1000);
    if (this.recentMisses.size > REMEMBERED_ADDRESSES) {
      const oldest = this.recentMisses.keys().next().value;
      if (oldest !== undefined) this.recentMisses.delete(oldest);
    }
  }

  /** The address is keyed-hashed: Redis holds no IP in clear. */
  private key(ip: string): string {
    const digest = createHmac('sha256', this.hashKey)
      .update(`link-guess:${ip}`, 'utf8')
      .digest('hex')
      .slice(0, 32);
    return `${this.config.queuePrefix}:qlimit:${digest}`;
  }
}
