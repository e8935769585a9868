import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export type RedisPurpose = 'command' | 'worker' | 'subscriber';

export interface RedisNode {
  host: string;
  port: number;
}

interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

/** Where Redis is: one server, a Sentinel-watched primary (and replicas), or a Cluster. Parsed once, at boot. */
export type RedisConnection =
  | ({ mode: 'standalone'; node: RedisNode; db: number } & RedisAuth)
  | ({
      mode: 'sentinel';
      sentinels: RedisNode[];
      /** The primary's name in the Sentinels' configuration (`sentinel monitor <name> …`). */
      name: string;
      db: number;
      sentinelPassword?: string;
    } & RedisAuth)
  | ({ mode: 'cluster'; nodes: RedisNode[] } & RedisAuth);

export class RedisUrlError extends Error {}

const SCHEMES: Record<string, { mode: RedisConnection['mode']; tls: boolean; port: number }> = {
  'redis:': { mode: 'standalone', tls: false, port: 6379 },
  'rediss:': { mode: 'standalone', tls: true, port: 6379 },
  'redis+sentinel:': { mode: 'sentinel', tls: false, port: 26379 },
  'rediss+sentinel:': { mode: 'sentinel', tls: true, port: 26379 },
  'redis+cluster:': { mode: 'cluster', tls: false, port: 6379 },
  'rediss+cluster:': { mode: 'cluster', tls: true, port: 6379 },
};
export const REDIS_URL_SCHEMES = Object.keys(SCHEMES);

/**
 * Parses REDIS_URL. Besides `redis[s]://[user:password@]host[:port][/db]`:
 * - `redis+sentinel://[user:password@]s1:26379,s2:26379/<primary name>[/db][?sentinelPassword=…]`;
 * - `redis+cluster://[user:password@]n1:7000,n2:7001`.
 * The WHATWG URL parser refuses several hosts, hence this one. Error messages never repeat the password.
 */
export function parseRedisUrl(url: string): RedisConnection {
  const match = /^([a-z+]+:)\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(url.trim());
  if (!match)
    throw new RedisUrlError('must look like redis://host:6379, redis+sentinel://… or redis+cluster://…');
  const [, protocol, userInfo, hostList, path = '', query = ''] = match as unknown as [
    string,
    string,
    string | undefined,
    string,
    string | undefined,
    string | undefined,
  ];
  const scheme = SCHEMES[protocol.toLowerCase()];
  if (!scheme) throw new RedisUrlError(`must use ${REDIS_URL_SCHEMES.join(', ')} (got "${protocol}")`);
  const auth: RedisAuth = { tls: scheme.tls, ...parseUserInfo(userInfo) };
  const nodes = parseNodes(hostList, scheme.port);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (scheme.mode !== 'sentinel' || key !== 'sentinelPassword')
      throw new RedisUrlError(`has an unknown parameter "${key}"`);
  }
  switch (scheme.mode) {
    case 'standalone': {
      if (nodes.length !== 1)
        throw new RedisUrlError('names several hosts: use redis+sentinel:// or redis+cluster://');
      if (segments.length > 1) throw new RedisUrlError('path must be a database number (e.g. /0)');
      return { mode: 'standalone', node: nodes[0]!, db: parseDb(segments[0]), ...auth };
    }
    case 'sentinel': {
      const [name, db, ...rest] = segments;
      if (!name || rest.length > 0)
        throw new RedisUrlError('must end with the primary name, then an optional database: /mymaster[/0]');
      const sentinelPassword = params.get('sentinelPassword') ?? undefined;
      return {
        mode: 'sentinel',
        sentinels: nodes,
        name,
        db: parseDb(db),
        ...auth,
        ...(sentinelPassword ? { sentinelPassword } : {}),
      };
    }
    case 'cluster': {
      if (segments.length > 0) throw new RedisUrlError('cannot name a database: Redis Cluster only has db 0');
      return { mode: 'cluster', nodes, ...auth };
    }
  }
}

/** `host1:26379,host2:26379` (REDIS_SENTINELS), default port 26379. */
export function parseRedisNodes(list: string, defaultPort = 26379): RedisNode[] {
  return parseNodes(list, defaultPort);
}

