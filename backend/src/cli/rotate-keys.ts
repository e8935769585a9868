// `npm run keys:rotate`: re-encrypts every encrypted column (ENCRYPTED_COLUMNS) to ENCRYPTION_ACTIVE_KEY_ID, in
// batches; resumable and idempotent. Run it after adding a new key and making it active, before removing the old
// key from ENCRYPTION_KEYS (README, "Operating Lien").
import 'reflect-metadata';
import pg from 'pg';
import { FieldEncryption } from '../common/crypto/field-encryption.service.js';
import { loadConfigOrExit, runOrExit, StartupError } from '../common/preflight.js';
import type { RotationResult } from '../database/key-rotation.js';
import { rotateEncryptionKeys } from '../database/key-rotation.js';
import { createDataSource } from '../database/data-source.js';
import { AuditRepository } from '../modules/audit/audit.repository.js';
import { AuditService } from '../modules/audit/audit.service.js';

/** One audit event per run that re-encrypted something: the key and the counts, no value. */
async function audit(url: string, activeKeyId: number, results: RotationResult[]): Promise<void> {
  const dataSource = createDataSource({ url, applicationName: 'lien-keys-rotate', poolSize: 1 });
  await dataSource.initialize();
  try {
    await new AuditService(new AuditRepository(dataSource)).record(
      { actorId: null, organisationId: null },
      {
        action: 'encryption.rotate',
        metadata: { activeKeyId, rows: Object.fromEntries(results.map((r) => [r.table, r.rows])) },
      },
    );
  } finally {
    await dataSource.destroy();
  }
}

await runOrExit(async () => {
  const config = loadConfigOrExit();
  // `npm run keys:rotate -- --batch-size 1000`: rows per transaction (default 500).
  const flag = process.argv.indexOf('--batch-size');
  const batchSize = flag === -1 ? 500 : Number(process.argv[flag + 1]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new StartupError('--batch-size must be a whole number from 1 to 10000');
  const client = new pg.Client({
    connectionString: config.databaseUrl,
    application_name: 'lien-keys-rotate',
  });
  try {
    await client.connect();
  } catch (error) {
    throw new StartupError(`Cannot reach PostgreSQL (DATABASE_URL): ${(error as Error).message}`);
  }
  try {
    console.log(`Re-encrypting to key ${config.encryptionActiveKeyId}, ${batchSize} rows per transaction.`);
    let lastPrint = 0;
    const results = await rotateEncryptionKeys(client, new FieldEncryption(config), {
      batchSize,
      onProgress: ({ table, rows, seconds }) => {
        if (seconds - lastPrint < 5) return;
        lastPrint = seconds;
        console.log(`  ${table}: ${rows} rows so far (${Math.round(rows / seconds)} rows/s)`);
      },
    });
    for (const { table, rows, seconds } of results)
      console.log(
        `${table}: ${rows} rows re-encrypted in ${seconds.toFixed(1)} s` +
          (rows > 0 ? ` (${Math.round(rows / seconds)} rows/s)` : ''),
      );
    const total = results.reduce((sum, r) => sum + r.rows, 0);
    if (total > 0) await audit(config.databaseUrl, config.encryptionActiveKeyId, results);
    console.log('Every encrypted column is on the active key: older keys can leave ENCRYPTION_KEYS.');
  } finally {
    await client.end();
  }
});
