import type pg from 'pg';
import type { FieldEncryption } from '../common/crypto/field-encryption.service.js';

/** A table whose columns hold FieldEncryption ciphertexts (`v1.<keyId>.…`), nullable or not. */
export interface EncryptedColumns {
  table: string;
  idColumn: string;
  /** SQL type of the id column, for the batch update's join. */
  idType: 'uuid' | 'bigint';
  columns: readonly string[];
}

/** The encrypted columns of a table keyed by a uuid `id` (all of them so far). */
function uuidKeyed(table: string, columns: readonly string[]): EncryptedColumns {
  return { table, idColumn: 'id', idType: 'uuid', columns };
}

/**
 * Every column encrypted with FieldEncryption. A new encrypted column is one more entry here, so that
 * `npm run keys:rotate` re-encrypts it and an old key can be retired.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumns[] = [
  uuidKeyed('parents', ['first_name_enc', 'last_name_enc', 'phone_enc']),
  uuidKeyed('users', ['totp_secret_enc']),
  uuidKeyed('follow_up_events', ['note_enc']),
  uuidKeyed('webhook_endpoints', ['secret_enc']),
  uuidKeyed('contact_requests', ['first_name_enc', 'phone_enc', 'email_enc']),
  // The professional mobile a page was sent to (kept for the page's history).
  uuidKeyed('pages', ['phone_enc']),
  // The same mobile on the page's outbox rows (SMS and voice call); parents' rows have none.
  uuidKeyed('sms_messages', ['phone_enc']),
];

/**
 * A jsonb column holding an array of objects, one field of each being a FieldEncryption ciphertext (the on-call
 * rota's professional mobiles). Rotated like the columns: rows chosen by any element's key prefix.
 */
export interface EncryptedJsonArrayField {
  table: string;
  idColumn: string;
  idType: 'uuid' | 'bigint';
  /** The jsonb column (an array of objects). */
  column: string;
  /** The encrypted field of each element (absent or null: left alone). */
  field: string;
}

/** Every encrypted field inside a jsonb column: `npm run keys:rotate` re-encrypts these after the columns. */
export const ENCRYPTED_JSON_FIELDS: readonly EncryptedJsonArrayField[] = [
  {
    table: 'on_call_rotas',
    idColumn: 'organisation_id',
    idType: 'uuid',
    column: 'entries',
    field: 'phoneEnc',
  },
];

export interface RotationResult {
  table: string;
  /** Rows whose ciphertexts were rewritten under the active key. */
  rows: number;
  seconds: number;
}