function parseUserInfo(userInfo: string | undefined): { username?: string; password?: string } {
  if (!userInfo) return {};
  const colon = userInfo.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(userInfo.slice(colon + 1));
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function parseNodes(list: string, defaultPort: number): RedisNode[] {
  const entries = list.split(',').map((entry) => entry.trim());
  if (entries.length === 0 || entries.some((entry) => entry === ''))
    throw new RedisUrlError('names no host (or an empty one)');
  return entries.map((entry) => {
    // [::1]:6379, host:6379, host
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(entry);
    const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
    if (!match || port < 1 || port > 65535) throw new RedisUrlError(`has an invalid host "${entry}"`);
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

function parseDb(text: string | undefined): number {
  if (text === undefined) return 0;
  const db = Number(text);
  if (!/^\d+$/.test(text) || db > 15)
    throw new RedisUrlError(`database must be a number from 0 to 15 (got "${text}")`);
  return db;
}

/** Hosts only, for log lines and error messages (never credentials). */
export function describeRedis(connection: RedisConnection): string {
  const list = (nodes: RedisNode[]): string => nodes.map((node) => `${node.host}:${node.port}`).join(',');
  switch (connection.mode) {
    case 'standalone':
      return list([connection.node]);
    case 'sentinel':
      return `Sentinel ${list(connection.sentinels)} (primary "${connection.name}")`;
    case 'cluster':
      return `Cluster ${list(connection.nodes)}`;
  }
}

/**
 * BullMQ keeps a queue's keys together under `{prefix}`; a Redis Cluster wants them in one hash slot, so the
 * prefix becomes a hash tag there (`lien` → `{lien}`). Other keys of the app use the same prefix, and stay
 * together too (the rate limiters' scripts touch one key at a time anyway).
 */
export function clusterSafePrefix(prefix: string, connection: RedisConnection): string {
  if (connection.mode !== 'cluster' || /\{[^}]+\}/.test(prefix)) return prefix;
  return `{${prefix}}`;
}

type ClientOptions = Omit<RedisOptions, 'retryStrategy'> & {
  retryStrategy: (attempt: number) => number | null;
};

/**
 * Per-purpose behaviour. Workers block on Redis and need `maxRetriesPerRequest: null`; request-path clients fail
 * fast instead of queueing commands while Redis is away. After a failover a client still talking to a demoted
 * primary gets READONLY: it reconnects (through the Sentinels, to the new primary) and resends the command.
 */
function behaviour(purpose: RedisPurpose): Partial<ClientOptions> & Pick<ClientOptions, 'retryStrategy'> {
  return {
    connectTimeout: 3_000,
    lazyConnect: false,
    ...(purpose === 'command'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true }),
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}

/** ioredis options of a standalone or Sentinel connection (a Cluster has no single options object). */
export function redisOptions(
  connection: Exclude<RedisConnection, { mode: 'cluster' }>,
  purpose: RedisPurpose,
): ClientOptions {
  const auth = { username: connection.username, password: connection.password };
  if (connection.mode === 'standalone') {
    return {
      host: connection.node.host,
      port: connection.node.port,
      ...auth,
      db: connection.db,
      tls: connection.tls ? {} : undefined,
      ...behaviour(purpose),
    };
  }
  return {
    sentinels: connection.sentinels,
    name: connection.name,
    ...auth,
    sentinelPassword: connection.sentinelPassword,
    db: connection.db,
    tls: connection.tls ? {} : undefined,
    enableTLSForSentinelMode: connection.tls,
    sentinelRetryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    // No `failoverDetector`: its disconnect, arriving while a client is reconnecting, ends that client for good
    // (seen in redis-failover.spec with BullMQ workers). Clients find the new primary through the Sentinels on
    // their next reconnect (at most 2 s apart), and a demoted primary's READONLY answer forces one (below).
    failoverDetector: false,
    ...behaviour(purpose),
  };
}

function clusterOptions(
  connection: Extract<RedisConnection, { mode: 'cluster' }>,
  purpose: RedisPurpose,
): ClusterOptions {
  const { retryStrategy, connectTimeout, maxRetriesPerRequest, enableOfflineQueue, reconnectOnError } =
    behaviour(purpose);
  return {
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue,
    lazyConnect: false,
    redisOptions: {
      username: connection.username,
      password: connection.password,
      tls: connection.tls ? {} : undefined,
      connectTimeout,
      maxRetriesPerRequest,
      reconnectOnError,
    },
  };
}

/**
 * The one way to open a Redis client (command client, subscribers, preflight). A Cluster client answers the same
 * commands as a single-server one; it is typed as `Redis` so that callers stay unaware of the topology.
 */
export function createRedis(
  connection: RedisConnection,
  purpose: RedisPurpose,
  overrides: Partial<RedisOptions> = {},
): Redis {
  if (connection.mode === 'cluster') {
    const options = clusterOptions(connection, purpose);
    const cluster = new Cluster(connection.nodes, {
      ...options,
      ...(overrides.lazyConnect === undefined ? {} : { lazyConnect: overrides.lazyConnect }),
      ...(overrides.retryStrategy === undefined
        ? {}
        : { clusterRetryStrategy: (times: number) => overrides.retryStrategy!(times) ?? null }),
      redisOptions: { ...options.redisOptions, ...overrides },
    });
    return cluster as unknown as Redis;
  }
  return new Redis({ ...redisOptions(connection, purpose), ...overrides });
}

/**
 * BullMQ's `connection`: plain options for one server or Sentinel (BullMQ opens and closes its own clients), an
 * open Cluster client otherwise (BullMQ cannot build one from options; the caller closes it, see `close`).
 */
export function bullConnection(
  connection: RedisConnection,
  purpose: RedisPurpose,
): { connection: ConnectionOptions; close: () => void } {
  if (connection.mode === 'cluster') {
    const cluster = createRedis(connection, purpose) as unknown as Cluster;
    return { connection: cluster, close: () => cluster.disconnect() };
  }
  // Spread: BullMQ's option type wants an index signature that ioredis' interface lacks.
  return { connection: { ...redisOptions(connection, purpose) }, close: () => undefined };
}
