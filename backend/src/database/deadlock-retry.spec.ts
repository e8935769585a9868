import pg from 'pg';
import { createTestDatabase } from '../testing/test-database.js';
import { queryRetryingDeadlocks } from './deadlock-retry.js';

jest.setTimeout(30_000);

/**
 * A real lock cycle on the test server: another session holds row 1 and then asks for row 2, while the retried
 * statement holds row 2 and waits for row 1. PostgreSQL aborts the statement that waited first (ours, 40P01);
 * run again, it waits behind the other session's commit and then succeeds.
 */
describe('queryRetryingDeadlocks (real PostgreSQL deadlock)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let other: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await pool.query(`CREATE TABLE cycle (id int PRIMARY KEY, v int NOT NULL)`);
    // Row 2 first, then row 1, inside one statement.
    await pool.query(`CREATE FUNCTION bump_two_then_one() RETURNS int LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cycle SET v = v + 10 WHERE id = 2;
        UPDATE cycle SET v = v + 10 WHERE id = 1;
        RETURN (SELECT sum(v) FROM cycle);
      END $$`);
  });
  afterAll(async () => {
    await other.end();
    await pool.end();
    await database.drop();
  });

  const statement = 'SELECT bump_two_then_one() AS total';

  /**
   * The other session takes row 1; the statement then takes row 2 and waits for row 1 (it waits first, so its
   * deadlock check runs first and it is the one aborted); the other session asking for row 2 closes the cycle.
   */
  async function cycleWith<T>(start: () => Promise<T>): Promise<{ running: Promise<T> }> {
    await other.query(`UPDATE cycle SET v = v + 1 WHERE id = 1`);
    const running = start();
    running.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await other.query(`UPDATE cycle SET v = v + 1 WHERE id = 2`);
    await other.query('COMMIT');
    return { running };
  }

  beforeEach(async () => {
    await pool.query(`TRUNCATE cycle; INSERT INTO cycle VALUES (1, 0), (2, 0)`);
    await other.query('BEGIN');
  });

  it('without a retry, the statement is the deadlock victim (the cycle is real)', async () => {
    const { running: once } = await cycleWith(() => pool.query(statement));
    await expect(once).rejects.toMatchObject({ code: '40P01' });
    const rows = await pool.query<{ id: number; v: number }>(`SELECT id, v FROM cycle ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: 1, v: 1 },
      { id: 2, v: 1 },
    ]);
  });

  it('runs the aborted statement again once the other transaction commits: each change lands exactly once', async () => {
    const { running: retried } = await cycleWith(() => queryRetryingDeadlocks(pool, statement, []));
    await expect(retried).resolves.toEqual([{ total: 22 }]);
    const rows = await pool.query<{ id: number; v: number }>(`SELECT id, v FROM cycle ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: 1, v: 11 },
      { id: 2, v: 11 },
    ]);
  });

  it('lets any other error through at once', async () => {
    await other.query('ROLLBACK');
    await expect(queryRetryingDeadlocks(pool, 'SELECT 1 / 0', [])).rejects.toMatchObject({ code: '22012' });
  });
});
