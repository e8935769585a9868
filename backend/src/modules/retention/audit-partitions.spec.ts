import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AuditEventsPartitioned1796413009620 } from '../../../../migrations/1796413009620-audit-events-partitioned.js';
import { compileServiceModule } from '../../testing/service-module.js';
import { createTestEnvironment, type TestEnvironment } from '../../testing/test-app.js';
import { AuditModule } from '../audit/audit.module.js';
import { RetentionModule } from './retention.module.js';
import { RetentionPurgeService } from './retention.service.js';

const NOW = new Date('2026-03-02T08:00:00Z');

/**
 * audit_events partitioned by month (UTC): the migration converts a table holding rows, every partition
 * stays append-only, the retention job creates the coming months and detaches those past
 * AUDIT_RETENTION_MONTHS as standalone append-only tables.
 */
describe('audit_events monthly partitions (real Postgres)', () => {
  let environment: TestEnvironment;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let service: RetentionPurgeService;

  const partitions = async (): Promise<string[]> =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1`,
      )
    ).map((row) => row.name);
  const insertAt = (createdAt: string, action = 'test.event') =>
    dataSource.query(`INSERT INTO audit_events (action, created_at) VALUES ($1, $2)`, [action, createdAt]);
  const count = async (table: string): Promise<number> =>
    Number((await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n);

  beforeAll(async () => {
    environment = await createTestEnvironment({ AUDIT_RETENTION_MONTHS: '72' }, NOW);
    moduleRef = await compileServiceModule(
      environment,
      { applicationName: 'lien-partition-test', poolSize: 4 },
      [AuditModule, RetentionModule],
    );
    dataSource = moduleRef.get(DataSource);
    service = moduleRef.get(RetentionPurgeService);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await environment?.teardown();
  });

  it('converts an existing audit table: every row kept, a partition per month holding rows, ids unchanged', async () => {
    const migration = new AuditEventsPartitioned1796413009620();
    let after: { id: string; created_at: Date }[] = [];
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await runner.commitTransaction();
      // The unpartitioned table, as deployments have it, with rows of several months.
      expect(await partitions()).toEqual([]);
      await insertAt('2019-05-10T10:00:00Z');
      await insertAt('2019-06-30T23:59:59Z');
      await insertAt('2026-02-28T23:30:00Z');
      const before = await dataSource.query<{ id: string; created_at: Date }[]>(
        'SELECT id, created_at FROM audit_events ORDER BY id',
      );
      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
      after = await dataSource.query<{ id: string; created_at: Date }[]>(
        'SELECT id, created_at FROM audit_events ORDER BY id',
      );
      expect(after).toEqual(before);
    } finally {
      await runner.release();
    }
    const current = new Date();
    const monthName = (offset: number) => {
      const at = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + offset, 1));
      return `audit_events_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    expect(await partitions()).toEqual(
      expect.arrayContaining([
        'audit_events_2019_05',
        'audit_events_2019_06',
        'audit_events_2026_02',
        'audit_events_default',
        monthName(0),
        monthName(1),
        monthName(2),
      ]),
    );
    expect(await count('audit_events_2019_06')).toBe(1);
    expect(await count('audit_events_default')).toBe(0);
    const [key] = await dataSource.query<{ def: string }[]>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'audit_events'::regclass AND contype = 'p'`,
    );
    expect(key!.def).toBe('PRIMARY KEY (id, created_at)');
    // New rows still get ids from the same sequence, after the old ones (and land in this month's partition).
    await dataSource.query(`INSERT INTO audit_events (action) VALUES ('test.now')`);
    expect(await count('audit_events_default')).toBe(0);
    const [last] = await dataSource.query<{ id: string }[]>('SELECT max(id)::text AS id FROM audit_events');
    expect(BigInt(last!.id)).toBeGreaterThan(BigInt(after[after.length - 1]!.id));
  });

  it('keeps every partition append-only, through the parent and directly', async () => {
    await expect(dataSource.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM audit_events_2019_05`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`UPDATE audit_events_2026_02 SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('detaches the months past AUDIT_RETENTION_MONTHS as standalone append-only tables, with their rows', async () => {
    // 72 months before March 2026 is March 2020: the 2019 months go, February 2026 stays.
    environment.clock.set(NOW);
    const { detached } = await service.maintainAuditPartitions();
    expect(detached).toEqual(['audit_events_2019_05', 'audit_events_2019_06']);
    const attached = await partitions();
    expect(attached).not.toContain('audit_events_2019_05');
    expect(attached).toContain('audit_events_2026_02');
    expect(await count('audit_events_2019_06')).toBe(1);
    expect(
      (
        await dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_events WHERE created_at < '2020-01-01'`,
        )
      )[0]!.n,
    ).toBe(0);
    await expect(dataSource.query(`DELETE FROM audit_events_2019_06`)).rejects.toThrow(/append-only/);
    const [event] = await dataSource.query<{ metadata: { detached: string[] } }[]>(
      `SELECT metadata FROM audit_events WHERE action = 'audit.partitions' ORDER BY id DESC LIMIT 1`,
    );
    expect(event!.metadata.detached).toEqual(['audit_events_2019_05', 'audit_events_2019_06']);
  });

  it('creates the coming months ahead and moves rows already caught by the default partition', async () => {
    // A row beyond every partition (a clock far ahead) lands in the default partition.
    await insertAt('2027-09-15T12:00:00Z', 'test.stray');
    expect(await count('audit_events_default')).toBe(1);
    environment.clock.set(new Date('2027-08-20T10:00:00Z'));
    const { created } = await service.maintainAuditPartitions();
    expect(created).toEqual(
      expect.arrayContaining(['audit_events_2027_08', 'audit_events_2027_09', 'audit_events_2027_11']),
    );
    expect(await count('audit_events_default')).toBe(0);
    expect(await count('audit_events_2027_09')).toBe(1);
    // Moved, not copied: one stray row in all, still refused any change.
    expect(
      (
        await dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'test.stray'`,
        )
      )[0]!.n,
    ).toBe(1);
    await expect(dataSource.query(`DELETE FROM audit_events_default`)).resolves.toBeDefined();
    await expect(dataSource.query(`DELETE FROM audit_events_2027_09`)).rejects.toThrow(/append-only/);
    // A second run has nothing to do.
    expect(await service.maintainAuditPartitions()).toEqual({ created: [], detached: [] });
  });
});
