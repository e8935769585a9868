import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { EpdsBand, ParentRole } from '@lien/shared';
import {
  generator,
  makeUnknownZoneOrganisation,
  makeZoneOrganisations,
  reportInvitation,
  reportParent,
  reportResponse,
} from '../../testing/reports-factories.js';
import type { InvitationEntity } from '../invitations/invitation.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { splitPeriod } from './report-query.js';
import { ReportsRepository } from './reports.repository.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

jest.setTimeout(120_000);

/**
 * The reference, straight from the source tables and written apart from the migration: one line per
 * household (births) and one per answer (what the care cascade reads of it).
 */
const DIRECT_BIRTHS = `
  SELECT p.organisation_id::text AS org, coalesce(p.household_id, p.id)::text AS key,
         to_char(min(p.consent_recorded_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS consent,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id)) >= 2 AS both
    FROM parents p GROUP BY p.organisation_id, coalesce(p.household_id, p.id)`;
const MIRROR_BIRTHS = `SELECT organisation_id::text AS org, household_key::text AS key,
  to_char(first_consent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS consent, both_screened AS both
  FROM report_birth_households`;
const DIRECT_ANSWERS = `
  SELECT r.id::text AS id, r.organisation_id::text AS org, r.parent_id::text AS parent,
         to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at, r.parent_role AS role,
         (r.band IN ('moderate', 'high') OR r.item10_positive) AS positive
    FROM responses r`;
const MIRROR_ANSWERS = `SELECT response_id::text AS id, organisation_id::text AS org, parent_id::text AS parent,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at, role, positive
  FROM report_screened_answers`;
/** Births of a period per organisation, dated in each organisation's zone. */
const DIRECT_BIRTHS_OF_PERIOD = `
  SELECT x.org, count(*)::int AS births, (count(*) FILTER (WHERE x.screened >= 2))::int AS both
    FROM (SELECT p.organisation_id::text AS org, (min(p.consent_recorded_at) AT TIME ZONE min(o.time_zone))::date AS day,
                 count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id)) AS screened
            FROM parents p JOIN organisations o ON o.id = p.organisation_id
           GROUP BY p.organisation_id, coalesce(p.household_id, p.id)) x
   WHERE x.day BETWEEN $1::date AND $2::date AND x.org = ANY($3::text[]) GROUP BY x.org`;
/** Parents who answered in the period (local day, rollup zone), and those with a positive answer then. */
const DIRECT_SCREENED_OF_PERIOD = `
  SELECT count(*)::int AS screened, (count(*) FILTER (WHERE x.positive))::int AS positive
    FROM (SELECT r.organisation_id, r.parent_id, bool_or(r.band <> 'low' OR r.item10_positive) AS positive
            FROM responses r JOIN organisations o ON o.id = r.organisation_id
            LEFT JOIN report_organisation_zones z ON z.organisation_id = r.organisation_id
           WHERE (r.created_at AT TIME ZONE coalesce(z.time_zone, 'Europe/Paris'))::date BETWEEN $1::date AND $2::date
             AND r.organisation_id::text = ANY($3::text[])
           GROUP BY 1, 2) x`;

async function lines(dataSource: DataSource, sql: string): Promise<string[]> {
  const rows = await dataSource.query<Record<string, unknown>[]>(sql);
  return rows.map((row) => JSON.stringify(row)).sort();
}

