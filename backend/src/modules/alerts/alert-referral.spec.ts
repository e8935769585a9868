import { randomUUID } from 'node:crypto';
import type { AlertDetail } from '@lien/shared';
import { makeAlert, makeAlertParent } from '../../testing/alerts-factories.js';
import {
  detailFields as fields,
  signedBy,
  startTwoOrganisationsApi,
  stopTestApi,
  type TwoOrganisationsApi,
} from '../../testing/api-spec.js';
import type { ReferralResourceView } from '../referrals/referrals.service.js';

/**
 * The "referred" step (issues 16 and 19): a directory entry the organisation sees (the target follows from its
 * kind, its name is kept with the event), an emergency route, or a destination in free text.
 */
describe('referral step of the alert workflow', () => {
  let spec = {} as TwoOrganisationsApi;

  beforeAll(async () => (spec = await startTwoOrganisationsApi()));
  afterAll(() => stopTestApi(spec));

  const resource = async (bearer: string, body: Record<string, unknown>): Promise<ReferralResourceView> =>
    (await signedBy(spec.api, bearer).post('/api/referral-resources').send(body).expect(201))
      .body as ReferralResourceView;
  const contactedAlert = async () =>
    makeAlert(
      spec.dataSource,
      await makeAlertParent(spec.dataSource, spec.environment.config, {
        organisationId: spec.organisation.id,
        referentUserId: spec.professional.id,
      }),
      { status: 'contacted' },
    );
  const refer = (alertId: string, body: Record<string, unknown>) =>
    signedBy(spec.api, spec.token)
      .post(`/api/alerts/${alertId}/events`)
      .send({ type: 'referral', ...body });
  const referralPayload = async (alertId: string): Promise<Record<string, unknown>> => {
    const detail = (await signedBy(spec.api, spec.token).get(`/api/alerts/${alertId}`).expect(200))
      .body as AlertDetail;
    return detail.events.find((event) => event.type === 'referral')!.payload;
  };

  it('records a directory entry with the target its kind stands for and its name, `to` being optional', async () => {
    const cmp = await resource(spec.adminToken, {
      name: 'CMP Arras',
      kind: 'cmp',
      acceptsNewPatients: true,
      usualDelayDays: 21,
    });
    const alert = await contactedAlert();
    const answer = await refer(alert.id, { resourceId: cmp.id, note: 'RDV le 12' }).expect(201);
    expect(answer.body).toMatchObject({ alert: { status: 'referred' } });
    expect(await referralPayload(alert.id)).toMatchObject({
      referredTo: 'sector_psychiatry',
      resourceId: cmp.id,
      resourceName: 'CMP Arras',
      resourceKind: 'cmp',
      note: 'RDV le 12',
    });
    // The name stays in the history once the entry is removed from the directory.
    await signedBy(spec.api, spec.adminToken).delete(`/api/referral-resources/${cmp.id}`).expect(204);
    expect(await referralPayload(alert.id)).toMatchObject({ resourceName: 'CMP Arras' });
  });

  it('refuses an entry the organisation does not see, naming resourceId, and records nothing', async () => {
    const foreign = await resource(spec.outsiderAdminToken, { name: 'Ailleurs', kind: 'cmp' });
    const alert = await contactedAlert();
    for (const resourceId of [foreign.id, randomUUID()]) {
      const refused = await refer(alert.id, { resourceId }).expect(400);
      expect(fields(refused.body)).toEqual(['resourceId']);
    }
    const refusedShape = await refer(alert.id, { resourceId: 'cmp-arras' }).expect(400);
    expect(fields(refusedShape.body)).toEqual(['resourceId']);
    const [row] = await spec.dataSource.query<{ status: string; referred_at: Date | null }[]>(
      `SELECT status, referred_at FROM alerts WHERE id = $1`,
      [alert.id],
    );
    expect(row).toEqual({ status: 'contacted', referred_at: null });
  });

  it('takes an emergency route, or a destination in free text', async () => {
    const urgent = await contactedAlert();
    await refer(urgent.id, { to: 'samu' }).expect(201);
    expect(await referralPayload(urgent.id)).toMatchObject({ referredTo: 'samu' });
    expect(await referralPayload(urgent.id)).not.toHaveProperty('resourceId');

    const free = await contactedAlert();
    await refer(free.id, { to: 'other', destination: '  Dr Lambert, psychiatre à Lens ' }).expect(201);
    expect(await referralPayload(free.id)).toMatchObject({
      referredTo: 'other',
      destination: 'Dr Lambert, psychiatre à Lens',
    });
  });

  it('names the missing or bad field: no destination at all, "other" without text, text too long', async () => {
    const alert = await contactedAlert();
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'to'],
      [{ to: 'other' }, 'destination'],
      [{ to: 'other', destination: '   ' }, 'destination'],
      [{ to: 'gp', destination: 'x'.repeat(201) }, 'destination'],
      [{ to: 'samu', destination: 42 }, 'destination'],
    ];
    for (const [body, field] of cases) {
      const refused = await refer(alert.id, body).expect(400);
      expect(fields(refused.body)).toContain(field);
    }
  });
});
