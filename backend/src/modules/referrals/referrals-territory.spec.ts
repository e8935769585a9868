import type { ReferralResourceView } from '@lien/shared';
import { makeUser, signIn, signInNewUser } from '../../testing/factories.js';
import {
  detailFields as fields,
  startIdentityApi,
  stopTestApi,
  type IdentityApi,
  signedBy,
} from '../../testing/api-spec.js';

/**
 * The directory of a territory, kept by its coordinator: organisations A (62) and C (59) are inside the
 * coordinator's départements, B (57) outside. Org admins keep their own directory, professionals read it.
 */
describe('referral directory of a territory (coordinators, real Postgres)', () => {
  let { environment, api, dataSource, world } = {} as IdentityApi;
  const as = (token: string) => signedBy(api, token);

  beforeAll(async () => ({ environment, api, dataSource, world } = await startIdentityApi()));
  afterAll(() => stopTestApi({ environment, api }));

  const audits = (targetId: string) =>
    dataSource.query<Array<{ action: string; organisation_id: string; actor_id: string }>>(
      `SELECT action, organisation_id, actor_id FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [targetId],
    );

  it('lets a coordinator create, list, edit and delete the entries of an organisation of the territory', async () => {
    const token = world.coordinator.token;
    const created = await as(token)
      .post('/api/referral-resources')
      .send({ organisationId: world.orgC.id, name: 'CMP Lille Sud', kind: 'cmp', phone: '03 20 00 00 00' })
      .expect(201);
    const entry = created.body as ReferralResourceView;
    expect(entry).toMatchObject({
      organisationId: world.orgC.id,
      organisationName: 'Maternité de Lille',
      name: 'CMP Lille Sud',
      phone: '+33320000000',
    });
    await as(world.orgAdminA.token)
      .post('/api/referral-resources')
      .send({ name: 'Unité mère-bébé Arras', kind: 'mother_baby_unit' })
      .expect(201);

    // The whole territory, by name, each entry with its organisation; or one organisation of it.
    const all = await as(token).get('/api/referral-resources').expect(200);
    expect((all.body as ReferralResourceView[]).map((r) => [r.name, r.organisationName])).toEqual([
      ['CMP Lille Sud', 'Maternité de Lille'],
      ['Unité mère-bébé Arras', 'PMI Pas-de-Calais'],
    ]);
    const onlyC = await as(token).get(`/api/referral-resources?organisationId=${world.orgC.id}`).expect(200);
    expect((onlyC.body as ReferralResourceView[]).map((r) => r.name)).toEqual(['CMP Lille Sud']);

    const patched = await as(token)
      .patch(`/api/referral-resources/${entry.id}`)
      .send({ acceptsNewPatients: false })
      .expect(200);
    expect(patched.body).toMatchObject({ organisationId: world.orgC.id, acceptsNewPatients: false });
    await as(token).delete(`/api/referral-resources/${entry.id}`).expect(204);
    await as(token).get(`/api/referral-resources/${entry.id}`).expect(404);

    // Each change is in the log of the organisation whose directory changed, with the coordinator as actor.
    expect(await audits(entry.id)).toEqual(
      ['referral_resource.create', 'referral_resource.update', 'referral_resource.delete'].map((action) => ({
        action,
        organisation_id: world.orgC.id,
        actor_id: world.coordinator.user.id,
      })),
    );
  });

  it('names the organisation field when a coordinator leaves it out, garbles it or names one outside', async () => {
    const token = world.coordinator.token;
    const missing = await as(token)
      .post('/api/referral-resources')
      .send({ name: 'CMP', kind: 'cmp' })
      .expect(400);
    expect(fields(missing.body)).toEqual(['organisationId']);
    const garbled = await as(token)
      .post('/api/referral-resources')
      .send({ organisationId: 'moselle', name: '', kind: 'cmp' })
      .expect(400);
    expect(fields(garbled.body).sort()).toEqual(['name', 'organisationId']);
    const outside = await as(token)
      .post('/api/referral-resources')
      .send({ organisationId: world.orgB.id, name: 'CMP Metz', kind: 'cmp' })
      .expect(404);
    expect(fields(outside.body)).toEqual(['organisationId']);
    expect(JSON.stringify(outside.body)).not.toContain(world.orgB.name);
    const [counted] = await dataSource.query<Array<{ count: string }>>(
      `SELECT count(*) FROM referral_resources WHERE organisation_id = $1`,
      [world.orgB.id],
    );
    expect(Number(counted?.count)).toBe(0);
    await as(token).get(`/api/referral-resources?organisationId=${world.orgB.id}`).expect(404);
    const badQuery = await as(token).get('/api/referral-resources?organisationId=moselle').expect(400);
    expect(fields(badQuery.body)).toEqual(['organisationId']);
  });

  it('hides the entries of organisations outside the territory (404, never 403)', async () => {
    const foreign = (
      await as(world.orgAdminB.token)
        .post('/api/referral-resources')
        .send({ name: 'CMP Metz', kind: 'cmp' })
        .expect(201)
    ).body as ReferralResourceView;
    const token = world.coordinator.token;
    const list = await as(token).get('/api/referral-resources').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(foreign.id);
    await as(token).get(`/api/referral-resources/${foreign.id}`).expect(404);
    await as(token).patch(`/api/referral-resources/${foreign.id}`).send({ name: 'Renamed' }).expect(404);
    await as(token).delete(`/api/referral-resources/${foreign.id}`).expect(404);
    const [row] = await dataSource.query<Array<{ name: string }>>(
      `SELECT name FROM referral_resources WHERE id = $1`,
      [foreign.id],
    );
    expect(row).toEqual({ name: 'CMP Metz' });

    // A coordinator of the Grand Est region reaches it; one with no territory reaches nothing.
    const regional = await makeUser(dataSource, { role: 'coordinator', territoryRegion: 'Grand Est' });
    const regionalToken = await signIn(dataSource, environment.config, regional);
    await as(regionalToken).get(`/api/referral-resources/${foreign.id}`).expect(200);
    const nowhere = await signInNewUser(dataSource, environment.config, { role: 'coordinator' });
    const none = await as(nowhere).get('/api/referral-resources').expect(200);
    expect(none.body).toEqual([]);
  });

  it('keeps org admins to their own organisation, and professionals to reading it', async () => {
    const admin = world.orgAdminA.token;
    const own = (
      await as(admin)
        .post('/api/referral-resources')
        .send({ organisationId: world.orgA.id, name: 'Allô Parents Bébé', kind: 'helpline' })
        .expect(201)
    ).body as ReferralResourceView;
    expect(own.organisationId).toBe(world.orgA.id);
    // Another organisation of the same territory is not the org admin's.
    const refused = await as(admin)
      .post('/api/referral-resources')
      .send({ organisationId: world.orgC.id, name: 'CMP', kind: 'cmp' })
      .expect(404);
    expect(fields(refused.body)).toEqual(['organisationId']);
    const adminList = await as(admin).get('/api/referral-resources').expect(200);
    expect(
      (adminList.body as ReferralResourceView[]).every((entry) => entry.organisationId === world.orgA.id),
    ).toBe(true);

    const professional = world.professionalA.token;
    const read = await as(professional).get('/api/referral-resources').expect(200);
    expect((read.body as ReferralResourceView[]).map((entry) => entry.id)).toContain(own.id);
    expect(
      (read.body as ReferralResourceView[]).every((entry) => entry.organisationId === world.orgA.id),
    ).toBe(true);
    await as(professional).post('/api/referral-resources').send({ name: 'X', kind: 'cmp' }).expect(403);
    await as(professional).patch(`/api/referral-resources/${own.id}`).send({ name: 'X' }).expect(403);
    await as(professional).delete(`/api/referral-resources/${own.id}`).expect(403);
    // Platform admins do not keep directories.
    await as(world.platformAdmin.token).get('/api/referral-resources').expect(403);
  });
});
