/**
 * What the generic rollup columns mean. The SQL facts functions (migration 1763800500000-report-rollups)
 * write each subject's counters in this order; this is the one place that reads them back by name.
 *
 * Subject       dim1       dim2                 counters c1..c8
 * parents       role       —                    enrolled, optedOut, withdrawn
 * invitations   wave       —                    planned, sent, opened, answered, expired, cancelled
 * sms           kind       wave                 planned, accepted, delivered, undelivered, failed, segments
 * responses     wave       role                 responses, low, moderate, high, item10Positive, anxiety, positive
 * alerts        severity   outcome (if closed)  created, positive, reached, positiveReached, referred, inCare,
 *                                               positiveInCare, closed
 */
export const ROLLUP_COUNTERS = {
  parents: ['enrolled', 'optedOut', 'withdrawn'],
  invitations: ['planned', 'sent', 'opened', 'answered', 'expired', 'cancelled'],
  sms: ['planned', 'accepted', 'delivered', 'undelivered', 'failed', 'segments'],
  responses: ['responses', 'low', 'moderate', 'high', 'item10Positive', 'anxiety', 'positive'],
  alerts: [
    'created',
    'positive',
    'reached',
    'positiveReached',
    'referred',
    'inCare',
    'positiveInCare',
    'closed',
  ],
} as const;

export type RollupSubject = keyof typeof ROLLUP_COUNTERS;
export type RollupCounters<S extends RollupSubject> = Record<(typeof ROLLUP_COUNTERS)[S][number], number>;

/**
 * The rows of this pseudo-organisation in report_daily and report_monthly are the platform total (every
 * organisation summed, kept by the compaction and rebuilds): reports on all of France read them instead of
 * summing a thousand organisations. Never a real organisation id (random UUIDs are version 4).
 */
export const PLATFORM_ROLLUP_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

export const ROLLUP_SUBJECTS = Object.keys(ROLLUP_COUNTERS) as RollupSubject[];
export const ROLLUP_COUNTER_COLUMNS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'] as const;

export function isRollupSubject(value: string): value is RollupSubject {
  return Object.prototype.hasOwnProperty.call(ROLLUP_COUNTERS, value);
}

/** One aggregated rollup line as the repository reads it: a subject, its two dimensions, eight sums. */
export interface RollupLine {
  subject: RollupSubject;
  dim1: string;
  dim2: string;
  counters: number[];
}

/**
 * The sums of one report group (or the total), by subject and dimensions, read back by counter name.
 */
export class RollupTotals {
  /** Lines by subject, then by dimensions. */
  private readonly subjects = new Map<RollupSubject, Map<string, RollupLine>>();

  add(line: RollupLine): void {
    let lines = this.subjects.get(line.subject);
    if (!lines) this.subjects.set(line.subject, (lines = new Map<string, RollupLine>()));
    const key = `${line.dim1}\u0000${line.dim2}`;
    const existing = lines.get(key);
    if (!existing) {
      lines.set(key, { ...line, counters: [...line.counters] });
      return;
    }
    line.counters.forEach(
      (value, index) => (existing.counters[index] = (existing.counters[index] ?? 0) + value),
    );
  }

  /** Sums of a subject over the lines that pass `where`, by counter name. */
  sum<S extends RollupSubject>(
    subject: S,
    where: (dim1: string, dim2: string) => boolean = () => true,
  ): RollupCounters<S> {
    const names = ROLLUP_COUNTERS[subject];
    const sums = names.map(() => 0);
    for (const line of this.subjects.get(subject)?.values() ?? []) {
      if (!where(line.dim1, line.dim2)) continue;
      for (let index = 0; index < sums.length; index += 1)
        sums[index] = sums[index]! + (line.counters[index] ?? 0);
    }
    return Object.fromEntries(names.map((name, index) => [name, sums[index] ?? 0])) as RollupCounters<S>;
  }

  /** Distinct values of a dimension of a subject that have any non-zero counter. */
  dimensionValues(subject: RollupSubject, dimension: 'dim1' | 'dim2'): string[] {
    const values = new Set<string>();
    for (const line of this.subjects.get(subject)?.values() ?? []) {
      if (line.counters.some((value) => value !== 0)) values.add(line[dimension]);
    }
    return [...values];
  }
}
