import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';
import { DomainError } from '../errors.js';

// The expiry is (re)set whenever the key has none, so no counter can outlive its window even if an earlier
// PEXPIRE was lost.
const HIT = `local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
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

/** One counter of a throttle: `limit` hits per `windowSeconds` for `subject` in `bucket`. */
export interface RateLimitCheck {
  bucket: string;
  subject: string;
  limit: number;
  windowSeconds: number;
}

/**
 * The unit a client is throttled by: an IPv4 address, or the /64 network of an IPv6 address (one subscriber
 * usually holds a whole /64, so counting per address would let them rotate through 2^64 of them). IPv4-mapped
 * IPv6 (`::ffff:a.b.c.d`, as a dual-stack socket reports IPv4 clients) counts as the IPv4 address.
 */
export function clientNetworkKey(ip: string | null | undefined): string {
  const raw = (ip ?? '').trim().replace(/^\[|\]$/g, '');
  if (!raw) return 'unknown';
  if (isIP(raw) === 4) return raw;
  const address = raw.replace(/%.*$/, ''); // zone id (fe80::1%eth0)
  if (isIP(address) !== 6) return `other:${raw.slice(0, 64)}`;
  const groups = ipv6Groups(address);
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    if (groups[5] === 0xffff) {
      const high = groups[6] ?? 0;
      const low = groups[7] ?? 0;
      return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
    }
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The house 429: `details.retryAfterSeconds` also becomes the `Retry-After` header (see the exception filter). */
export function tooManyAttempts(
  retryAfterSeconds: number,
  message = 'Too many attempts; try again later',
): DomainError {
  return new DomainError('rate_limited', 'too_many_attempts', message, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
  });
}

/**
 * Fixed-window counters in Redis, shared by every API process (so a limit holds across processes and restarts).
 * Keys live under the deployment's prefix, have a bounded length and always expire; the subject (address,
 * network, e-mail, account id) is keyed-hashed, so Redis holds no personal data and a caller cannot grow a key.
 * When Redis is away the limiter lets requests through and logs once a minute: per-account lockout lives in
 * PostgreSQL and still applies.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly hashKey: KeyObject;
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.hashKey = createSecretKey(config.blindIndexKey);
  }

  key(bucket: string, subject: string): string {
    const digest = createHmac('sha256', this.hashKey)
      .update(`${bucket}\n${subject}`, 'utf8')
      .digest('base64url')
      .slice(0, 32);
    return `${this.config.queuePrefix}:ratelimit:${bucket.slice(0, 32)}:${digest}`;
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

  /**
   * Counts one hit on every check (e.g. per account and per client network) and throws the house 429 when any
   * of them is over its limit, with the longest wait.
   */
  async throttle(checks: readonly RateLimitCheck[], message?: string): Promise<void> {
    const results = await Promise.all(
      checks.map((check) => this.hit(check.bucket, check.subject, check.limit, check.windowSeconds)),
    );
    const refused = results.filter((result) => !result.allowed);
    if (refused.length > 0) {
      throw tooManyAttempts(Math.max(...refused.map((result) => result.retryAfterSeconds)), message);
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
