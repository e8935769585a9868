import { PRODUCTION_PROVIDERS, PRODUCTION_SECRETS } from '../testing/production-env.js';
import { ConfigError, loadConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lien' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives development defaults with only DATABASE_URL', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      consoleOrigin: 'http://localhost:3000',
      redis: { mode: 'standalone', node: { host: '127.0.0.1', port: 6379 }, db: 0, tls: false },
      queuePrefix: 'lien',
      twilio: null,
      smtpUrl: null,
      oidc: null,
    });
    expect(config.encryptionKeys.get(config.encryptionActiveKeyId)).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every missing or invalid variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      REDIS_URL: 'http://localhost',
      LOG_LEVEL: 'loud',
      TWILIO_ACCOUNT_SID: 'AC123',
      SMS_RATE_PER_SECOND: '0',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL is required/),
        expect.stringMatching(/^PORT must be a whole number/),
        expect.stringMatching(/^REDIS_URL must use redis:, rediss:, redis\+sentinel:/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
        expect.stringMatching(/^TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together/),
        expect.stringMatching(/^SMS_RATE_PER_SECOND must be a whole number from 1/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('reads WORKER_QUEUES (default every queue) and names an unknown queue', () => {
    expect([...loadConfig(base).workerQueues]).toEqual(['sms', 'alerts', 'email', 'maintenance', 'webhooks']);
    expect([...loadConfig({ ...base, WORKER_QUEUES: ' sms , maintenance' }).workerQueues]).toEqual([
      'sms',
      'maintenance',
    ]);
    expect(problemsOf({ ...base, WORKER_QUEUES: 'sms,emails' })).toEqual([
      'WORKER_QUEUES has unknown queue "emails" (known: sms, alerts, email, maintenance, webhooks)',
    ]);
    expect(problemsOf({ ...base, WORKER_QUEUES: 'SMS,' })).toEqual([
      'WORKER_QUEUES has unknown queue "SMS", "" (known: sms, alerts, email, maintenance, webhooks)',
    ]);
  });

  it('reads Redis Sentinel and Cluster, with the Cluster hash tag on the key prefix', () => {
    expect(loadConfig({ ...base, REDIS_URL: 'redis+sentinel://s1:26379,s2:26379/mymaster/1' })).toMatchObject(
      {
        redis: { mode: 'sentinel', name: 'mymaster', db: 1, sentinels: [{ host: 's1' }, { host: 's2' }] },
        queuePrefix: 'lien',
      },
    );
    expect(
      loadConfig({
        ...base,
        REDIS_SENTINELS: 's1:26379, s2',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_PASSWORD: 'pw',
        REDIS_SENTINEL_PASSWORD: 'spw',
      }).redis,
    ).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      db: 0,
      tls: false,
      password: 'pw',
      sentinelPassword: 'spw',
    });
    expect(
      loadConfig({ ...base, REDIS_URL: 'redis+cluster://n1:7000,n2:7001', QUEUE_PREFIX: 'lien-prod' }),
    ).toMatchObject({ redis: { mode: 'cluster' }, queuePrefix: '{lien-prod}' });
  });

  it('names the Redis variable at fault, never its password', () => {
    expect(problemsOf({ ...base, REDIS_URL: 'redis+sentinel://:hunter2@s1:26379,s2:26379' })).toEqual([
      'REDIS_URL must end with the primary name, then an optional database: /mymaster[/0]',
    ]);
    expect(problemsOf({ ...base, REDIS_SENTINELS: 's1:26379' })).toEqual([
      'REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the primary name)',
    ]);
    expect(problemsOf({ ...base, REDIS_SENTINEL_NAME: 'mymaster' })).toEqual([
      'REDIS_SENTINEL_NAME needs REDIS_SENTINELS',
    ]);
    expect(
      problemsOf({ ...base, REDIS_URL: 'redis://x', REDIS_SENTINELS: 's1:x', REDIS_SENTINEL_NAME: 'm' }),
    ).toEqual([
      'REDIS_URL and REDIS_SENTINELS exclude each other: set one',
      'REDIS_SENTINELS has an invalid host "s1:x"',
    ]);
  });

  it('requires real secrets in production, with no development fallback', () => {
    const problems = problemsOf({ ...base, NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'PUBLIC_BASE_URL is required',
        'JWT_SECRET is required',
        'ENCRYPTION_KEYS is required',
        'BLIND_INDEX_KEY is required',
      ]),
    );
  });

  it('checks key sizes, the active key id and the JWT secret length', () => {
    const problems = problemsOf({
      ...base,
      ENCRYPTION_KEYS: `1:${Buffer.alloc(16).toString('base64')}`,
      ENCRYPTION_ACTIVE_KEY_ID: '2',
      JWT_SECRET: 'short',
      BLIND_INDEX_KEY: 'AAAA',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'ENCRYPTION_KEYS (key 1) must be 32 bytes in base64 (got 16 bytes)',
        'ENCRYPTION_ACTIVE_KEY_ID 2 is not one of ENCRYPTION_KEYS',
        'JWT_SECRET must be at least 32 characters',
        'BLIND_INDEX_KEY must be 32 bytes in base64 (got 3 bytes)',
      ]),
    );
  });

  it('reads Twilio and OIDC settings when given', () => {
    const config = loadConfig({
      ...base,
      TWILIO_ACCOUNT_SID: 'AC0123',
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4010/',
      OIDC_ISSUER_URL: 'https://auth.example.test',
      OIDC_CLIENT_ID: 'lien',
      OIDC_CLIENT_SECRET: 's3cret',
    });
    expect(config.twilio).toEqual({
      accountSid: 'AC0123',
      authToken: 'secret',
      messagingServiceSid: null,
      apiBaseUrl: 'http://127.0.0.1:4010',
      voiceFrom: null,
    });
    expect(config.oidc).toMatchObject({
      issuerUrl: 'https://auth.example.test',
      clientId: 'lien',
      displayName: 'Pro Santé Connect',
    });
  });

  it('reads the caller number of urgent pages’ voice calls (E.164 only)', () => {
    const twilio = { ...base, TWILIO_ACCOUNT_SID: 'AC0123', TWILIO_AUTH_TOKEN: 'secret' };
    expect(loadConfig({ ...twilio, TWILIO_VOICE_FROM: '+33180000001' }).twilio?.voiceFrom).toBe(
      '+33180000001',
    );
    expect(problemsOf({ ...twilio, TWILIO_VOICE_FROM: '01 80 00 00 01' })).toEqual([
      'TWILIO_VOICE_FROM must be a phone number in E.164 form (+33...)',
    ]);
  });

  it('never echoes a secret in its messages', () => {
    const problems = problemsOf({ ...base, JWT_SECRET: 'tiny-secret-value' });
    expect(problems.join('\n')).not.toContain('tiny-secret-value');
  });

  describe('MFA_REQUIRED_ROLES', () => {
    // A production environment complete enough to start (real providers included).
    const production = {
      ...base,
      ...PRODUCTION_SECRETS,
      PUBLIC_BASE_URL: 'https://lien.example.test',
      ...PRODUCTION_PROVIDERS,
    };

    it('requires TOTP of platform admins and coordinators in production by default, of nobody elsewhere', () => {
      expect([...loadConfig(production).mfaRequiredRoles].sort()).toEqual(['coordinator', 'platform_admin']);
      expect([...loadConfig(base).mfaRequiredRoles]).toEqual([]);
    });

    it('takes a list of roles or none, and names a bad value', () => {
      expect([
        ...loadConfig({ ...base, MFA_REQUIRED_ROLES: 'org_admin, platform_admin' }).mfaRequiredRoles,
      ]).toEqual(['org_admin', 'platform_admin']);
      expect(loadConfig({ ...production, MFA_REQUIRED_ROLES: 'none' }).mfaRequiredRoles.size).toBe(0);
      expect(problemsOf({ ...base, MFA_REQUIRED_ROLES: 'admin' })).toEqual([
        expect.stringMatching(/^MFA_REQUIRED_ROLES must be "none" or a comma-separated list of/),
      ]);
    });
  });

  describe('production', () => {
    const secrets = { ...base, ...PRODUCTION_SECRETS, PUBLIC_BASE_URL: 'https://lien.example.org' };
    const providers = PRODUCTION_PROVIDERS;

    it('refuses to start without Twilio and SMTP, naming every missing variable on one line', () => {
      const problems = problemsOf(secrets);
      expect(problems).toEqual([
        'NODE_ENV=production needs a real SMS provider and SMTP server (no built-in outbox): set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, SMTP_URL',
      ]);
    });

    it('names only what is missing (an SMTP server alone is not enough)', () => {
      const { TWILIO_AUTH_TOKEN: _token, ...rest } = providers;
      expect(problemsOf({ ...secrets, ...rest })).toEqual([
        'NODE_ENV=production needs a real SMS provider and SMTP server (no built-in outbox): set TWILIO_AUTH_TOKEN',
      ]);
      expect(
        problemsOf({ ...secrets, TWILIO_ACCOUNT_SID: providers.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: 'x' }),
      ).toEqual([
        'NODE_ENV=production needs a real SMS provider and SMTP server (no built-in outbox): set SMTP_URL',
      ]);
    });

    it('starts with real providers; OpenAPI docs are off unless configured', () => {
      const config = loadConfig({ ...secrets, ...providers });
      expect(config.twilio).not.toBeNull();
      expect(config.smtpUrl).toBe('smtp://127.0.0.1:1');
      expect(config.openApiDocs).toBe('off');
      expect(loadConfig({ ...secrets, ...providers, OPENAPI_DOCS: 'public' }).openApiDocs).toBe('public');
      expect(problemsOf({ ...secrets, ...providers, OPENAPI_DOCS: 'yes' })).toEqual([
        'OPENAPI_DOCS must be one of public, off (got "yes")',
      ]);
    });
  });

  it('gives sessions an absolute lifetime of at least the sliding one (12 h by default)', () => {
    expect(loadConfig(base)).toMatchObject({
      refreshTokenTtlSeconds: 8 * 3600,
      refreshTokenAbsoluteTtlSeconds: 12 * 3600,
    });
    expect(loadConfig({ ...base, REFRESH_TOKEN_TTL_SECONDS: '86400' }).refreshTokenAbsoluteTtlSeconds).toBe(
      86_400,
    );
    expect(
      problemsOf({ ...base, REFRESH_TOKEN_TTL_SECONDS: '7200', REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: '3600' }),
    ).toEqual(['REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS must be at least REFRESH_TOKEN_TTL_SECONDS']);
  });

  it('development needs no provider; docs are public there; the API statement timeout defaults to 15 s', () => {
    const config = loadConfig(base);
    expect(config.twilio).toBeNull();
    expect(config.openApiDocs).toBe('public');
    expect(config.databaseStatementTimeoutMs).toBe(15_000);
    expect(config.workerStatementTimeoutMs).toBe(0);
    expect(loadConfig({ ...base, DATABASE_STATEMENT_TIMEOUT_MS: '2500' }).databaseStatementTimeoutMs).toBe(
      2_500,
    );
    expect(problemsOf({ ...base, DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toEqual([
      'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number from 0 to 3600000 (got "-1")',
    ]);
  });

  describe('PostgreSQL scaling (pools, replica, PgBouncer, audit partitions)', () => {
    it('defaults to no replica, named prepared statements and 72 months of attached audit', () => {
      expect(loadConfig(base).postgres).toEqual({
        poolSize: null,
        replicaUrl: null,
        replicaPoolSize: 10,
        replicaMaxLagSeconds: 30,
        sessionUrl: null,
        preparedStatements: true,
        auditRetentionMonths: 72,
      });
    });

    it('reads every variable when given', () => {
      const config = loadConfig({
        ...base,
        DATABASE_POOL_SIZE: '40',
        DATABASE_REPLICA_URL: 'postgres://lien@replica.internal:5432/lien',
        DATABASE_REPLICA_POOL_SIZE: '5',
        DATABASE_REPLICA_MAX_LAG_SECONDS: '10',
        DATABASE_SESSION_URL: 'postgresql://lien@db.internal:5432/lien',
        DATABASE_PREPARED_STATEMENTS: 'false',
        AUDIT_RETENTION_MONTHS: '120',
      });
      expect(config.postgres).toEqual({
        poolSize: 40,
        replicaUrl: 'postgres://lien@replica.internal:5432/lien',
        replicaPoolSize: 5,
        replicaMaxLagSeconds: 10,
        sessionUrl: 'postgresql://lien@db.internal:5432/lien',
        preparedStatements: false,
        auditRetentionMonths: 120,
      });
    });

    it('names each bad value', () => {
      expect(
        problemsOf({
          ...base,
          DATABASE_POOL_SIZE: '0',
          DATABASE_REPLICA_URL: 'http://replica.internal',
          DATABASE_REPLICA_MAX_LAG_SECONDS: '-1',
          DATABASE_SESSION_URL: 'not a url',
          DATABASE_PREPARED_STATEMENTS: 'maybe',
          AUDIT_RETENTION_MONTHS: '0',
        }),
      ).toEqual([
        'DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "0")',
        'DATABASE_REPLICA_URL must use postgres: or postgresql: (got "http:")',
        'DATABASE_REPLICA_MAX_LAG_SECONDS must be a whole number from 0 to 86400 (got "-1")',
        'DATABASE_SESSION_URL must be a URL (got an unparsable value)',
        'DATABASE_PREPARED_STATEMENTS must be one of true, false (got "maybe")',
        'AUDIT_RETENTION_MONTHS must be a whole number from 1 to 1200 (got "0")',
      ]);
    });
  });
});
