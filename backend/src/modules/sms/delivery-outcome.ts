import type { SmsStatus } from '@lien/shared';

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
