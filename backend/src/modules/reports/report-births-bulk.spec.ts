import pg from 'pg';
import { createTestDatabase } from '../../testing/test-database.js';

jest.setTimeout(300_000);

/** The births table as the triggers keep it, and as it is computed straight from the source rows. */
const MIRROR = `SELECT organisation_id::text AS org, household_key::text AS key, first_consent_at AS consent,
  both_screened AS both FROM report_birth_households ORDER BY 1, 2`;
const DIRECT = `
  SELECT p.organisation_id::text AS org, coalesce(p.household_id, p.id)::text AS key,
         min(p.consent_recorded_at) AS consent,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id)) >= 2 AS both
    FROM parents p GROUP BY 1, 2 ORDER BY 1, 2`;

/** Numbered ids (SQL expressions): organisation n, parent n. */
const organisationId = (n: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const parentId = (n: string) => `('10000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
/** Parent `id` of household number `i` (its organisation 1 + (i / 2) % 3), in household `household`. */
const insertParents = (id: string, i: string, household: string, series: string) => `
  INSERT INTO parents (id, organisation_id, household_id, first_name_enc, last_name_enc, phone_enc, phone_index,
                       last_name_index, first_name_index, role, language, consent_recorded_by, consent_recorded_at,
                       consent_text_version)
  SELECT ${parentId(id)}, ${organisationId(`1 + (${i} / 2) % 3`)}, ${household}, 'x', 'x', 'x', md5('p' || ${id}),
         md5('l' || ${id}), md5('f' || ${id}), 'mother', 'fr', gen_random_uuid(),
         now() - (${id}) * interval '1 minute', 'v1'
    FROM ${series}`;
/** One answer for each parent of `parents` (SQL giving parent ids). */
const answer = async (client: pg.ClientBase, parents: string) => {
  await client.query(`INSERT INTO invitations (organisation_id, parent_id, wave, due_at)
    SELECT organisation_id, id, 'day7', now() FROM parents WHERE id IN (${parents})`);
  await client.query(`INSERT INTO responses (organisation_id, parent_id, invitation_id, wave, parent_role,
      instrument_id, instrument_version, language, channel, answers, item_points, score, band, item10_positive,
      anxiety_score, anxiety_flag)
    SELECT organisation_id, parent_id, id, wave, 'mother', 'epds', '1', 'fr', 'web_form', '{0,0,0,0,0,0,0,0,0,0}',
           '{0,0,0,0,0,0,0,0,0,0}', 4, 'low', false, 1, false
      FROM invitations WHERE parent_id IN (${parents})`);
};

/**
 * The births triggers under bulk writes and concurrent writers: the lock each household's recomputation takes
 * is the household's row in report_birth_households, not a lock-table slot, so one transaction may touch more
 * households than the server's whole lock table holds (max_locks_per_transaction × connections), and two
 * writers of one household still wait for each other.
 */
describe('births triggers: bulk and concurrent writes (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await pool.query(
      `INSERT INTO organisations (id, name, kind, departement, region, time_zone, sms_sender, settings)
       SELECT ${organisationId('i')}, 'Organisation ' || i, 'pmi', '62', 'Hauts-de-France', 'Europe/Paris', 'Lien',
              '{}'::jsonb FROM generate_series(1, 3) AS i`,
    );
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const expectExact = async () => {
    const mirror = (await pool.query(MIRROR)).rows;
    expect(mirror).toEqual((await pool.query(DIRECT)).rows);
    return mirror as { both: boolean }[];
  };

  it('inserts, answers, regroups and deletes more households in one transaction than the lock table holds', async () => {
    const [limits] = (
      await pool.query<{ slots: number }>(
        `SELECT current_setting('max_locks_per_transaction')::int
                * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int) AS slots`,
      )
    ).rows;
    // Twice the whole lock table: one lock per household could not fit, whatever else the server is doing.
    const n = 8 * Math.ceil((2 * limits!.slots) / 8);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Parents 1..n, even ones founding a household that parent n + i joins (one statement each).
      await client.query(
        insertParents(
          'i',
          'i',
          `CASE WHEN i % 2 = 0 THEN ${parentId('i')} END`,
          'generate_series(1, $1) AS i',
        ),
        [n],
      );
      await client.query(insertParents('$1 + i', 'i', parentId('i'), 'generate_series(2, $1, 2) AS i'), [n]);
      // Both parents answer in every fourth household, the founder alone in the other households of two.
      await answer(client, `SELECT ${parentId('i')} FROM generate_series(2, ${n}, 2) AS i`);
      await answer(client, `SELECT ${parentId(`${n} + i`)} FROM generate_series(4, ${n}, 4) AS i`);
      // A backfill regrouping: a quarter of the single parents join the household before theirs (same
      // organisation), half of them having answered: the households they join now have two answers.
      await answer(client, `SELECT ${parentId('i')} FROM generate_series(3, ${n}, 8) AS i`);
      await client.query(
        `UPDATE parents p SET household_id = ${parentId('i - 1')} FROM generate_series(3, $1, 4) AS i
          WHERE p.id = ${parentId('i')}`,
        [n],
      );
      const held = await client.query<{ locks: number }>(
        'SELECT count(*)::int AS locks FROM pg_locks WHERE pid = pg_backend_pid()',
      );
      expect(held.rows[0]!.locks).toBeLessThan(200);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    const mirror = await expectExact();
    expect(mirror.length).toBe(n - n / 4);
    expect(mirror.filter((row) => row.both).length).toBe(n / 4 + n / 8);

    // A bulk delete in one statement (a purge), answers and invitations going with their parents.
    await pool.query(
      `DELETE FROM parents WHERE id IN (SELECT ${parentId('i')} FROM generate_series(1, $1, 3) AS i)`,
      [2 * n],
    );
    await expectExact();
  });

  it('two writers of one household wait for each other: the second sees the first committed', async () => {
    await pool.query('DELETE FROM parents');
    const [first, second] = [await pool.connect(), await pool.connect()];
    try {
      // A new household: both parents enrolled at once (the second writer waits on the first one's new row).
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query(insertParents('1', '0', parentId('1'), '(VALUES (1)) AS v'));
      const enrolling = second.query(insertParents('2', '0', parentId('1'), '(VALUES (1)) AS v'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('COMMIT');
      await enrolling;
      await second.query('COMMIT');
      expect(await expectExact()).toEqual([expect.objectContaining({ both: false })]);

      // Both parents answering at once (the second waits on the household's row).
      await first.query('BEGIN');
      await second.query('BEGIN');
      await answer(first, parentId('1'));
      const answering = answer(second, parentId('2'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('COMMIT');
      await answering;
      await second.query('COMMIT');
      expect(await expectExact()).toEqual([expect.objectContaining({ both: true })]);
    } finally {
      first.release();
      second.release();
    }
  });
});
