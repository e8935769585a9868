import { USER_ROLES, type UserRole } from '@lien/shared';
import { QUEUES, type QueueName } from '../queue/jobs.js';
import {
  clusterSafePrefix,
  parseRedisNodes,
  parseRedisUrl,
  RedisUrlError,
  type RedisConnection,
} from '../queue/redis.js';

/**
 * The one place that reads the environment. Every variable is parsed and checked once, at boot,
 * into a typed, frozen object; a bad value stops start-up with one line per problem.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Public URL of this deployment: SMS links and Twilio webhook signatures are built on it. */
  publicBaseUrl: string;
  consoleOrigin: string;
  databaseUrl: string;
  /**
   * PostgreSQL `statement_timeout` of the API's pool connections (ms, 0 = none): a runaway query ends instead of
   * holding a connection. The worker's maintenance (purge, rollup rebuilds) uses its own bound.
   */
  databaseStatementTimeoutMs: number;
  /** The worker's `statement_timeout` (ms, 0 = none). */
  workerStatementTimeoutMs: number;
  /** Whether /api/docs (and /api/docs-json) is served: off by default in production. */
  openApiDocs: 'public' | 'off';
  /** REDIS_URL (one server, Sentinel or Cluster) or REDIS_SENTINELS + REDIS_SENTINEL_NAME, parsed. */
  redis: RedisConnection;
  /**
   * Prefix of every BullMQ and pub/sub key, so several deployments (or test files) share one Redis safely. With a
   * Redis Cluster it is a hash tag (`{lien}`), as BullMQ requires.
   */
  queuePrefix: string;
  /** Queues this worker process consumes (WORKER_QUEUES): SMS sending can scale on its own processes. */
  workerQueues: ReadonlySet<QueueName>;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** However often it is refreshed, a session (refresh-token family) ends this long after its sign-in. */
  refreshTokenAbsoluteTtlSeconds: number;
  /** Roles that must sign in with TOTP whatever their organisation's setting (platform-wide MFA). */
  mfaRequiredRoles: ReadonlySet<UserRole>;
  /** AES-256-GCM keys by id; new data uses the active id, old ids stay readable for rotation. */
  encryptionKeys: ReadonlyMap<number, Buffer>;
  encryptionActiveKeyId: number;
  blindIndexKey: Buffer;
  twilio: TwilioConfig | null;
  smsRatePerSecond: number;
  /** Timings of the SMS pipeline (worker concurrency, provider timeout, retries); small in tests. */
  smsDelivery: SmsDeliveryConfig;
  smtpUrl: string | null;
  mailFrom: string;
  oidc: OidcConfig | null;
  retentionDays: number;
  /** Directory of the built console, served at / by the API when set. */
  consoleDir: string | null;
  /** Bearer token Prometheus sends to `/metrics` (API and worker health port); null = metrics endpoint off. */
  metricsToken: string | null;
  /** Port of the worker's own probe and metrics server; 0 = none. */
  workerHealthPort: number;
  /** Bull Board's retry/clean/promote actions (audited); off = read-only view. */
  queueBoardActions: boolean;
  /** Outbound proxies (Twilio, SMTP, OIDC): HTTPS_PROXY / HTTP_PROXY / NO_PROXY, upper or lower case. */
  egressProxy: EgressProxyConfig;
  /** Pools, the read replica and PgBouncer compatibility (README "Scaling PostgreSQL"). */
  postgres: PostgresConfig;
  /** Outbound webhook deliveries (partner endpoints); small timings in tests. */
  outboundWebhooks: OutboundWebhooksConfig;
}

export interface OutboundWebhooksConfig {
  /** Time allowed for an endpoint's answer. */
  timeoutMs: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt, with jitter. */
  retryBaseMs: number;
  /** An endpoint failing without a single success for this long is disabled (admins are e-mailed). */
  disableAfterHours: number;
  /**
   * Whether endpoints may resolve to loopback, private or link-local addresses (false in production: a partner
   * URL must not reach this host, the cluster or the cloud metadata service).
   */
  allowPrivateNetworks: boolean;
}

