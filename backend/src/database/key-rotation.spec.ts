import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import pg from 'pg';
import { FieldEncryption } from '../common/crypto/field-encryption.service.js';
import { loadConfig } from '../config/config.js';
import { makeOrganisation, makeUser } from '../testing/factories.js';
import { makeDueSmsBatch, makeParent } from '../testing/parents-factories.js';
import { createTestDatabase } from '../testing/test-database.js';
import { createDataSource } from './data-source.js';
import { ENCRYPTED_COLUMNS, ENCRYPTED_JSON_FIELDS, rotateEncryptionKeys } from './key-rotation.js';

// Real Postgres: a database written under key 1, rotated to key 2, then read with key 1 gone.
const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const configWith = (url: string, keys: string, active: string) =>
  loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    ENCRYPTION_KEYS: keys,
    ENCRYPTION_ACTIVE_KEY_ID: active,
  });

/** A rotation run's report, table by table in the order it rotates them: `rows` re-encrypted (0 where not named). */
const rotatedRows = (rows: Record<string, number>) =>
  [
    'parents',
    'users',
    'follow_up_events',
    'webhook_endpoints',
    'contact_requests',
    'pages',
    'sms_messages',
    'on_call_rotas',
  ].map((table) => ({ table, rows: rows[table] ?? 0 }));

interface Snapshot {
  parents: Map<string, [string, string, string]>;
  users: Map<string, string | null>;
  notes: Map<string, string>;
  /** The on-call rota's professional mobiles, per organisation, in entry order. */
  rotaPhones: Map<string, string[]>;
}

interface RotaRow {
  id: string;
  entries: Array<{ userId: string; phoneEnc: string }>;
}

