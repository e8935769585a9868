import { analyseSms, type SmsStatus } from '@lien/shared';

/** What the job should do next: nothing (the row reached a state that needs no job), or run again later. */
export type DeliveryOutcome =
  | { kind: 'done'; status: SmsStatus | 'missing' }
  | { kind: 'later'; delayMs: number; reason: 'not_due' | 'deferred' | 'retry' | 'check' };

export const done = (status: SmsStatus | 'missing'): DeliveryOutcome => ({ kind: 'done', status });

export const later = (
  delayMs: number,
  reason: Extract<DeliveryOutcome, { kind: 'later' }>['reason'],
): DeliveryOutcome => ({
  kind: 'later',
  delayMs: Math.max(0, Math.ceil(delayMs)),
  reason,
});

const MAX_BACKOFF_MS = 30 * 60_000;

/** Exponential backoff with jitter: base × 2^(attempt-1), between half and all of it, capped. */
export function backoffMs(attempt: number, retryBaseMs: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** How soon a send of unknown outcome is checked (and re-checked) with the provider. */
export function checkDelayMs(unknownGraceMs: number): number {
  return Math.max(100, Math.min(5_000, unknownGraceMs));
}

/**
 * A row left in `sending`: its claimer answers within the send timeout or is gone; until then (and 2 s more)
 * it may still be working, so wait. Null once the row is stale (the caller marks it so and reads it again).
 */
export function waitForClaimer(started: Date, now: Date, sendTimeoutMs: number): DeliveryOutcome | null {
  const staleAt = started.getTime() + sendTimeoutMs + 2_000;
  return now.getTime() < staleAt ? later(staleAt - now.getTime(), 'check') : null;
}

/**
 * A send of unknown outcome not found at the provider: within its grace period (from `since`, the attempt),
 * check again at the next check or at the grace end, whichever comes first. Null once the grace is over.
 */
export function checkWithinGrace(since: Date, now: Date, unknownGraceMs: number): DeliveryOutcome | null {
  const graceEnd = since.getTime() + unknownGraceMs;
  if (now.getTime() >= graceEnd) return null;
  return later(Math.min(graceEnd - now.getTime(), checkDelayMs(unknownGraceMs)), 'check');
}

/** A text's segments and encoding, as an outbox row keeps them. */
export interface TextMeasure {
  segments: number | null;
  encoding: string | null;
}

/** The measure of a sent text; nulls without a text (a call, a lookup that gave no body). */
export function textMeasure(body: string | null | undefined): TextMeasure {
  if (body === null || body === undefined) return { segments: null, encoding: null };
  const { segments, encoding } = analyseSms(body);
  return { segments, encoding };
}