export interface PostgresConfig {
  /** Connections per process to DATABASE_URL (primary or PgBouncer); default 20 for the API, 10 for a worker. */
  poolSize: number | null;
  /** A streaming replica for read-only work (reports, CSV exports, audit reads); null: everything on the primary. */
  replicaUrl: string | null;
  replicaPoolSize: number;
  /** Beyond this replay lag (or unreachable) the replica's readers use the primary. */
  replicaMaxLagSeconds: number;
  /** A direct (not pooled) connection for session work: the migrations. Null: DATABASE_URL. */
  sessionUrl: string | null;
  /** Named (server-side) prepared statements; off behind a PgBouncer older than 1.21 in transaction mode. */
  preparedStatements: boolean;
  /** Audit partitions older than this are detached (kept as standalone tables for archiving). */
  auditRetentionMonths: number;
}

export interface EgressProxyConfig {
  httpsProxy: string | null;
  httpProxy: string | null;
  noProxy: string | null;
}

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  messagingServiceSid: string | null;
  /** Overrides https://api.twilio.com, e.g. for the project's fake Twilio server. */
  apiBaseUrl: string | null;
  /** TWILIO_VOICE_FROM: the caller number (E.164) of urgent pages' voice calls; null: no calls, SMS only. */
  voiceFrom: string | null;
}

export interface SmsDeliveryConfig {
  /**
   * Sends one worker process has under way at once (claim, then the provider's answer), and its kept-alive
   * connections to the provider.
   */
  concurrency: number;
  /**
   * A job is taken this long before its row is due, read, and held until the due time, so that many messages
   * due at the same instant leave together instead of queueing behind job fetches. 0 takes jobs at the due time.
   */
  prepareAheadMs: number;
  /** Jobs one worker process may hold waiting for their due time (beyond the sends under way). */
  preparedMax: number;
  /** Time allowed for the provider's answer to a send; after it the outcome is "unknown" and checked. */
  sendTimeoutMs: number;
  /** First retry delay after a 429/5xx/network error; doubles per attempt (with jitter), capped at 30 minutes. */
  retryBaseMs: number;
  /** Attempts before a message that keeps failing temporarily is marked failed. */
  maxAttempts: number;
  /** A send of unknown outcome not found at the provider after this long is sent again. */
  unknownGraceMs: number;
  /** BullMQ lock of an SMS job: a killed worker's jobs are picked up again after about this long. */
  lockMs: number;
  /** Period of the reconciler that re-creates missing jobs from Postgres. */
  reconcileIntervalMs: number;
}

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Scopes asked at the provider (Pro Santé Connect: "openid scope_all"). */
  scopes: string;
  /** Claim (ID token or userinfo) carrying the RPPS number; Pro Santé Connect: "SubjectNameID" ("8" + RPPS). */
  rppsClaim: string;
  /** The provider's sign-in is itself multi-factor (Pro Santé Connect): no TOTP asked after it. */
  isMfa: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(`${name} is required`);
      return '';
    }
    return value;
  }

  optional(name: string): string | null {
    return this.raw(name) ?? null;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  url(name: string, fallback: string | undefined, protocols: string[]): string {
    const value = this.string(name, fallback);
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      this.problems.push(`${name} must be a URL (got an unparsable value)`);
    }
    return value.replace(/\/+$/, '');
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  /** A comma-separated subset of `allowed`; `none` for the empty set. */
  subset<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): ReadonlySet<T> {
    const value = this.raw(name);
    if (value === undefined) return new Set(fallback);
    if (value.toLowerCase() === 'none') return new Set();
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (unknown.length > 0 || items.length === 0) {
      this.problems.push(
        `${name} must be "none" or a comma-separated list of ${allowed.join(', ')} (got "${value}")`,
      );
      return new Set(fallback);
    }
    return new Set(items as T[]);
  }

  key(name: string, value: string, bytes: number): Buffer {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length !== bytes) {
      this.problems.push(`${name} must be ${bytes} bytes in base64 (got ${decoded.length} bytes)`);
    }
    return decoded;
  }
}

const LOCAL_REDIS: RedisConnection = {
  mode: 'standalone',
  node: { host: '127.0.0.1', port: 6379 },
  db: 0,
  tls: false,
};

