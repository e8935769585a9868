import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed form timestamps: the page puts one in a hidden field when it renders a form, and the submission must
 * come back at least `minSeconds` later (a human reads ten questions; a script posts at once) and at most
 * `maxSeconds` later. The signature (HMAC-SHA-256) stops a client from writing its own; the stamp can carry
 * the id of what the form continues (the screening behind a contact form). No cookie, nothing stored.
 */
export type StampPurpose = 'screening' | 'contact';

export interface Stamp {
  purpose: StampPurpose;
  issuedAt: number;
  /** The screening a contact form continues. */
  screeningId?: string;
}

export type StampCheck =
  { ok: true; stamp: Stamp } | { ok: false; reason: 'invalid' | 'too_fast' | 'expired'; stamp?: Stamp };

const SHAPE = /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class FormStamps {
  constructor(private readonly key: Buffer) {}

  issue(stamp: Stamp): string {
    const body = Buffer.from(
      JSON.stringify({
        p: stamp.purpose,
        t: stamp.issuedAt,
        ...(stamp.screeningId ? { s: stamp.screeningId } : {}),
      }),
      'utf8',
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  check(
    value: unknown,
    purpose: StampPurpose,
    now: number,
    minSeconds: number,
    maxSeconds: number,
  ): StampCheck {
    if (typeof value !== 'string' || !SHAPE.test(value)) return { ok: false, reason: 'invalid' };
    const [body = '', signature = ''] = value.split('.');
    const expected = Buffer.from(this.sign(body), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'invalid' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    const { p, t, s } = (parsed ?? {}) as { p?: unknown; t?: unknown; s?: unknown };
    if (p !== purpose || typeof t !== 'number' || !Number.isSafeInteger(t))
      return { ok: false, reason: 'invalid' };
    if (s !== undefined && (typeof s !== 'string' || !UUID.test(s))) return { ok: false, reason: 'invalid' };
    const stamp: Stamp = { purpose, issuedAt: t, ...(typeof s === 'string' ? { screeningId: s } : {}) };
    const age = now - t;
    if (age < minSeconds * 1000) return { ok: false, reason: 'too_fast', stamp };
    if (age > maxSeconds * 1000) return { ok: false, reason: 'expired', stamp };
    return { ok: true, stamp };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`lien-form-stamp\n${body}`, 'utf8').digest('base64url');
  }
}
