import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ParentDetail } from '@lien/shared';
import { getEpdsInstrument } from '@lien/shared';
import { makeOrganisation, makeUser, signIn } from '../testing/factories.js';
import {
  keepsPreparedStatements,
  pgBouncerVersion,
  startPgBouncer,
  withClient,
  type PgBouncer,
} from '../testing/pg-servers.js';
import { makeLinkedInvitation } from '../testing/questionnaire-factories.js';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  type TestEnvironment,
} from '../testing/test-app.js';
import { TEST_SERVER_URL } from '../testing/test-database.js';
import { ResponseEntity } from '../modules/questionnaire/response.entity.js';
import { RetentionRepository } from '../modules/retention/retention.repository.js';
import { ReportsRepository } from '../modules/reports/reports.repository.js';
import { migrateWithLock } from './migrate.js';

jest.setTimeout(90_000);

/** Every answer worth 0 points: the first option whose points are 0, per item. */
const ZERO_ANSWERS = getEpdsInstrument('fr').items.map((item) =>
  item.options.findIndex((option) => option.points === 0),
);

/**
 * The application through a real PgBouncer (Debian 12's is 1.18) in transaction mode, pointing at the test
 * database: each transaction may run on a different server connection, so nothing may rely on a session.
 * Before 1.21 PgBouncer has no protocol-level prepared statements: the test then runs with
 * DATABASE_PREPARED_STATEMENTS=false (with named statements, 1.18 fails the concurrent requests below).
 */
describe('through PgBouncer in transaction mode (real pgbouncer)', () => {
  let environment: TestEnvironment;
  let bouncer: PgBouncer;
  let app: INestApplication;
  let dataSource: DataSource;
  let databaseName: string;
  let token: string;
  let ipCounter = 0;
  const http = () => request(app.getHttpServer());

  /** Advisory locks still held in the test database, seen directly on the server. */
  const advisoryLocksHeld = () =>
    withClient(TEST_SERVER_URL, async (client) => {
      const result = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'advisory' AND d.datname = $1`,
        [databaseName],
      );
      return result.rows[0]!.n;
    });

  beforeAll(async () => {
    // Named statements where the installed PgBouncer keeps them (1.21+), else turned off as README says.
    const named = keepsPreparedStatements(await pgBouncerVersion());
    environment = await createTestEnvironment({ DATABASE_PREPARED_STATEMENTS: String(named) });
    const direct = new URL(environment.databaseUrl);
    databaseName = direct.pathname.slice(1);
    bouncer = await startPgBouncer({ host: direct.hostname, port: Number(direct.port || 5432) });
    environment = {
      ...environment,
      config: Object.freeze({ ...environment.config, databaseUrl: bouncer.url(databaseName) }),
    };
    app = await createTestApi(environment);
    dataSource = dataSourceOf(app);
    const organisation = await makeOrganisation(dataSource);
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    token = await signIn(dataSource, environment.config, professional);
  });

  afterAll(async () => {
    await app?.close();
    await bouncer?.stop();
    await environment?.teardown();
  });

  it('goes through PgBouncer (not around it)', async () => {
    const [row] = await dataSource.query<{ port: number }[]>('SHOW port');
    expect(Number(row!.port)).toBe(5432);
    // pgbouncer's own console answers on the same port the application uses.
    const version = await withClient(bouncer.url('pgbouncer'), (client) => client.query('SHOW VERSION'));
    expect(JSON.stringify(version.rows)).toMatch(/PgBouncer/);
    expect(new URL(environment.config.databaseUrl).port).toBe(String(bouncer.port));
  });

  it('enrols parents (POST /api/parents), many at once, every session check and enrolment answered', async () => {
    const phones = Array.from({ length: 12 }, (_, i) => `07 56 ${String(20 + i)} 34 56`);
    const responses = await Promise.all(
      phones.map((phone, i) =>
        http()
          .post('/api/parents')
          .set('Authorization', `Bearer ${token}`)
          .send({
            firstName: 'Éloïse',
            lastName: `Dupont ${i}`,
            phone,
            role: 'mother',
            language: 'fr',
            birthDate: '2026-02-26',
            consent: { given: true, textVersion: '2026-01' },
          }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(phones.map(() => 201));
    const ids = responses.map((response) => (response.body as ParentDetail).id);
    const planned = await dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM invitations WHERE parent_id = ANY($1::uuid[])',
      [ids],
    );
    expect(planned[0]!.n).toBe(ids.length * 2);
    // Authenticated reads (the session check is a hot prepared statement), concurrently.
    const reads = await Promise.all(
      ids.map((id) => http().get(`/api/parents/${id}`).set('Authorization', `Bearer ${token}`)),
    );
    expect(reads.map((response) => response.status)).toEqual(ids.map(() => 200));
  });

  it('serves the questionnaire (GET and POST /q/<token>) for many parents at once', async () => {
    const organisation = await makeOrganisation(dataSource, { name: 'PMI de Lens' });
    const invitations = await Promise.all(
      Array.from({ length: 8 }, () => makeLinkedInvitation(dataSource, organisation)),
    );
    const form: Record<string, string> = { lang: 'fr' };
    ZERO_ANSWERS.forEach((answer, index) => (form[`q${index + 1}`] = String(answer)));
    const results = await Promise.all(
      invitations.map(async ({ tokens }) => {
        ipCounter += 1;
        const ip = `198.51.100.${ipCounter}`;
        const page = await http().get(`/q/${tokens[0]}`).set('X-Forwarded-For', ip);
        const submitted = await http()
          .post(`/q/${tokens[0]}`)
          .set('X-Forwarded-For', ip)
          .type('form')
          .send(form);
        return [page.status, submitted.status];
      }),
    );
    expect(results).toEqual(invitations.map(() => [200, 200]));
    for (const { invitation } of invitations)
      expect(await dataSource.getRepository(ResponseEntity).countBy({ invitationId: invitation.id })).toBe(1);
  });

  it('keeps the retention purge single-runner, and leaves no advisory lock behind', async () => {
    const repository = new RetentionRepository(dataSource);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = repository.withPurgeLock(async (session) => {
      entered();
      await held;
      return session.purgeBatch(new Date('2000-01-01T00:00:00Z'), 10);
    });
    await inside;
    // Other traffic meanwhile, as in production: server connections go back and forth between clients.
    await Promise.all(Array.from({ length: 6 }, () => dataSource.query('SELECT 1')));
    const second = await repository.withPurgeLock(() => Promise.resolve('ran'));
    expect(second).toBeNull();
    release();
    expect(await first).toMatchObject({ rows: { parents: 0 } });
    expect(await advisoryLocksHeld()).toBe(0);
    expect(await repository.withPurgeLock(() => Promise.resolve('ran'))).toBe('ran');
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it('rebuilds the report rollups and migrates under their locks, leaving none behind', async () => {
    await new ReportsRepository(dataSource).rebuild(null);
    expect(await migrateWithLock(dataSource)).toEqual([]);
    expect(await advisoryLocksHeld()).toBe(0);
  });
});