/** REDIS_URL, or the Sentinel pair REDIS_SENTINELS + REDIS_SENTINEL_NAME (a Helm chart's usual outputs). */
function readRedis(read: EnvReader): RedisConnection {
  const url = read.raw('REDIS_URL');
  const sentinels = read.raw('REDIS_SENTINELS');
  const sentinelName = read.raw('REDIS_SENTINEL_NAME');
  if (sentinels === undefined) {
    if (sentinelName !== undefined) read.problems.push('REDIS_SENTINEL_NAME needs REDIS_SENTINELS');
    if (url === undefined) return LOCAL_REDIS;
    try {
      return parseRedisUrl(url);
    } catch (error) {
      if (!(error instanceof RedisUrlError)) throw error;
      read.problems.push(`REDIS_URL ${error.message}`);
      return LOCAL_REDIS;
    }
  }
  if (url !== undefined) read.problems.push('REDIS_URL and REDIS_SENTINELS exclude each other: set one');
  if (sentinelName === undefined)
    read.problems.push('REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the primary name)');
  try {
    const password = read.raw('REDIS_PASSWORD');
    const sentinelPassword = read.raw('REDIS_SENTINEL_PASSWORD');
    return {
      mode: 'sentinel',
      sentinels: parseRedisNodes(sentinels),
      name: sentinelName ?? '',
      db: 0,
      tls: false,
      ...(password ? { password } : {}),
      ...(sentinelPassword ? { sentinelPassword } : {}),
    };
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    read.problems.push(`REDIS_SENTINELS ${error.message}`);
    return LOCAL_REDIS;
  }
}

/** WORKER_QUEUES: a comma list of queue names, default all; an unknown name is named back. */
function readWorkerQueues(read: EnvReader): ReadonlySet<QueueName> {
  const all = Object.values(QUEUES);
  const value = read.raw('WORKER_QUEUES');
  if (value === undefined) return new Set(all);
  const items = value.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !(all as string[]).includes(item));
  if (unknown.length > 0) {
    read.problems.push(
      `WORKER_QUEUES has unknown queue ${unknown.map((item) => `"${item}"`).join(', ')} (known: ${all.join(', ')})`,
    );
    return new Set(all);
  }
  return new Set(items as QueueName[]);
}

const DEV_ONLY_SECRET = 'dev-only-secret-never-use-in-production-0000';

