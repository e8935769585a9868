import { ownRedisPrefix } from '../../testing/jest/redis-prefix.js';
import { LINK_GUESS_LIMIT, LinkGuessLimiter } from './link-guess-limiter.js';

/** Two API processes sharing one Redis, as in production (real Redis, own key prefix). */
describe('LinkGuessLimiter across processes', () => {
  const { prefix, config, redis } = ownRedisPrefix('limiter');

  it('blocks an address at the limit, on the process that counted it and on another at its next miss', async () => {
    const first = new LinkGuessLimiter(redis, config);
    const second = new LinkGuessLimiter(redis, config);
    const ip = '203.0.113.7';
    for (let miss = 1; miss < LINK_GUESS_LIMIT; miss += 1) expect(await first.recordMiss(ip)).toBe(false);
    expect(await first.isBlocked(ip)).toBe(false);
    expect(await first.recordMiss(ip)).toBe(true);
    expect(await first.isBlocked(ip)).toBe(true);

    // The other process has not seen this address miss: it does not ask Redis (one more guess at most)...
    expect(await second.isBlocked(ip)).toBe(false);
    // ...and its first miss shows the shared count, after which it refuses the address too.
    expect(await second.recordMiss(ip)).toBe(true);
    expect(await second.isBlocked(ip)).toBe(true);
  });

  it('never blocks an address that has not missed', async () => {
    const limiter = new LinkGuessLimiter(redis, config);
    expect(await limiter.isBlocked('198.51.100.1')).toBe(false);
  });

  it('keys Redis by a keyed hash, never the address in clear', async () => {
    const limiter = new LinkGuessLimiter(redis, config);
    await limiter.recordMiss('192.0.2.44');
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toContain('192.0.2.44');
  });

  it('counts every address of one IPv6 /64 together (and IPv4-mapped as IPv4), but not two /64s', async () => {
    const limiter = new LinkGuessLimiter(redis, config);
    for (let miss = 1; miss < LINK_GUESS_LIMIT; miss += 1) {
      expect(await limiter.recordMiss(`2001:db8:7:1:${miss.toString(16)}::1`)).toBe(false);
    }
    expect(await limiter.recordMiss('2001:db8:7:1:ffff:ffff:ffff:fffe')).toBe(true);
    expect(await limiter.isBlocked('2001:0db8:0007:0001::abcd')).toBe(true);
    expect(await limiter.isBlocked('2001:db8:7:2::1')).toBe(false);

    for (let miss = 1; miss < LINK_GUESS_LIMIT; miss += 1) await limiter.recordMiss('198.51.100.77');
    expect(await limiter.recordMiss('::ffff:198.51.100.77')).toBe(true);
    expect(await limiter.isBlocked('198.51.100.77')).toBe(true);
  });
});
