import type { DataSource } from 'typeorm';

/**
 * Runs `work` while holding the advisory lock `key` across processes, and works through PgBouncer in
 * transaction mode: the lock is transaction-scoped (pg_advisory_xact_lock) and held by a transaction left
 * open on a connection of its own while `work` runs on other connections. A pooler keeps one server
 * connection for a whole transaction, so the lock and its release can never land on different server
 * connections (the trap of pg_advisory_lock/pg_advisory_unlock behind PgBouncer), and the lock ends with
 * the transaction, even when this process dies. The open transaction takes no snapshot between statements
 * (READ COMMITTED, no writes): it holds back no vacuum.
 *
 * `wait`: blocks until the lock is free. `try`: returns null at once when another process holds it.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: number,
  mode: 'wait' | 'try',
  work: () => Promise<T>,
): Promise<T | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      // Waiting for the lock is not a slow statement: no statement_timeout on this transaction.
      await runner.query(`SELECT set_config('statement_timeout', '0', true)`);
      if (mode === 'wait') await runner.query('SELECT pg_advisory_xact_lock($1)', [key]);
      else {
        const [row] = await runner.manager.query<{ locked: boolean }[]>(
          'SELECT pg_try_advisory_xact_lock($1) AS locked',
          [key],
        );
        if (!row?.locked) return null;
      }
      return await work();
    } finally {
      // Nothing was written in this transaction: rolling back only releases the lock.
      await runner.rollbackTransaction().catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}