export function loadConfig(env: Env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const port = read.integer('PORT', 3000, 0, 65535);
  const publicBaseUrl = read.url('PUBLIC_BASE_URL', production ? undefined : `http://localhost:${port}`, [
    'http:',
    'https:',
  ]);

  const jwtSecret = read.string('JWT_SECRET', production ? undefined : DEV_ONLY_SECRET);
  if (jwtSecret && jwtSecret.length < 32) read.problems.push('JWT_SECRET must be at least 32 characters');

  const encryptionKeys = new Map<number, Buffer>();
  const keysText = read.string(
    'ENCRYPTION_KEYS',
    production ? undefined : `1:${Buffer.alloc(32, 7).toString('base64')}`,
  );
  for (const entry of keysText.split(',').filter(Boolean)) {
    const [idText, material] = entry.split(':');
    const id = Number(idText);
    if (!Number.isInteger(id) || id < 1 || id > 32767 || !material) {
      read.problems.push('ENCRYPTION_KEYS must look like "1:<base64 32 bytes>,2:<base64 32 bytes>"');
      continue;
    }
    encryptionKeys.set(id, read.key(`ENCRYPTION_KEYS (key ${id})`, material, 32));
  }
  const encryptionActiveKeyId = read.integer(
    'ENCRYPTION_ACTIVE_KEY_ID',
    Math.max(1, ...encryptionKeys.keys()),
    1,
    32767,
  );
  if (encryptionKeys.size > 0 && !encryptionKeys.has(encryptionActiveKeyId)) {
    read.problems.push(`ENCRYPTION_ACTIVE_KEY_ID ${encryptionActiveKeyId} is not one of ENCRYPTION_KEYS`);
  }
  const blindIndexKey = read.key(
    'BLIND_INDEX_KEY',
    read.string('BLIND_INDEX_KEY', production ? undefined : Buffer.alloc(32, 9).toString('base64')),
    32,
  );

  const twilioSid = read.optional('TWILIO_ACCOUNT_SID');
  const twilioToken = read.optional('TWILIO_AUTH_TOKEN');
  // Production never falls back to the built-in outboxes: one line names every variable still missing.
  const missingProviders = production
    ? ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SMTP_URL'].filter((name) => read.raw(name) === undefined)
    : [];
  if (missingProviders.length > 0) {
    read.problems.push(
      `NODE_ENV=production needs a real SMS provider and SMTP server (no built-in outbox): set ${missingProviders.join(', ')}`,
    );
  } else if ((twilioSid === null) !== (twilioToken === null)) {
    read.problems.push('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together: set both or neither');
  }
  const twilioApiBaseUrl = read.raw('TWILIO_API_BASE_URL')
    ? read.url('TWILIO_API_BASE_URL', undefined, ['http:', 'https:'])
    : null;

  const twilioVoiceFrom = read.optional('TWILIO_VOICE_FROM');
  if (twilioVoiceFrom !== null && !/^\+[1-9]\d{6,14}$/.test(twilioVoiceFrom))
    read.problems.push('TWILIO_VOICE_FROM must be a phone number in E.164 form (+33...)');

  const oidcIssuer = read.optional('OIDC_ISSUER_URL');
  const oidc: OidcConfig | null = oidcIssuer
    ? {
        issuerUrl: read.url('OIDC_ISSUER_URL', undefined, ['http:', 'https:']),
        clientId: read.string('OIDC_CLIENT_ID'),
        clientSecret: read.string('OIDC_CLIENT_SECRET'),
        displayName: read.string('OIDC_DISPLAY_NAME', 'Pro Santé Connect'),
        scopes: read.string('OIDC_SCOPES', 'openid email profile'),
        rppsClaim: read.string('OIDC_RPPS_CLAIM', 'SubjectNameID'),
        isMfa: read.oneOf('OIDC_IS_MFA', ['true', 'false'] as const, 'false') === 'true',
      }
    : null;

  // Never public: without a token (at least 32 characters) the metrics endpoints answer 404.
  const metricsToken = read.optional('METRICS_TOKEN');
  if (metricsToken !== null && (metricsToken.length < 32 || !/^[\x21-\x7e]+$/.test(metricsToken)))
    read.problems.push('METRICS_TOKEN must be at least 32 printable characters without spaces');
  const proxyUrl = (name: string): string | null => {
    const lower = name.toLowerCase();
    if (!read.raw(name) && !read.raw(lower)) return null;
    return read.url(read.raw(name) ? name : lower, undefined, ['http:', 'https:']);
  };

  const redis = readRedis(read);
  const refreshTokenTtlSeconds = read.integer('REFRESH_TOKEN_TTL_SECONDS', 8 * 3600, 300, 30 * 86_400);
  const config: AppConfig = {
    nodeEnv,
    port,
    publicBaseUrl,
    consoleOrigin: read.url('CONSOLE_ORIGIN', publicBaseUrl || undefined, ['http:', 'https:']),
    databaseUrl: read.url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']),
    databaseStatementTimeoutMs: read.integer('DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0, 3_600_000),
    workerStatementTimeoutMs: read.integer('WORKER_STATEMENT_TIMEOUT_MS', 0, 0, 86_400_000),
    openApiDocs: read.oneOf('OPENAPI_DOCS', ['public', 'off'] as const, production ? 'off' : 'public'),
    redis,
    queuePrefix: clusterSafePrefix(read.string('QUEUE_PREFIX', 'lien'), redis),
    workerQueues: readWorkerQueues(read),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    jwtSecret,
    accessTokenTtlSeconds: read.integer('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    refreshTokenTtlSeconds,
    refreshTokenAbsoluteTtlSeconds: read.integer(
      'REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS',
      Math.max(12 * 3600, refreshTokenTtlSeconds),
      300,
      90 * 86_400,
    ),
    // Production: the powerful roles need a second factor unless explicitly configured otherwise; elsewhere off so
    // the demo logins work without an authenticator app.
    mfaRequiredRoles: read.subset(
      'MFA_REQUIRED_ROLES',
      USER_ROLES,
      production ? (['platform_admin', 'coordinator'] as const) : [],
    ),
    encryptionKeys,
    encryptionActiveKeyId,
    blindIndexKey,
    twilio:
      twilioSid && twilioToken
        ? {
            accountSid: twilioSid,
            authToken: twilioToken,
            messagingServiceSid: read.optional('TWILIO_MESSAGING_SERVICE_SID'),
            apiBaseUrl: twilioApiBaseUrl,
            voiceFrom: twilioVoiceFrom,
          }
        : null,
    smsRatePerSecond: read.integer('SMS_RATE_PER_SECOND', 30, 1, 10_000),
    smsDelivery: {
      concurrency: read.integer('SMS_WORKER_CONCURRENCY', 100, 1, 500),
      prepareAheadMs: read.integer('SMS_PREPARE_AHEAD_MS', 2_000, 0, 60_000),
      preparedMax: read.integer('SMS_PREPARED_MAX', 10_000, 0, 100_000),
      sendTimeoutMs: read.integer('SMS_SEND_TIMEOUT_MS', 15_000, 100, 120_000),
      retryBaseMs: read.integer('SMS_RETRY_BASE_MS', 10_000, 1, 3_600_000),
      maxAttempts: read.integer('SMS_MAX_ATTEMPTS', 8, 1, 50),
      unknownGraceMs: read.integer('SMS_UNKNOWN_GRACE_MS', 120_000, 0, 86_400_000),
      lockMs: read.integer('SMS_WORKER_LOCK_MS', 30_000, 500, 600_000),
      reconcileIntervalMs: read.integer('SMS_RECONCILE_INTERVAL_MS', 60_000, 1_000, 3_600_000),
    },
    outboundWebhooks: {
      timeoutMs: read.integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      maxAttempts: read.integer('WEBHOOK_MAX_ATTEMPTS', 10, 1, 50),
      retryBaseMs: read.integer('WEBHOOK_RETRY_BASE_MS', 30_000, 1, 3_600_000),
      disableAfterHours: read.integer('WEBHOOK_DISABLE_AFTER_HOURS', 72, 1, 30 * 24),
      allowPrivateNetworks:
        read.oneOf(
          'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
          ['true', 'false'] as const,
          production ? 'false' : 'true',
        ) === 'true',
    },
    smtpUrl: read.raw('SMTP_URL') ? read.url('SMTP_URL', undefined, ['smtp:', 'smtps:']) : null,
    mailFrom: read.string('MAIL_FROM', 'Lien <no-reply@lien.localhost>'),
    oidc,
    retentionDays: read.integer('RETENTION_DAYS', 3 * 365, 30, 30 * 365),
    consoleDir: read.optional('CONSOLE_DIR'),
    metricsToken,
    // Tests start many workers at once: no fixed port unless they ask for one.
    workerHealthPort: read.integer('WORKER_HEALTH_PORT', nodeEnv === 'test' ? 0 : 3001, 0, 65535),
    queueBoardActions: read.oneOf('QUEUE_BOARD_ACTIONS', ['true', 'false'] as const, 'false') === 'true',
    egressProxy: {
      httpsProxy: proxyUrl('HTTPS_PROXY'),
      httpProxy: proxyUrl('HTTP_PROXY'),
      noProxy: read.raw('NO_PROXY') ?? read.raw('no_proxy') ?? null,
    },
    postgres: {
      poolSize: read.raw('DATABASE_POOL_SIZE') ? read.integer('DATABASE_POOL_SIZE', 10, 1, 1_000) : null,
      replicaUrl: read.raw('DATABASE_REPLICA_URL')
        ? read.url('DATABASE_REPLICA_URL', undefined, ['postgres:', 'postgresql:'])
        : null,
      replicaPoolSize: read.integer('DATABASE_REPLICA_POOL_SIZE', 10, 1, 1_000),
      replicaMaxLagSeconds: read.integer('DATABASE_REPLICA_MAX_LAG_SECONDS', 30, 0, 86_400),
      sessionUrl: read.raw('DATABASE_SESSION_URL')
        ? read.url('DATABASE_SESSION_URL', undefined, ['postgres:', 'postgresql:'])
        : null,
      preparedStatements:
        read.oneOf('DATABASE_PREPARED_STATEMENTS', ['true', 'false'] as const, 'true') === 'true',
      auditRetentionMonths: read.integer('AUDIT_RETENTION_MONTHS', 72, 1, 1_200),
    },
  };

  if (config.refreshTokenAbsoluteTtlSeconds < config.refreshTokenTtlSeconds) {
    read.problems.push('REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS must be at least REFRESH_TOKEN_TTL_SECONDS');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}