describe('births and screened-days tables (real Postgres)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let repository: ReportsRepository;
  let maintenance: RollupMaintenanceService;
  let organisations: OrganisationEntity[];

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    repository = app.get(ReportsRepository);
    maintenance = app.get(RollupMaintenanceService);
    organisations = await makeZoneOrganisations(dataSource);
    // The rollup zones recorded (as the worker's maintenance does for new organisations).
    await maintenance.run();
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  const expectExact = async (step: string) => {
    expect({ step, births: await lines(dataSource, MIRROR_BIRTHS) }).toEqual({
      step,
      births: await lines(dataSource, DIRECT_BIRTHS),
    });
    expect({ step, answers: await lines(dataSource, MIRROR_ANSWERS) }).toEqual({
      step,
      answers: await lines(dataSource, DIRECT_ANSWERS),
    });
    // And the report reads them: births and the cascade's first steps of a period, as direct counts give them.
    const ids = organisations.map((o) => o.id);
    for (const [from, to] of [
      ['2026-01-31', '2026-01-31'],
      ['2026-01-30', '2026-02-02'],
      ['2026-02-01', '2026-02-01'],
    ] as const) {
      const read = await repository.readRollups(splitPeriod(from, to), ids, 'organisation');
      const births = await dataSource.query<{ org: string; births: number; both: number }[]>(
        DIRECT_BIRTHS_OF_PERIOD,
        [from, to, ids],
      );
      expect({ step, from, births: Object.fromEntries(read.births) }).toEqual({
        step,
        from,
        births: Object.fromEntries([
          ...births.map((row) => [row.org, { births: row.births, bothParentsScreened: row.both }]),
          [
            null,
            {
              births: births.reduce((sum, row) => sum + row.births, 0),
              bothParentsScreened: births.reduce((sum, row) => sum + row.both, 0),
            },
          ],
        ]),
      });
      const [screened] = await dataSource.query<{ screened: number; positive: number }[]>(
        DIRECT_SCREENED_OF_PERIOD,
        [from, to, ids],
      );
      // The wide period holds every row written: the comparison is never between two empty sets.
      if (from === '2026-01-30' && step !== 'unknown zone') {
        expect(births.length).toBeGreaterThan(0);
        expect(screened!.screened).toBeGreaterThan(0);
      }
      const all = read.screening.get(null)?.cascade.all;
      expect({ step, from, screened: all?.screened ?? 0, positive: all?.positive ?? 0 }).toEqual({
        step,
        from,
        ...screened,
      });
    }
  };

  it('equal the direct computation after inserts, updates, deletes, zone changes and the retention purge', async () => {
    const random = generator(20261204);
    const roles: ParentRole[] = ['mother', 'father', 'co_parent'];
    const bands: EpdsBand[] = ['low', 'moderate', 'high'];
    // Around midnight UTC at the turn of January: local days and months differ between the three zones.
    const around = () => new Date(Date.UTC(2026, 0, 31, 12) + random.int(24 * 60) * 60_000);
    const parents: ParentEntity[] = [];
    const invitations: InvitationEntity[] = [];
    const answer = async (parent: ParentEntity, wave: string) => {
      const invitation = await reportInvitation(dataSource, parent, { wave, dueAt: around() });
      invitations.push(invitation);
      if (random.chance(0.8))
        await reportResponse(dataSource, invitation, {
          band: random.pick(bands),
          item10Positive: random.chance(0.2),
          parentRole: random.pick(roles),
          createdAt: around(),
        });
    };

    // Households of one, two and three parents; a household id shared with its first parent's id, or not.
    for (let n = 0; n < 30; n += 1) {
      const organisation = random.pick(organisations);
      const first = await reportParent(dataSource, organisation, {
        role: 'mother',
        consentRecordedAt: around(),
      });
      parents.push(first);
      const size = random.int(3);
      const household = random.chance(0.5) ? first.id : randomUUID();
      if (size > 0 && household !== first.id)
        await dataSource.query('UPDATE parents SET household_id = $1 WHERE id = $2', [household, first.id]);
      for (let other = 0; other < size; other += 1) {
        parents.push(
          await reportParent(dataSource, organisation, {
            role: random.pick(roles),
            householdId: household,
            consentRecordedAt: around(),
          }),
        );
      }
    }
    for (const parent of parents) {
      for (const wave of ['day7', 'day42'].slice(0, random.int(3))) await answer(parent, wave);
    }
    await expectExact('inserts');

    // Changes: answers moved in time, re-scored, re-roled; parents changing household and consent time.
    const responses = await dataSource.query<{ id: string }[]>('SELECT id FROM responses ORDER BY id');
    for (const { id } of responses.filter(() => random.chance(0.3))) {
      await dataSource.query(
        'UPDATE responses SET created_at = $2, band = $3, parent_role = $4, item10_positive = $5 WHERE id = $1',
        [id, around(), random.pick(bands), random.pick(roles), random.chance(0.3)],
      );
    }
    for (const parent of parents.filter(() => random.chance(0.2))) {
      const other = random.pick(parents);
      await dataSource.query('UPDATE parents SET household_id = $2, consent_recorded_at = $3 WHERE id = $1', [
        parent.id,
        random.chance(0.3) ? null : (other.householdId ?? other.id),
        around(),
      ]);
    }
    // One statement touching many rows at once (the triggers work per statement).
    await dataSource.query(
      `UPDATE responses SET created_at = created_at + interval '7 hours' WHERE band = 'high'`,
    );
    await expectExact('updates');

    // Deletes: single answers, a whole invitation (its answer with it), a parent with everything of theirs.
    for (const { id } of responses.filter(() => random.chance(0.15))) {
      await dataSource.query('DELETE FROM responses WHERE id = $1', [id]);
    }
    for (const invitation of invitations.filter(() => random.chance(0.1))) {
      await dataSource.query('DELETE FROM invitations WHERE id = $1', [invitation.id]);
    }
    const gone = parents.filter(() => random.chance(0.1));
    await dataSource.transaction(async (manager) => {
      for (const parent of gone) {
        await manager.query('DELETE FROM responses WHERE parent_id = $1', [parent.id]);
        await manager.query('DELETE FROM invitations WHERE parent_id = $1', [parent.id]);
        await manager.query('DELETE FROM parents WHERE id = $1', [parent.id]);
      }
    });
    await expectExact('deletes');

    // A zone change: the tables hold no local day, the report dates them in the new zone (births at once,
    // answers once the rollups' zone is rebuilt).
    await dataSource.query(`UPDATE organisations SET time_zone = 'Pacific/Noumea' WHERE id = $1`, [
      organisations[0]!.id,
    ]);
    await expectExact('zone changed');
    expect((await maintenance.run()).rebuiltOrganisations).toBe(1);
    await expectExact('zone change and rebuild');

    // The retention purge, statement by statement as its repository runs it: the report rollups keep the
    // purged parents, these tables forget them as the figures they serve always did.
    const purged = parents.filter((parent) => !gone.includes(parent) && random.chance(0.25)).map((p) => p.id);
    expect(purged.length).toBeGreaterThan(0);
    await dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('lien.retention_purge', 'on', true)`);
      await manager.query('DELETE FROM responses WHERE parent_id = ANY($1::uuid[])', [purged]);
      await manager.query('DELETE FROM alerts WHERE parent_id = ANY($1::uuid[])', [purged]);
      await manager.query('DELETE FROM sms_messages WHERE parent_id = ANY($1::uuid[])', [purged]);
      await manager.query('DELETE FROM invitations WHERE parent_id = ANY($1::uuid[])', [purged]);
      await manager.query('DELETE FROM parents WHERE id = ANY($1::uuid[])', [purged]);
    });
    await expectExact('retention purge');
    const left = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM report_screened_answers WHERE parent_id = ANY($1::uuid[])`,
      [purged],
    );
    expect(left[0]!.n).toBe(0);

    // A rebuild from scratch gives the rows the triggers kept.
    const kept = [await lines(dataSource, MIRROR_BIRTHS), await lines(dataSource, MIRROR_ANSWERS)];
    await dataSource.query('SELECT report_screening_rebuild(NULL)');
    expect([await lines(dataSource, MIRROR_BIRTHS), await lines(dataSource, MIRROR_ANSWERS)]).toEqual(kept);
  });

  it('count both parents of a household that answer at the same time, in two transactions', async () => {
    const organisation = organisations[1]!;
    const household = randomUUID();
    const [mother, father] = [
      await reportParent(dataSource, organisation, { role: 'mother', householdId: household }),
      await reportParent(dataSource, organisation, { role: 'father', householdId: household }),
    ];
    const [forMother, forFather] = [
      await reportInvitation(dataSource, mother),
      await reportInvitation(dataSource, father),
    ];
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    await first.connect();
    await second.connect();
    try {
      await first.startTransaction();
      await second.startTransaction();
      // Written through each runner's own transaction (not the factory's pool connection).
      const insert = (runner: typeof first, invitation: InvitationEntity) =>
        runner.query(
          `INSERT INTO responses (organisation_id, parent_id, invitation_id, wave, parent_role, instrument_id,
             instrument_version, language, channel, answers, item_points, score, band, item10_positive,
             anxiety_score, anxiety_flag)
           VALUES ($1, $2, $3, 'day7', 'mother', 'epds', '1', 'fr', 'web_form', '{0}', '{0}', 4, 'low', false, 1, false)`,
          [invitation.organisationId, invitation.parentId, invitation.id],
        );
      await insert(first, forMother);
      // The second writer waits for the household's lock, then counts the first one's committed answer.
      const secondDone = insert(second, forFather).then(() => second.commitTransaction());
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.commitTransaction();
      await secondDone;
    } finally {
      await first.release();
      await second.release();
    }
    const row = await dataSource.query<{ both_screened: boolean }[]>(
      'SELECT both_screened FROM report_birth_households WHERE organisation_id = $1 AND household_key = $2',
      [organisation.id, household],
    );
    expect(row).toEqual([{ both_screened: true }]);
    await expectExact('concurrent answers');
  });

  it('keep writes working for an organisation whose zone Postgres does not know', async () => {
    const odd = await makeUnknownZoneOrganisation(dataSource, 'Odd births');
    const parent = await reportParent(dataSource, odd, {
      consentRecordedAt: new Date('2026-01-31T23:30:00Z'),
    });
    await reportResponse(dataSource, await reportInvitation(dataSource, parent));
    await expectExact('unknown zone');
  });
});
