/**
 * `npm run keys:rotate` at scale: 20,000 parents (three encrypted columns each) and 1,000 users with a TOTP secret
 * written under key 1 in a fresh database, then re-encrypted to key 2 in batches of 500, as the CLI does.
 * Prints rows re-encrypted per second (no target: it tells how long a rotation of a real installation takes).
 */
import pg from 'pg';
import { FieldEncryption } from '../common/crypto/field-encryption.service.js';
import { loadConfig } from '../config/config.js';
import { rotateEncryptionKeys } from '../database/key-rotation.js';
import { migrateDatabase } from '../database/migrate.js';
import { databaseUrl, dropTestDatabase, withServer } from '../testing/test-database.js';

const PARENTS = 20_000;
const USERS = 1_000;
const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

export async function run(): Promise<Record<string, number | string>> {
  const name = `lien_bench_keys_${Date.now()}`;
  await withServer(async (client) => void (await client.query(`CREATE DATABASE "${name}"`)));
  const url = databaseUrl(name);
  const client = new pg.Client({ connectionString: url });
  try {
    await migrateDatabase(url, 'lien-bench-keys');
    await client.connect();

    const key1 = new FieldEncryption(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, ENCRYPTION_KEYS: `1:${key(1)}` }),
    );
    const organisation = await client.query<{ id: string }>(
      `INSERT INTO organisations (name, kind, departement, region, time_zone, sms_sender, settings)
       VALUES ('Bench', 'pmi', '62', 'Hauts-de-France', 'Europe/Paris', 'Lien', '{}'::jsonb) RETURNING id`,
    );
    const orgId = organisation.rows[0]!.id;
    for (let start = 0; start < PARENTS; start += 2_000) {
      const size = Math.min(2_000, PARENTS - start);
      const phones = Array.from({ length: size }, (_, i) => `+3361${String(start + i).padStart(7, '0')}`);
      await client.query(
        `INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, first_name_index,
           last_name_index, role, language, birth_date, consent_recorded_by, consent_recorded_at, consent_text_version)
         SELECT $1, f, l, p, i, 'x', 'y', 'mother', 'fr', '2026-02-26', '00000000-0000-4000-8000-000000000000', now(), 'bench'
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(f, l, p, i)`,
        [
          orgId,
          phones.map(() => key1.encrypt('Camille')),
          phones.map(() => key1.encrypt('Martin')),
          phones.map((phone) => key1.encrypt(phone)),
          phones.map((phone) => key1.blindIndex(phone)),
        ],
      );
    }
    await client.query(
      `INSERT INTO users (email, display_name, role, totp_secret_enc)
       SELECT 'bench-' || n || '@lien.test', 'Bench', 'professional', s FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n)`,
      [Array.from({ length: USERS }, () => key1.encrypt('JBSWY3DPEHPK3PXP'))],
    );
    await client.query('VACUUM ANALYZE parents');
    await client.query('VACUUM ANALYZE users');

    const rotating = new FieldEncryption(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: url,
        ENCRYPTION_KEYS: `1:${key(1)},2:${key(2)}`,
        ENCRYPTION_ACTIVE_KEY_ID: '2',
      }),
    );
    const cpuBefore = process.cpuUsage();
    const results = await rotateEncryptionKeys(client, rotating, { batchSize: 500 });
    const cpu = process.cpuUsage(cpuBefore);
    const again = await rotateEncryptionKeys(client, rotating, { batchSize: 500 });
    const rows = results.reduce((sum, r) => sum + r.rows, 0);
    const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
    const parents = results.find((r) => r.table === 'parents')!;
    return {
      rows_reencrypted: rows,
      rows_per_s: Math.round(rows / seconds),
      parents_rows_per_s: Math.round(parents.rows / parents.seconds),
      fields_per_s: Math.round((parents.rows * 3 + (rows - parents.rows)) / seconds),
      cli_cpu_ms_per_1000_rows: Math.round(((cpu.user + cpu.system) / 1000 / rows) * 1000),
      second_run_rows: again.reduce((sum, r) => sum + r.rows, 0),
      second_run_ms: Math.round(again.reduce((sum, r) => sum + r.seconds, 0) * 1000),
    };
  } finally {
    await client.end().catch(() => undefined);
    await dropTestDatabase(name);
  }
}
