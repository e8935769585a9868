import { Cluster } from 'ioredis';
import {
  bullConnection,
  clusterSafePrefix,
  createRedis,
  describeRedis,
  parseRedisUrl,
  redisOptions,
  RedisUrlError,
} from './redis.js';

describe('parseRedisUrl', () => {
  it('reads one server, with credentials, database and TLS', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({
      mode: 'standalone',
      node: { host: '127.0.0.1', port: 6379 },
      db: 0,
      tls: false,
    });
    expect(parseRedisUrl('rediss://app:p%40ss@cache.internal/3')).toEqual({
      mode: 'standalone',
      node: { host: 'cache.internal', port: 6379 },
      db: 3,
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
    expect(parseRedisUrl('redis://:secret@[::1]:6380')).toMatchObject({
      node: { host: '::1', port: 6380 },
      password: 'secret',
    });
  });

  it('reads Sentinels, the primary name, an optional database and passwords', () => {
    expect(parseRedisUrl('redis+sentinel://s1:26379,s2:26380,s3/mymaster')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: 's3', port: 26379 },
      ],
      name: 'mymaster',
      db: 0,
      tls: false,
    });
    expect(
      parseRedisUrl(
        'rediss+sentinel://:data%2Fpw@s1:26379,s2:26379/lien-primary/2?sentinelPassword=sent%26pw',
      ),
    ).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'lien-primary',
      db: 2,
      tls: true,
      password: 'data/pw',
      sentinelPassword: 'sent&pw',
    });
  });

  it('reads Cluster seed nodes', () => {
    expect(parseRedisUrl('redis+cluster://:pw@n1:7000,n2:7001')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      tls: false,
      password: 'pw',
    });
  });

  it.each([
    ['http://localhost', /^must use redis:, rediss:, redis\+sentinel:/],
    ['localhost:6379', /^must look like redis:\/\/host:6379/],
    ['redis://a:6379,b:6379', /^names several hosts: use redis\+sentinel:\/\/ or redis\+cluster:\/\//],
    ['redis://localhost/x', /^database must be a number from 0 to 15 \(got "x"\)/],
    ['redis://localhost/16', /^database must be a number from 0 to 15 \(got "16"\)/],
    ['redis://localhost:99999', /^has an invalid host "localhost:99999"/],
    ['redis+sentinel://s1:26379,s2:26379', /^must end with the primary name/],
    ['redis+sentinel://s1:26379,,s2/m', /^names no host/],
    ['redis+sentinel://s1/m/0/extra', /^must end with the primary name/],
    ['redis+cluster://n1:7000/1', /^cannot name a database/],
    ['redis://localhost?timeout=3', /^has an unknown parameter "timeout"/],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(RedisUrlError);
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it('never repeats a password in its errors or descriptions', () => {
    let message = '';
    try {
      parseRedisUrl('redis://:hunter2@a:1,b:2');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('hunter2');
    expect(describeRedis(parseRedisUrl('redis+sentinel://:hunter2@s1,s2:26380/mymaster'))).toBe(
      'Sentinel s1:26379,s2:26380 (primary "mymaster")',
    );
    expect(describeRedis(parseRedisUrl('redis+cluster://:hunter2@n1:7000,n2:7001'))).toBe(
      'Cluster n1:7000,n2:7001',
    );
  });
});

describe('the connection factory', () => {
  it('gives ioredis Sentinel options, workers blocking and commands failing fast', () => {
    const sentinel = parseRedisUrl('redis+sentinel://:pw@s1:26379,s2:26379/mymaster/1?sentinelPassword=sp');
    if (sentinel.mode !== 'sentinel') throw new Error('expected Sentinel');
    const worker = redisOptions(sentinel, 'worker');
    expect(worker).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      password: 'pw',
      sentinelPassword: 'sp',
      db: 1,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      failoverDetector: false,
    });
    expect(worker).not.toHaveProperty('host');
    expect(redisOptions(sentinel, 'command')).toMatchObject({
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    // A demoted primary answers READONLY: reconnect (to the new primary) and resend.
    expect(
      worker.reconnectOnError?.(new Error('READONLY You cannot write against a read only replica.')),
    ).toBe(2);
    expect(worker.reconnectOnError?.(new Error('WRONGTYPE'))).toBe(false);
    expect(bullConnection(sentinel, 'worker').connection).toMatchObject({
      name: 'mymaster',
      sentinels: worker.sentinels,
    });
  });

  it('opens a Cluster client for a Cluster (BullMQ cannot build one from options), closed by its owner', () => {
    const cluster = parseRedisUrl('redis+cluster://:pw@127.0.0.1:1,127.0.0.1:2');
    const client = createRedis(cluster, 'command', { lazyConnect: true });
    expect(client).toBeInstanceOf(Cluster);
    const options = (client as unknown as Cluster).options;
    expect(options.redisOptions).toMatchObject({ password: 'pw', maxRetriesPerRequest: 1 });
    expect(options.enableOfflineQueue).toBe(false);
    client.disconnect();

    const bull = bullConnection({ ...cluster }, 'worker');
    expect(bull.connection).toBeInstanceOf(Cluster);
    expect((bull.connection as Cluster).options.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
    const opened = bull.connection as Cluster;
    opened.on('error', () => undefined);
    expect(opened.status).not.toMatch(/disconnecting|end/);
    bull.close();
    expect(opened.status).toMatch(/disconnecting|end/);
  });

  it('makes the key prefix a hash tag on a Cluster only', () => {
    const cluster = parseRedisUrl('redis+cluster://n1:7000');
    expect(clusterSafePrefix('lien', cluster)).toBe('{lien}');
    expect(clusterSafePrefix('{lien}', cluster)).toBe('{lien}');
    expect(clusterSafePrefix('lien', parseRedisUrl('redis+sentinel://s1/mymaster'))).toBe('lien');
    expect(clusterSafePrefix('lien', parseRedisUrl('redis://localhost'))).toBe('lien');
  });
});
