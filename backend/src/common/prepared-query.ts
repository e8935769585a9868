import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a hot statement as a named prepared statement on TypeORM's own pg pool: Postgres parses it once per
 * connection instead of on every request (the statement text must be constant for the name). Errors are pg's
 * own (`code` '23505' for a unique violation...).
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}
