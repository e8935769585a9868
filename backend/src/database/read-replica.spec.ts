import request from 'supertest';
import type { AuditListResponse, ReportSummary } from '@lien/shared';
import { makeOrganisation, signInNewUser } from '../testing/factories.js';
import {
  startPrimaryAndReplica,
  waitForReplay,
  withClient,
  type ReplicatedPair,
} from '../testing/pg-servers.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/api-spec.js';
import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';
import { createDataSource } from './data-source.js';
import { migrateWithLock } from './migrate.js';
import { REPLICA_CHECK_INTERVAL_MS, ReadReplica } from './read-replica.js';

jest.setTimeout(90_000);

const MAX_LAG_SECONDS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real streaming replica: a primary of the test's own (initdb) and a hot standby made by
 * `pg_basebackup -R`, both started in a temporary directory. Reports and the audit log must read the
 * replica's state while it lags within DATABASE_REPLICA_MAX_LAG_SECONDS, and the primary's beyond it or when
 * the replica is down. The replica is told apart from the primary by a row written on the primary while the
 * replica's replay is paused (pg_wal_replay_pause): only the primary has it.
 */
describe('read replica routing (real primary + streaming replica)', () => {
  let servers: ReplicatedPair;
  let { environment, api: app, dataSource } = {} as TestApi;
  let token: string;
  let primaryUrl: string;
  let replicaUrl: string;
  const http = () => request(app.getHttpServer());

  const organisationsInReport = async (): Promise<number> => {
    const response = await http().get('/api/reports/summary').auth(token, { type: 'bearer' }).expect(200);
    return (response.body as ReportSummary).organisations;
  };
  const markersInAuditLog = async (action: string): Promise<number> => {
    const response = await http()
      .get('/api/audit')
      .query({ action })
      .auth(token, { type: 'bearer' })
      .expect(200);
    return (response.body as AuditListResponse).total;
  };
  /** The CSV export, and the organisations it covered as its audit event (written on the primary) records. */
  const organisationsInCsvExport = async (): Promise<number> => {
    await http().get('/api/reports/export.csv').auth(token, { type: 'bearer' }).expect(200);
    const [event] = await dataSource.query<{ metadata: { organisations: number } }[]>(
      `SELECT metadata FROM audit_events WHERE action = 'report.export' ORDER BY id DESC LIMIT 1`,
    );
    return event!.metadata.organisations;
  };
  const onReplica = (sql: string) => withClient(replicaUrl, (client) => client.query(sql));

  beforeAll(async () => {
    servers = await startPrimaryAndReplica();
    primaryUrl = servers.primary.url('lien');
    replicaUrl = servers.replica.url('lien');
    await withClient(servers.primary.url('postgres'), (client) => client.query('CREATE DATABASE lien'));
    const migrator = createDataSource({ url: primaryUrl, poolSize: 2, applicationName: 'lien-test-migrate' });
    await migrator.initialize();
    await migrateWithLock(migrator);
    await migrator.destroy();

    ({
      environment,
      api: app,
      dataSource,
    } = await startTestApi({
      DATABASE_URL: primaryUrl,
      DATABASE_REPLICA_URL: replicaUrl,
      DATABASE_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
      DATABASE_REPLICA_POOL_SIZE: '3',
    }));
    await makeOrganisation(dataSource, { name: 'PMI Arras' });
    token = await signInNewUser(dataSource, environment.config, { role: 'platform_admin' });
    await waitForReplay(primaryUrl, replicaUrl);
  });

  afterAll(async () => {
    await stopTestApi({ environment, api: app });
    await servers?.stop();
  });

  it('reads the replica while it lags within the bound, the primary beyond it', async () => {
    // A fresh commit replayed just before the pause: the replica's lag starts near zero.
    await makeOrganisation(dataSource, { name: 'PMI Lens' });
    await waitForReplay(primaryUrl, replicaUrl);
    await onReplica('SELECT pg_wal_replay_pause()');
    const pausedAt = Date.now();

    await makeOrganisation(dataSource, { name: 'PMI Béthune (primary only)' });
    await dataSource
      .getRepository(AuditEventEntity)
      .insert({ action: 'test.replica_marker', organisationId: null, actorId: null, metadata: {} });
    // Let the router re-measure after the pause (it caches its measure for a couple of seconds).
    await sleep(REPLICA_CHECK_INTERVAL_MS + 100);
    expect(Date.now() - pausedAt).toBeLessThan(MAX_LAG_SECONDS * 1000);

    // The replica's older state: without the organisation and the marker written during the pause.
    const count = async (url: string, sql: string) =>
      withClient(url, async (client) => Number((await client.query<{ n: number }>(sql)).rows[0]!.n));
    const organisationsSql = 'SELECT count(*)::int AS n FROM organisations';
    const onStandby = await count(replicaUrl, organisationsSql);
    const onPrimary = await count(primaryUrl, organisationsSql);
    expect(onStandby).toBe(onPrimary - 1);
    expect(await organisationsInReport()).toBe(onStandby);
    expect(await organisationsInCsvExport()).toBe(onStandby);
    expect(await markersInAuditLog('test.replica_marker')).toBe(0);

    // Past the bound (the replica is still paused), the same reads come from the primary.
    await sleep(MAX_LAG_SECONDS * 1000 + REPLICA_CHECK_INTERVAL_MS - (Date.now() - pausedAt) + 300);
    expect(await organisationsInReport()).toBe(onPrimary);
    expect(await organisationsInCsvExport()).toBe(onPrimary);
    expect(await markersInAuditLog('test.replica_marker')).toBe(1);
    expect(await count(replicaUrl, organisationsSql)).toBe(onStandby);

    await onReplica('SELECT pg_wal_replay_resume()');
    await waitForReplay(primaryUrl, replicaUrl);
  });

  it('counts a caught-up replica as current however old its last replayed commit', async () => {
    const router = app.get(ReadReplica);
    await waitForReplay(primaryUrl, replicaUrl);
    // Nothing written for longer than the bound: now() - pg_last_xact_replay_timestamp() exceeds it, yet
    // everything received is replayed, so the replica is current.
    await sleep(MAX_LAG_SECONDS * 1000 + REPLICA_CHECK_INTERVAL_MS + 300);
    const lag = await onReplica(
      'SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag',
    );
    expect(Number(lag.rows[0]!.lag)).toBeGreaterThan(MAX_LAG_SECONDS);
    const port = await router.read(async (source) => {
      const [row] = await source.query<{ port: number }[]>('SELECT inet_server_port() AS port');
      return row!.port;
    });
    expect(port).toBe(servers.replica.port);
  });

  it('falls back to the primary when the replica is down', async () => {
    const router = app.get(ReadReplica);
    await servers.replica.stop();
    await makeOrganisation(dataSource, { name: 'PMI Liévin' });
    // At once (the router still believes the replica usable: the failed read is retried on the primary) ...
    const onPrimary = await withClient(primaryUrl, (client) =>
      client.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations'),
    );
    expect(await organisationsInReport()).toBe(onPrimary.rows[0]!.n);
    // ... and afterwards (marked unusable until the next successful measure).
    expect(await markersInAuditLog('test.replica_marker')).toBe(1);
    const port = await router.read(async (source) => {
      const [row] = await source.query<{ port: number }[]>('SELECT inet_server_port() AS port');
      return row!.port;
    });
    expect(port).toBe(servers.primary.port);
  });
});
