import { DEFAULT_ORGANISATION_SETTINGS } from '@lien/shared';
import { auditEventOf } from '../../testing/factories.js';
import { signedBy, startIdentityApi, stopTestApi, type IdentityApi } from '../../testing/api-spec.js';
import { makeLinkedInvitation } from '../../testing/questionnaire-factories.js';
import { OrganisationEntity } from './organisation.entity.js';

jest.setTimeout(30_000);

/** The body of a new PMI (the département's maternal and child protection service). */
const pmi = (name: string, departement: string, smsSender: string) => ({
  name,
  kind: 'pmi',
  departement,
  smsSender,
});

describe('organisations and settings (real Postgres)', () => {
  let { environment, api: app, dataSource, world } = {} as IdentityApi;
  const as = (token: string) => signedBy(app, token);
  /** POST /api/organisations with `body`, as the platform admin unless told. */
  const createOrganisation = (body: Record<string, unknown>, token = world.platformAdmin.token) =>
    as(token).post('/api/organisations').send(body);

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startIdentityApi()));
  afterAll(() => stopTestApi({ environment, api: app }));

  describe('POST /api/organisations', () => {
    it('lets a platform admin create an organisation with default settings, region and time zone from the département', async () => {
      const response = await createOrganisation(pmi('PMI de La Réunion', '974', 'PMI974')).expect(201);
      expect(response.body).toMatchObject({
        name: 'PMI de La Réunion',
        region: 'La Réunion',
        timeZone: 'Indian/Reunion',
        departement: '974',
      });
      const stored = await dataSource
        .getRepository(OrganisationEntity)
        .findOneByOrFail({ id: response.body.id as string });
      expect(stored.settings).toEqual(DEFAULT_ORGANISATION_SETTINGS);
      const audit = await auditEventOf(dataSource, { action: 'organisation.create', targetId: stored.id });
      expect(audit.actorId).toBe(world.platformAdmin.user.id);
    });

    it('merges and validates the settings given at creation, naming the field under settings.', async () => {
      const created = await createOrganisation({
        name: 'Maternité Metz',
        kind: 'maternity',
        departement: '57',
        smsSender: 'Metz',
        settings: { reminders: { count: 2 } },
      }).expect(201);
      const stored = await dataSource
        .getRepository(OrganisationEntity)
        .findOneByOrFail({ id: created.body.id as string });
      expect(stored.settings.reminders).toEqual({ count: 2, afterHours: 48 });

      // Quiet hours without an end: refused, alone or beside a name too short.
      const halfQuietHours = { settings: { quietHours: { start: '22:00' } } };
      const refused = await createOrganisation({ ...pmi('X', '62', 'X62'), ...halfQuietHours }).expect(400);
      expect(refused.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'name' })]),
      );
      const refusedSettings = await createOrganisation({
        ...pmi('PMI X', '62', 'X62'),
        ...halfQuietHours,
      }).expect(400);
      expect(refusedSettings.body.details).toEqual([
        expect.objectContaining({ field: 'settings.quietHours.start' }),
      ]);
    });

    it.each([
      [{ departement: '20' }, 'departement'],
      [{ departement: '62', region: 'Grand Est' }, 'region'],
      [{ timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [{ kind: 'hospital' }, 'kind'],
      [{ smsSender: 'Far too long sender' }, 'smsSender'],
    ])('refuses %j with 400 naming %s', async (override, field) => {
      const response = await createOrganisation({ ...pmi('PMI Test', '62', 'Test'), ...override }).expect(
        400,
      );
      expect((response.body.details as Array<{ field: string }>).map((detail) => detail.field)).toContain(
        field,
      );
    });

    it('is refused to org admins (403)', async () => {
      await createOrganisation(pmi('PMI Test', '62', 'Test'), world.orgAdminA.token).expect(403);
    });
  });

  describe('GET /api/organisations', () => {
    it('shows each role its own scope', async () => {
      const names = async (token: string) =>
        (
          (await as(token).get('/api/organisations').expect(200)).body as Array<{
            id: string;
          }>
        ).map((o) => o.id);
      expect(await names(world.orgAdminA.token)).toEqual([world.orgA.id]);
      expect(await names(world.professionalB.token)).toEqual([world.orgB.id]);
      expect((await names(world.coordinator.token)).sort()).toEqual([world.orgA.id, world.orgC.id].sort());
      expect(await names(world.platformAdmin.token)).toEqual(
        expect.arrayContaining([world.orgA.id, world.orgB.id, world.orgC.id]),
      );
    });

    it('answers 404 for another organisation and for a malformed id', async () => {
      await as(world.orgAdminA.token).get(`/api/organisations/${world.orgB.id}`).expect(404);
      await as(world.orgAdminA.token).get('/api/organisations/not-a-uuid').expect(404);
      await as(world.orgAdminA.token).get(`/api/organisations/${world.orgA.id}`).expect(200);
    });
  });

  describe('PATCH /api/organisations/:id', () => {
    it('lets a platform admin rename and re-derives the region with the département', async () => {
      const org = await createOrganisation(pmi('PMI Nord', '59', 'PMI59')).expect(201);
      const response = await as(world.platformAdmin.token)
        .patch(`/api/organisations/${org.body.id as string}`)
        .send({ name: 'PMI Moselle Est', departement: '57' })
        .expect(200);
      expect(response.body).toMatchObject({
        name: 'PMI Moselle Est',
        departement: '57',
        region: 'Grand Est',
      });
    });
  });

  describe('GET/PATCH /api/organisations/:id/settings', () => {
    it('lets professionals read their own organisation’s settings, not another’s', async () => {
      const response = await as(world.professionalA.token)
        .get(`/api/organisations/${world.orgA.id}/settings`)
        .expect(200);
      expect(response.body).toMatchObject({
        smsSender: 'PMI62',
        quietHours: DEFAULT_ORGANISATION_SETTINGS.quietHours,
      });
      await as(world.professionalA.token).get(`/api/organisations/${world.orgB.id}/settings`).expect(404);
    });

    it('merges a partial patch, keeps the rest, and audits the field names only', async () => {
      const response = await as(world.orgAdminA.token)
        .patch(`/api/organisations/${world.orgA.id}/settings`)
        .send({ quietHours: { end: '19:30' }, onCallEmail: 'astreinte@pmi62.fr', smsSender: 'Lien62' })
        .expect(200);
      expect(response.body.quietHours).toEqual({ ...DEFAULT_ORGANISATION_SETTINGS.quietHours, end: '19:30' });
      expect(response.body.smsSender).toBe('Lien62');
      expect(response.body.thresholds).toEqual(DEFAULT_ORGANISATION_SETTINGS.thresholds);
      const stored = await dataSource
        .getRepository(OrganisationEntity)
        .findOneByOrFail({ id: world.orgA.id });
      expect(stored.settings.onCallEmail).toBe('astreinte@pmi62.fr');
      expect(stored.smsSender).toBe('Lien62');
      const audit = await auditEventOf(dataSource, { action: 'settings.update', targetId: world.orgA.id });
      expect(audit).toMatchObject({ actorId: world.orgAdminA.user.id, organisationId: world.orgA.id });
      expect(audit.metadata).toEqual({ fields: ['onCallEmail', 'quietHours.end', 'smsSender'] });
      expect(JSON.stringify(audit.metadata)).not.toContain('astreinte');
    });

    it('answers 400 naming every invalid field path and changes nothing', async () => {
      const before = await dataSource
        .getRepository(OrganisationEntity)
        .findOneByOrFail({ id: world.orgA.id });
      const response = await as(world.orgAdminA.token)
        .patch(`/api/organisations/${world.orgA.id}/settings`)
        .send({
          quietHours: { start: '21:00' },
          thresholds: { mother: { moderate: 14, high: 31 } },
          waves: [{ key: 'day7', offsetDays: 0, windowStartDay: 0, windowEndDay: 14, noResponseTask: true }],
          reminders: { count: 5 },
          smsTemplates: { fr: { invitation: 'Votre résultat : {link}' } },
          smsSender: 'Lien 62',
        })
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'invalid_input' });
      expect(
        (response.body.details as Array<{ field: string }>).map((detail) => detail.field).sort(),
      ).toEqual(
        [
          'quietHours.start',
          'reminders.count',
          'smsSender',
          'smsTemplates.fr.invitation',
          'thresholds.mother.high',
          'waves[0].offsetDays',
        ].sort(),
      );
      const after = await dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: world.orgA.id });
      expect(after.settings).toEqual(before.settings);
    });

    it('refuses professionals (403) and admins of another organisation (404)', async () => {
      await as(world.professionalA.token)
        .patch(`/api/organisations/${world.orgA.id}/settings`)
        .send({ linkExpiryDays: 5 })
        .expect(403);
      await as(world.orgAdminB.token)
        .patch(`/api/organisations/${world.orgA.id}/settings`)
        .send({ linkExpiryDays: 5 })
        .expect(404);
      const stored = await dataSource
        .getRepository(OrganisationEntity)
        .findOneByOrFail({ id: world.orgA.id });
      expect(stored.settings.linkExpiryDays).toBe(DEFAULT_ORGANISATION_SETTINGS.linkExpiryDays);
    });

    it('keeps the key of a wave that invitations carry: tuning it is fine, renaming or removing it is a 400', async () => {
      const orgB = await dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: world.orgB.id });
      await makeLinkedInvitation(dataSource, orgB, { invitation: { wave: 'day42-r1' } });
      const read = await as(world.orgAdminB.token).get(`/api/organisations/${orgB.id}/settings`).expect(200);
      // A re-screen ("day42-r1") uses its wave's key; day7 has no invitation in this organisation yet.
      expect(read.body.usedWaveKeys).toEqual(['day42']);
      const [day7, day42] = read.body.waves as Array<{ key: string; offsetDays: number }>;

      const tuned = await as(world.orgAdminB.token)
        .patch(`/api/organisations/${orgB.id}/settings`)
        .send({
          waves: [
            { ...day7, key: 'j7' },
            { ...day42, offsetDays: 45 },
          ],
        })
        .expect(200);
      const tunedWaves = tuned.body.waves as Array<{ key: string }>;
      expect(tunedWaves.map((wave) => wave.key)).toEqual(['j7', 'day42']);
      expect(tuned.body.usedWaveKeys).toEqual(['day42']);

      const renamed = await as(world.orgAdminB.token)
        .patch(`/api/organisations/${orgB.id}/settings`)
        .send({ waves: [day7, { ...day42, key: 'j42' }] })
        .expect(400);
      expect(renamed.body.details).toEqual([
        expect.objectContaining({ field: 'waves[1].key', message: expect.stringContaining('day42') }),
      ]);
      const removed = await as(world.orgAdminB.token)
        .patch(`/api/organisations/${orgB.id}/settings`)
        .send({ waves: [day7] })
        .expect(400);
      expect(removed.body.details).toEqual([expect.objectContaining({ field: 'waves' })]);
      const stored = await dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: orgB.id });
      expect(stored.settings.waves.map((wave) => wave.key)).toEqual(['j7', 'day42']);
    });

    it('never answers 500 for odd bodies', async () => {
      for (const body of [
        '[1,2]',
        '"text"',
        '{"quietHours": null}',
        '{"waves": {"0": 1}}',
        '{"thresholds": {"mother": []}}',
      ]) {
        const response = await as(world.orgAdminA.token)
          .patch(`/api/organisations/${world.orgA.id}/settings`)
          .set('Content-Type', 'application/json')
          .send(body);
        expect(response.status).toBe(400);
      }
    });
  });
});