describe('npm run keys:rotate (rotateEncryptionKeys)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let client: pg.Client;
  const PARENTS = 1_234;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url, applicationName: 'lien-test-keys', poolSize: 2 });
    await dataSource.initialize();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await dataSource.destroy();
    await database.drop();
  });

  async function ciphertexts(): Promise<string[]> {
    const parents = await client.query<{ a: string; b: string; c: string }>(
      'SELECT first_name_enc AS a, last_name_enc AS b, phone_enc AS c FROM parents',
    );
    const users = await client.query<{ t: string | null }>('SELECT totp_secret_enc AS t FROM users');
    const notes = await client.query<{ n: string }>('SELECT note_enc AS n FROM follow_up_events');
    const secrets = await client.query<{ s: string }>('SELECT secret_enc AS s FROM webhook_endpoints');
    const rotas = await client.query<RotaRow>('SELECT organisation_id AS id, entries FROM on_call_rotas');
    return [
      ...rotas.rows.flatMap((row) => row.entries.map((entry) => entry.phoneEnc)),
      ...secrets.rows.map((row) => row.s),
      ...parents.rows.flatMap((row) => [row.a, row.b, row.c]),
      ...users.rows.map((row) => row.t).filter((t): t is string => t !== null),
      ...notes.rows.map((row) => row.n),
    ];
  }

  async function readAll(encryption: FieldEncryption): Promise<Snapshot> {
    const parents = await client.query<{ id: string; a: string; b: string; c: string }>(
      'SELECT id, first_name_enc AS a, last_name_enc AS b, phone_enc AS c FROM parents',
    );
    const users = await client.query<{ id: string; t: string | null }>(
      'SELECT id, totp_secret_enc AS t FROM users',
    );
    const notes = await client.query<{ id: string; n: string }>(
      'SELECT id, note_enc AS n FROM follow_up_events',
    );
    const rotas = await client.query<RotaRow>('SELECT organisation_id AS id, entries FROM on_call_rotas');
    return {
      rotaPhones: new Map(
        rotas.rows.map((row) => [row.id, row.entries.map((entry) => encryption.decrypt(entry.phoneEnc))]),
      ),
      notes: new Map(notes.rows.map((row) => [row.id, encryption.decrypt(row.n)])),
      parents: new Map(
        parents.rows.map((row) => [
          row.id,
          [encryption.decrypt(row.a), encryption.decrypt(row.b), encryption.decrypt(row.c)],
        ]),
      ),
      users: new Map(users.rows.map((row) => [row.id, row.t === null ? null : encryption.decrypt(row.t)])),
    };
  }

  it('lists every encrypted column of the schema', async () => {
    // A column named *_enc that is not in ENCRYPTED_COLUMNS would keep its old key for ever.
    const columns = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name LIKE '%\\_enc' ORDER BY 1, 2`,
    );
    const listed = ENCRYPTED_COLUMNS.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)).sort();
    expect(columns.rows.map((r) => `${r.table_name}.${r.column_name}`).sort()).toEqual(listed);
    // Encrypted fields inside jsonb: the on-call rota's mobiles, in a jsonb column that exists.
    expect(ENCRYPTED_JSON_FIELDS.map((t) => `${t.table}.${t.column}[].${t.field}`)).toEqual([
      'on_call_rotas.entries[].phoneEnc',
    ]);
    for (const target of ENCRYPTED_JSON_FIELDS) {
      const found = await client.query<{ data_type: string }>(
        `SELECT data_type FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2`,
        [target.table, target.column],
      );
      expect(found.rows).toEqual([{ data_type: 'jsonb' }]);
    }
  });

  it('re-encrypts a key-1 database to key 2, resumably and idempotently; key 1 can then be removed', async () => {
    const key1 = configWith(database.url, `1:${key(1)}`, '1');
    const organisation = await makeOrganisation(dataSource);
    await makeParent(dataSource, key1, organisation, { firstName: 'Éloïse', lastName: "N'Diaye" });
    await makeDueSmsBatch(dataSource, key1, organisation, PARENTS - 1, new Date('2026-03-01T09:00:00Z'));
    const encryption1 = new FieldEncryption(key1);
    await makeUser(dataSource, { totpSecretEnc: encryption1.encrypt('JBSWY3DPEHPK3PXP') });
    await makeUser(dataSource, { totpSecretEnc: encryption1.encrypt('KRSXG5CTMVRXEZLU') });
    await makeUser(dataSource, { totpSecretEnc: null });
    // Follow-up notes (append-only table): the rotation alone may rewrite their ciphertext. The alert the event
    // belongs to plays no part here, so its foreign key is not checked for this row.
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(
      `INSERT INTO follow_up_events (organisation_id, alert_id, parent_id, type, note_enc)
       SELECT $1, gen_random_uuid(), id, 'note', $2 FROM parents LIMIT 3`,
      [organisation.id, encryption1.encrypt('Rappeler après 18 h, préfère le vouvoiement')],
    );
    await client.query('COMMIT');
    await client.query(
      `INSERT INTO webhook_endpoints (organisation_id, url, event_types, secret_enc)
       VALUES ($1, 'https://partner.example/hooks', '{alert.created}', $2)`,
      [organisation.id, encryption1.encrypt('whsec_c2VjcmV0LW9mLXRoZS1wYXJ0bmVy')],
    );
    // The on-call rota: each professional mobile encrypted inside the jsonb entries.
    const [oncall1, oncall2] = [await makeUser(dataSource), await makeUser(dataSource)];
    const rotaEntry = (userId: string, phone: string) => ({
      userId,
      weekdays: [1, 2, 3, 4, 5],
      start: '18:00',
      end: '08:00',
      phoneEnc: encryption1.encrypt(phone),
    });
    await client.query(`INSERT INTO on_call_rotas (organisation_id, entries) VALUES ($1, $2::jsonb)`, [
      organisation.id,
      JSON.stringify([rotaEntry(oncall1.id, '+33611223344'), rotaEntry(oncall2.id, '+33699887766')]),
    ]);
    await expect(client.query(`UPDATE follow_up_events SET note_enc = note_enc || ''`)).rejects.toThrow(
      'append-only',
    );
    const before = await readAll(encryption1);
    expect(before.parents.size).toBe(PARENTS);
    expect(before.rotaPhones.get(organisation.id)).toEqual(['+33611223344', '+33699887766']);
    expect((await ciphertexts()).every((c) => c.startsWith('v1.1.'))).toBe(true);

    const rotating = new FieldEncryption(configWith(database.url, `1:${key(1)},2:${key(2)}`, '2'));

    // Stopped after two batches of 500 (a crash, a Ctrl-C): those stay done, the rest still to do.
    let batches = 0;
    await expect(
      rotateEncryptionKeys(client, rotating, {
        batchSize: 500,
        onProgress: () => {
          batches += 1;
          if (batches === 2) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const partial = await ciphertexts();
    expect(partial.filter((c) => c.startsWith('v1.2.'))).toHaveLength(1_000 * 3);

    const first = await rotateEncryptionKeys(client, rotating, { batchSize: 500 });
    expect(first.map(({ table, rows }) => ({ table, rows }))).toEqual(
      rotatedRows({
        parents: PARENTS - 1_000,
        users: 2,
        follow_up_events: 3,
        webhook_endpoints: 1,
        on_call_rotas: 1,
      }),
    );
    expect((await ciphertexts()).every((c) => c.startsWith('v1.2.'))).toBe(true);
    // The rest of each rota entry is kept as it was.
    const [rota] = (await client.query<RotaRow>('SELECT organisation_id AS id, entries FROM on_call_rotas'))
      .rows;
    expect(rota!.entries.map(({ phoneEnc: _phone, ...rest }) => rest)).toEqual([
      { userId: oncall1.id, weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '08:00' },
      { userId: oncall2.id, weekdays: [1, 2, 3, 4, 5], start: '18:00', end: '08:00' },
    ]);

    const second = await rotateEncryptionKeys(client, rotating, { batchSize: 500 });
    expect(second.map(({ table, rows }) => ({ table, rows }))).toEqual(rotatedRows({}));

    // Key 1 retired: everything reads the same with key 2 alone, and nothing is readable with key 1 alone.
    const key2Only = new FieldEncryption(configWith(database.url, `2:${key(2)}`, '2'));
    const after = await readAll(key2Only);
    expect(after).toEqual(before);
    await expect(readAll(encryption1)).rejects.toThrow('Encryption key 2 is not configured');
    // The blind indexes (a separate key) are untouched: lookups by phone still find the parents.
    const [firstId, [, , phone]] = [...after.parents.entries()][0]!;
    const found = await client.query<{ id: string }>('SELECT id FROM parents WHERE phone_index = $1', [
      key2Only.blindIndex(phone),
    ]);
    expect(found.rows.map((r) => r.id)).toContain(firstId);
  });

  it('the CLI (npm run keys:rotate) does the same and prints rows/s; a second run re-encrypts nothing', async () => {
    const cli = path.resolve(__dirname, '../../../dist/backend/backend/src/cli/rotate-keys.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const run = () =>
      spawnSync(process.execPath, [cli, '--batch-size', '300'], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'development',
          LOG_LEVEL: 'silent',
          DATABASE_URL: database.url,
          ENCRYPTION_KEYS: `2:${key(2)},3:${key(3)}`,
          ENCRYPTION_ACTIVE_KEY_ID: '3',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const first = run();
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain('Re-encrypting to key 3, 300 rows per transaction.');
    expect(first.stdout).toMatch(
      new RegExp(`^parents: ${PARENTS} rows re-encrypted in [\\d.]+ s \\(\\d+ rows/s\\)$`, 'm'),
    );
    expect(first.stdout).toMatch(/^users: 2 rows re-encrypted/m);
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^parents: 0 rows re-encrypted/m);
    expect(second.stdout).toMatch(/^users: 0 rows re-encrypted/m);
    // The run that changed something is in the audit log (counts only); the empty one is not.
    const events = await client.query<{ metadata: unknown }>(
      `SELECT metadata FROM audit_events WHERE action = 'encryption.rotate'`,
    );
    expect(events.rows.map((e) => e.metadata)).toEqual([
      {
        activeKeyId: 3,
        rows: {
          parents: PARENTS,
          users: 2,
          follow_up_events: 3,
          webhook_endpoints: 1,
          contact_requests: 0,
          pages: 0,
          sms_messages: 0,
          on_call_rotas: 1,
        },
      },
    ]);
  });

  it('stops with the row id, never the value, when a ciphertext is under a key it does not hold', async () => {
    await client.query(
      `UPDATE parents SET last_name_enc = $1 WHERE id = (SELECT min(id::text)::uuid FROM parents)`,
      [new FieldEncryption(configWith(database.url, `7:${key(7)}`, '7')).encrypt('Secret-Name')],
    );
    const rotating = new FieldEncryption(configWith(database.url, `3:${key(3)},4:${key(4)}`, '4'));
    const failure = rotateEncryptionKeys(client, rotating, { batchSize: 100 });
    await expect(failure).rejects.toThrow(
      /^parents\.last_name_enc of row [0-9a-f-]{36} \(key 7\) cannot be read/,
    );
    await expect(failure).rejects.not.toThrow(/Secret-Name/);
    // The failed batch rolled back: nothing was half-written under key 4.
    expect((await ciphertexts()).some((c) => c.startsWith('v1.4.'))).toBe(false);
  });
});
