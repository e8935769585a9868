import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The queue board's browser pass. Bull Board is a static single-page app: a browser navigating to it cannot
 * send the console's `Authorization` header, so an authenticated POST (platform admins only, through the
 * global guard) sets this short-lived, HttpOnly, SameSite=Strict cookie, scoped to the board's path. It is an
 * HMAC (key derived from JWT_SECRET) over the user id and the expiry; the gate re-checks the user on each use.
 */
export const BOARD_COOKIE = 'lien_queue_board';
export const BOARD_PASS_TTL_SECONDS = 600;

const keyOf = (jwtSecret: string): Buffer =>
  createHmac('sha256', jwtSecret).update('lien:queue-board-pass:v1').digest();

export function issueBoardPass(jwtSecret: string, userId: string, now: Date): string {
  const payload = Buffer.from(
    JSON.stringify({ u: userId, exp: Math.floor(now.getTime() / 1000) + BOARD_PASS_TTL_SECONDS }),
  ).toString('base64url');
  const signature = createHmac('sha256', keyOf(jwtSecret)).update(payload).digest('base64url');
  return `${payload}.${signature}`;
}

/** The user id of a valid, unexpired pass; null otherwise. */
export function readBoardPass(jwtSecret: string, pass: string | undefined, now: Date): string | null {
  if (!pass || pass.length > 512) return null;
  const [payload, signature, extra] = pass.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = createHmac('sha256', keyOf(jwtSecret)).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      u?: unknown;
      exp?: unknown;
    };
    if (typeof claims.u !== 'string' || typeof claims.exp !== 'number') return null;
    return claims.exp > now.getTime() / 1000 ? claims.u : null;
  } catch {
    return null;
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
