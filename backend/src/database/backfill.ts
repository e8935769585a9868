import type { DataSource, EntityManager } from 'typeorm';

/**
 * A worker's backfill (what SQL migrations cannot do because it needs the keys): runs `batch`, one transaction
 * each, until it handles fewer than `size` rows or `signal` aborts, and answers how many it handled in all.
 * `batch` must lock its rows with SKIP LOCKED, so that several workers may run it at once.
 */
export async function backfillInBatches(
  dataSource: DataSource,
  size: number,
  signal: AbortSignal | undefined,
  batch: (manager: EntityManager) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    if (signal?.aborted) break;
    const handled = await dataSource.transaction(batch);
    total += handled;
    if (handled < size) break;
  }
  return total;
}
