import { ownRedisPrefix } from '../../testing/jest/redis-prefix.js';
import { DomainError } from '../errors.js';
import { clientNetworkKey, RateLimiter } from './rate-limiter.js';

describe('clientNetworkKey', () => {
  it('keys IPv4 clients by address', () => {
    expect(clientNetworkKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetworkKey('203.0.113.8')).not.toBe(clientNetworkKey('203.0.113.7'));
  });

  it('keys IPv6 clients by their /64, whatever the spelling', () => {
    const key = clientNetworkKey('2001:db8:aa:bb::1');
    expect(key).toBe('2001:db8:aa:bb::/64');
    expect(clientNetworkKey('2001:0DB8:00aa:00bb:ffff:1:2:3')).toBe(key);
    expect(clientNetworkKey('[2001:db8:aa:bb:0:0:0:9]')).toBe(key);
    expect(clientNetworkKey('2001:db8:aa:bb::1.2.3.4')).toBe(key);
    expect(clientNetworkKey('2001:db8:aa:bc::1')).not.toBe(key);
    expect(clientNetworkKey('::1')).toBe('0:0:0:0::/64');
    expect(clientNetworkKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('keys IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(clientNetworkKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientNetworkKey('::FFFF:c633:6404')).toBe('198.51.100.4');
    expect(clientNetworkKey('0:0:0:0:0:ffff:198.51.100.4')).toBe('198.51.100.4');
  });

  it('has an answer for anything else (bounded)', () => {
    expect(clientNetworkKey(null)).toBe('unknown');
    expect(clientNetworkKey('')).toBe('unknown');
    expect(clientNetworkKey('x'.repeat(500)).length).toBeLessThanOrEqual(70);
  });
});

describe('RateLimiter (real Redis)', () => {
  const { prefix, config, redis } = ownRedisPrefix('ratelimit');
  const limiter = new RateLimiter(redis, config);

  it('keeps keys short, hashed and expiring, whatever the subject', async () => {
    const subject = `victim@example.test${'x'.repeat(10_000)}`;
    await limiter.hit('login-account', subject, 5, 60);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    const [key] = keys as [string];
    expect(key.length).toBeLessThan(prefix.length + 80);
    expect(key).not.toContain('victim');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // A counter that lost its expiry gets one back at the next hit.
    await redis.persist(key);
    await limiter.hit('login-account', subject, 5, 60);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('throttle counts every check and refuses when any is over, with the longest wait', async () => {
    const checks = [
      { bucket: 'b1', subject: 'account', limit: 2, windowSeconds: 30 },
      { bucket: 'b2', subject: 'net', limit: 100, windowSeconds: 600 },
    ];
    await limiter.throttle(checks);
    await limiter.throttle(checks);
    const refused = await limiter.throttle(checks).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      kind: 'rate_limited',
      code: 'too_many_attempts',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(
      ((refused as DomainError).details as { retryAfterSeconds: number }).retryAfterSeconds,
    ).toBeLessThanOrEqual(30);
  });
});
