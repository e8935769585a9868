import type pg from 'pg';
import { isDeadlock } from '../common/errors.js';

/** How many times a statement aborted by a deadlock runs before the error goes up. */
export const DEADLOCK_ATTEMPTS = 4;

/**
 * Runs one statement in its own transaction (autocommit), again when PostgreSQL aborted it to break a lock cycle
 * (SQLSTATE 40P01), after a short random pause so the two do not meet again. Only for statements that are safe to
 * run twice (guarded updates): the aborted run changed nothing.
 */
export async function queryRetryingDeadlocks<T>(
  pool: Pick<pg.Pool, 'query'>,
  text: string,
  values: unknown[],
): Promise<T[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await pool.query({ text, values });
      return result.rows as T[];
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