export interface RotationOptions {
  batchSize?: number;
  targets?: readonly EncryptedColumns[];
  /** The jsonb targets (default ENCRYPTED_JSON_FIELDS); [] to rotate columns only. */
  jsonTargets?: readonly EncryptedJsonArrayField[];
  /** Called after each committed batch with the table's running total. */
  onProgress?: (progress: RotationResult) => void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const quote = (name: string) => {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return `"${name}"`;
};

/**
 * Re-encrypts every listed column to the active key, in batches of `batchSize` rows, each batch its own
 * transaction. Rows are chosen by their ciphertexts' key prefix, so a run that stops half way resumes where it
 * was, and a second run finds nothing to do. Batches lock their rows (FOR UPDATE): an edit made meanwhile by the
 * API waits for the batch and is never overwritten with the old value.
 */
export async function rotateEncryptionKeys(
  client: pg.ClientBase,
  encryption: FieldEncryption,
  options: RotationOptions = {},
): Promise<RotationResult[]> {
  const batchSize = options.batchSize ?? 500;
  const activePrefix = encryption.activeKeyPrefix();
  const activePattern = `${activePrefix}%`;
  const results: RotationResult[] = [];
  for (const target of options.targets ?? ENCRYPTED_COLUMNS) {
    const table = quote(target.table);
    const id = quote(target.idColumn);
    const columns = target.columns.map(quote);
    const stale = columns.map((c) => `(${c} IS NOT NULL AND ${c} NOT LIKE $1)`).join(' OR ');
    const select = (after: boolean) =>
      `SELECT ${id}::text AS id, ${columns.join(', ')} FROM ${table}
       WHERE (${stale})${after ? ` AND ${id} > $3::${target.idType}` : ''}
       ORDER BY ${id} LIMIT $2 FOR UPDATE`;
    const update = `UPDATE ${table} AS t SET ${columns.map((c, i) => `${c} = v.c${i}`).join(', ')}
       FROM unnest($1::text[], ${columns.map((_, i) => `$${i + 2}::text[]`).join(', ')})
         AS v(id, ${columns.map((_, i) => `c${i}`).join(', ')})
       WHERE t.${id} = v.id::${target.idType}`;

    const started = process.hrtime.bigint();
    let rows = 0;
    let after: string | undefined;
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    for (;;) {
      await client.query('BEGIN');
      try {
        // Follow-up events are append-only: their trigger lets this transaction rewrite a note's ciphertext only.
        await client.query(`SELECT set_config('lien.key_rotation', 'on', true)`);
        const batch = await client.query<Record<string, string | null>>(
          select(after !== undefined),
          after === undefined ? [activePattern, batchSize] : [activePattern, batchSize, after],
        );
        if (batch.rows.length === 0) {
          await client.query('COMMIT');
          break;
        }
        const ids = batch.rows.map((row) => row.id!);
        const values = target.columns.map((column) =>
          batch.rows.map((row) =>
            reencrypt(encryption, row[column] ?? null, activePrefix, target, column, row.id!),
          ),
        );
        await client.query(update, [ids, ...values]);
        await client.query('COMMIT');
        rows += ids.length;
        after = ids[ids.length - 1];
        options.onProgress?.({ table: target.table, rows, seconds: elapsed() });
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    results.push({ table: target.table, rows, seconds: elapsed() });
  }
  for (const target of options.jsonTargets ?? ENCRYPTED_JSON_FIELDS)
    results.push(await rotateJsonField(client, encryption, target, batchSize, options.onProgress));
  return results;
}

/** The same batches as the columns', for one encrypted field of the elements of a jsonb array column. */
async function rotateJsonField(
  client: pg.ClientBase,
  encryption: FieldEncryption,
  target: EncryptedJsonArrayField,
  batchSize: number,
  onProgress: RotationOptions['onProgress'],
): Promise<RotationResult> {
  const activePrefix = encryption.activeKeyPrefix();
  const table = quote(target.table);
  const id = quote(target.idColumn);
  const column = quote(target.column);
  const stale = `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${column}) = 'array'
      THEN ${column} ELSE '[]'::jsonb END) AS e(value)
    WHERE jsonb_typeof(e.value) = 'object' AND e.value->>$3::text IS NOT NULL AND e.value->>$3::text NOT LIKE $1)`;
  const select = (after: boolean) =>
    `SELECT ${id}::text AS id, ${column} AS doc FROM ${table}
     WHERE ${stale}${after ? ` AND ${id} > $4::${target.idType}` : ''}
     ORDER BY ${id} LIMIT $2 FOR UPDATE`;
  const update = `UPDATE ${table} AS t SET ${column} = v.doc::jsonb
     FROM unnest($1::text[], $2::text[]) AS v(id, doc) WHERE t.${id} = v.id::${target.idType}`;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const label = `${target.table}.${target.column}[].${target.field}`;
  let rows = 0;
  let after: string | undefined;
  for (;;) {
    await client.query('BEGIN');
    try {
      const batch = await client.query<{ id: string; doc: unknown }>(
        select(after !== undefined),
        after === undefined
          ? [`${activePrefix}%`, batchSize, target.field]
          : [`${activePrefix}%`, batchSize, target.field, after],
      );
      if (batch.rows.length === 0) {
        await client.query('COMMIT');
        break;
      }
      const ids = batch.rows.map((row) => row.id);
      const docs = batch.rows.map((row) =>
        JSON.stringify(
          (row.doc as Array<Record<string, unknown>>).map((element) => {
            const value = element?.[target.field];
            if (typeof value !== 'string' || value.startsWith(activePrefix)) return element;
            return { ...element, [target.field]: reencryptText(encryption, value, label, row.id) };
          }),
        ),
      );
      await client.query(update, [ids, docs]);
      await client.query('COMMIT');
      rows += ids.length;
      after = ids[ids.length - 1];
      onProgress?.({ table: target.table, rows, seconds: elapsed() });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  return { table: target.table, rows, seconds: elapsed() };
}

function reencryptText(encryption: FieldEncryption, ciphertext: string, label: string, id: string): string {
  try {
    return encryption.encrypt(encryption.decrypt(ciphertext));
  } catch (error) {
    // Ids only: never the value.
    throw new Error(
      `${label} of row ${id} (key ${encryption.keyIdOf(ciphertext)}) cannot be read: ${(error as Error).message}`,
    );
  }
}

function reencrypt(
  encryption: FieldEncryption,
  ciphertext: string | null,
  activePrefix: string,
  target: EncryptedColumns,
  column: string,
  id: string,
): string | null {
  if (ciphertext === null || ciphertext.startsWith(activePrefix)) return ciphertext;
  try {
    return encryption.encrypt(encryption.decrypt(ciphertext));
  } catch (error) {
    // Ids only: never the value.
    throw new Error(
      `${target.table}.${column} of row ${id} (key ${encryption.keyIdOf(ciphertext)}) cannot be read: ${(error as Error).message}`,
    );
  }
}
