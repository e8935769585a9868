import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';

/** Unknown links an address may try per window before every link answers 429 from it. */
export const LINK_GUESS_LIMIT = 30;
export const LINK_GUESS_WINDOW_SECONDS = 600;

/**
 * Slows down token guessing: unknown tokens are counted per client address in Redis (fixed window). Once an
 * address reaches the limit, every questionnaire link answers 429 from it until the window ends, so guessing
 * cannot probe which tokens exist. When Redis does not answer the page still works (fail open, logged): tokens
 * carry at least 128 random bits, the limit is defence in depth.
 */
@Injectable()
export class LinkGuessLimiter {
  private readonly logger = new Logger(LinkGuessLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isBlocked(ip: string): Promise<boolean> {
    try {
      const count = Number((await this.redis.get(this.key(ip))) ?? 0);
      return count >= LINK_GUESS_LIMIT;
    } catch (error) {
      this.logger.warn(`link guess limiter unavailable: ${(error as Error).message}`);
      return false;
    }
  }

  /** Counts one unknown token; true when the address has now reached the limit. */
  async recordMiss(ip: string): Promise<boolean> {
    const key = this.key(ip);
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

  /** The address is keyed-hashed: Redis holds no IP in clear. */
  private key(ip: string): string {
    const digest = createHmac('sha256', this.config.blindIndexKey)
      .update(`link-guess:${ip}`, 'utf8')
      .digest('hex')
      .slice(0, 32);
    return `${this.config.queuePrefix}:qlimit:${digest}`;
  }
}
