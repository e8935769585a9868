import { makeAlert, makeAlertParent } from '../../testing/alerts-factories.js';
import {
  detailFields as fields,
  signedBy,
  startTwoOrganisationsApi,
  stopTestApi,
  type TwoOrganisationsApi,
} from '../../testing/api-spec.js';
import type { ReferralResourceView } from './referrals.service.js';

describe('referral directory', () => {
  let { environment, api, dataSource, organisation, professional, adminToken, token, outsiderAdminToken } =
    {} as TwoOrganisationsApi;
  const as = (token: string) => signedBy(api, token);

  beforeAll(
    async () =>
      ({ environment, api, dataSource, organisation, professional, adminToken, token, outsiderAdminToken } =
        await startTwoOrganisationsApi()),
  );
  afterAll(() => stopTestApi({ environment, api }));

  const create = async (body: Record<string, unknown>): Promise<ReferralResourceView> =>
    (await as(adminToken).post('/api/referral-resources').send(body).expect(201))
      .body as ReferralResourceView;

  it('is kept by org admins and read by the organisation’s professionals only', async () => {
    const cmp = await create({
      name: ' CMP Arras ',
      kind: 'cmp',
      address: '1 rue de la Paix, 62000 Arras',
      phone: '03 21 00 00 00',
      languages: ['fr', 'en', 'fr'],
      usualDelayDays: 21,
    });
    expect(cmp).toMatchObject({
      name: 'CMP Arras',
      kind: 'cmp',
      phone: '+33321000000',
      languages: ['fr', 'en'],
      acceptsNewPatients: true,
      usualDelayDays: 21,
    });
    await create({ name: 'Allô Parents Bébé', kind: 'helpline', phone: '0800 00 34 56' });
    const list = await as(token).get('/api/referral-resources').expect(200);
    expect((list.body as ReferralResourceView[]).map((r) => r.name)).toEqual([
      'Allô Parents Bébé',
      'CMP Arras',
    ]);

    const patched = await as(adminToken)
      .patch(`/api/referral-resources/${cmp.id}`)
      .send({ acceptsNewPatients: false, usualDelayDays: 60 })
      .expect(200);
    expect(patched.body).toMatchObject({ name: 'CMP Arras', acceptsNewPatients: false, usualDelayDays: 60 });

    // A professional reads but does not write; another organisation sees nothing of it.
    await as(token).post('/api/referral-resources').send({ name: 'X', kind: 'cmp' }).expect(403);
    await as(outsiderAdminToken).get(`/api/referral-resources/${cmp.id}`).expect(404);
    await as(outsiderAdminToken).delete(`/api/referral-resources/${cmp.id}`).expect(404);
    await as(adminToken).delete(`/api/referral-resources/${cmp.id}`).expect(204);
    await as(token).get(`/api/referral-resources/${cmp.id}`).expect(404);
  });

  it('names every bad field with a 400', async () => {
    const response = await as(adminToken)
      .post('/api/referral-resources')
      .send({ kind: 'witch', phone: '12', languages: ['French'], usualDelayDays: -1, colour: 'red' })
      .expect(400);
    expect(fields(response.body).sort()).toEqual(
      ['colour', 'kind', 'languages', 'name', 'phone', 'usualDelayDays'].sort(),
    );
  });

  it('lets the "referred" step name an entry of the organisation’s own directory', async () => {
    const unit = await create({ name: 'Unité mère-bébé', kind: 'mother_baby_unit' });
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      referentUserId: professional.id,
    });
    const alert = await makeAlert(dataSource, parent, { status: 'contacted' });
    const foreign = (
      await as(outsiderAdminToken)
        .post('/api/referral-resources')
        .send({ name: 'Ailleurs', kind: 'cmp' })
        .expect(201)
    ).body as ReferralResourceView;
    const refused = await as(token)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'referral', to: 'perinatal_psychiatry_unit', resourceId: foreign.id })
      .expect(400);
    expect(fields(refused.body)).toEqual(['resourceId']);
    await as(token)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'referral', to: 'perinatal_psychiatry_unit', resourceId: unit.id })
      .expect(201);
    const [event] = await dataSource.query<Array<{ payload: Record<string, unknown> }>>(
      `SELECT payload FROM follow_up_events WHERE alert_id = $1 AND type = 'referral'`,
      [alert.id],
    );
    expect(event!.payload).toMatchObject({ referredTo: 'perinatal_psychiatry_unit', resourceId: unit.id });
  });
  it('records the date care began with the "in care" step, refusing a date in the future', async () => {
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      referentUserId: professional.id,
    });
    const alert = await makeAlert(dataSource, parent, { status: 'referred' });
    const createdOn = new Date(alert.createdAt).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const bad of [tomorrow, '2026-02-30', '1999-01-01']) {
      const refused = await as(token)
        .post(`/api/alerts/${alert.id}/events`)
        .send({ type: 'in_care', careStartedOn: bad })
        .expect(400);
      expect(fields(refused.body)).toEqual(['careStartedOn']);
    }
    await as(token)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'in_care', careStartedOn: createdOn })
      .expect(201);
    const [row] = await dataSource.query<
      Array<{ status: string; in_care_at: Date; payload: Record<string, unknown> }>
    >(
      `SELECT a.status, a.in_care_at, e.payload FROM alerts a JOIN follow_up_events e ON e.alert_id = a.id AND e.type = 'in_care'
        WHERE a.id = $1`,
      [alert.id],
    );
    expect(row).toMatchObject({ status: 'in_care', payload: { careStartedOn: createdOn } });
    // Midnight of that day in the organisation's zone (Paris).
    expect(new Date(row!.in_care_at).getTime()).toBeLessThanOrEqual(
      new Date(`${createdOn}T00:00:00Z`).getTime(),
    );
  });
});
