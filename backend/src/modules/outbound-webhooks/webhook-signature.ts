import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing: the secret is `whsec_` + base64 of random bytes;
 * the HMAC-SHA256 key is those bytes; the signed content is `${webhook-id}.${webhook-timestamp}.${body}`; the
 * `webhook-signature` header is `v1,<base64 signature>` (space-separated when several secrets sign).
 * Receivers check it as the README ("Integrating with Lien") shows.
 */
export const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSeconds}.${body}`, 'utf8')
    .digest();
  return `v1,${digest.toString('base64')}`;
}
