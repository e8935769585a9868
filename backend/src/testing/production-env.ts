/** The secrets NODE_ENV=production demands, fake but valid: a long JWT secret, 32-byte keys. */
export const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(48),
  ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 3).toString('base64')}`,
  BLIND_INDEX_KEY: Buffer.alloc(32, 4).toString('base64'),
};

/** The real providers production demands (no built-in outbox). Never contacted by tests: they only need to exist. */
export const PRODUCTION_PROVIDERS = {
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000042',
  TWILIO_AUTH_TOKEN: 'not-a-real-token-000000000000000',
  SMTP_URL: 'smtp://127.0.0.1:1',
};
