import type { ParentHistory } from '@lien/shared';
import {
  answersForPoints,
  makeAlertParent,
  makeInvitation,
  makeSmsMessage,
  openAlertOf,
  pointsFor,
  storeResponse,
} from '../../testing/alerts-factories.js';
import { auditCount, signInNewUser } from '../../testing/factories.js';
import { signedBy, stopTestApi } from '../../testing/api-spec.js';
import {
  enrolParent,
  startParentsApi,
  type ParentsApi,
  type ParentsWorldOptions,
} from '../../testing/parents-api.js';
import { enrolmentBody } from '../../testing/parents-factories.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { ReferralResourceEntity } from '../referrals/referral-resource.entity.js';
import { SmsMessageEntity } from '../sms/sms-message.entity.js';
import { ParentEntity } from './parent.entity.js';

/** Role thresholds of their own (13 is high for a father), and a professional whose name the history shows. */
const WORLD: ParentsWorldOptions = {
  settings: {
    thresholds: {
      mother: { moderate: 11, high: 13 },
      father: { moderate: 9, high: 12 },
      co_parent: { moderate: 10, high: 12 },
    },
  },
  professional: { displayName: 'Claire Moreau' },
};

describe('GET /api/parents/:id/history (real Postgres)', () => {
  let { environment, api: app, dataSource, world } = {} as ParentsApi;

  // The test clock: Monday 2 March 2026, 09:00 in Paris.
  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startParentsApi(WORLD)));
  afterAll(() => stopTestApi({ environment, api: app }));

  const history = async (id: string, bearer = world.token): Promise<ParentHistory> =>
    (await signedBy(app, bearer).get(`/api/parents/${id}/history`).expect(200)).body as ParentHistory;

  it('tells the score trend (role thresholds, next wave) and who did what, planned SMS apart, no line twice', async () => {
    const enrolled = await enrolParent(
      app,
      world.token,
      enrolmentBody('Hugo', 'Berthier', '06 71 22 33 44', { role: 'father' }),
    );
    const parent = await dataSource.getRepository(ParentEntity).findOneByOrFail({ id: enrolled.id });

    // Before anything happens: the enrolment, and both waves' SMS planned (apart).
    const fresh = await history(parent.id);
    expect(fresh.events.map((event) => [event.kind, event.actor?.name])).toEqual([
      ['enrolled', 'Claire Moreau'],
    ]);
    expect(fresh.planned.map((sms) => [sms.wave, sms.kind, sms.dueAt])).toEqual([
      ['day7', 'invitation', '2026-03-05T09:00:00.000Z'],
      ['day42', 'invitation', '2026-04-09T08:00:00.000Z'],
    ]);
    expect(fresh.trend).toEqual({
      role: 'father',
      thresholds: { moderate: 9, high: 12 },
      maxScore: 30,
      points: [],
      next: { wave: 'day7', dueAt: '2026-03-05T09:00:00.000Z' },
    });

    // Day 7: the SMS is delivered, opened, answered (13: high for a father here), the alert followed up.
    const day7 = await dataSource
      .getRepository(InvitationEntity)
      .findOneByOrFail({ parentId: parent.id, wave: 'day7' });
    await dataSource.getRepository(SmsMessageEntity).update(
      { invitationId: day7.id },
      {
        status: 'delivered',
        sentAt: new Date('2026-03-05T09:00:01Z'),
        statusHistory: [
          { status: 'sent', at: '2026-03-05T09:00:01.000Z' },
          { status: 'delivered', at: '2026-03-05T09:00:04.000Z' },
        ],
      },
    );
    await dataSource
      .getRepository(InvitationEntity)
      .update({ id: day7.id }, { status: 'opened', openedAt: new Date('2026-03-05T18:30:00Z') });
    environment.clock.set(new Date('2026-03-05T18:40:00Z'));
    await storeResponse(app, {
      organisation: world.organisation,
      parent,
      invitation: day7,
      answers: answersForPoints(pointsFor(13)),
      createdAt: new Date('2026-03-05T18:40:00Z'),
    });
    const alert = (await openAlertOf(dataSource, parent.id))!;
    const resource = await dataSource.getRepository(ReferralResourceEntity).save({
      organisationId: world.organisation.id,
      name: 'CMP de Lens',
      kind: 'cmp',
      address: null,
      phone: null,
      usualDelayDays: 14,
    });
    const post = (body: object) =>
      signedBy(app, world.token).post(`/api/alerts/${alert.id}/events`).send(body).expect(201);
    environment.clock.set(new Date('2026-03-06T08:00:00Z'));
    await post({ type: 'acknowledge' });
    environment.clock.set(new Date('2026-03-06T09:00:00Z'));
    await post({ type: 'contact_attempt', outcome: 'reached', channel: 'phone', note: 'Rappel vendredi' });
    environment.clock.set(new Date('2026-03-06T09:30:00Z'));
    await post({ type: 'referral', to: 'psychiatrist', resourceId: resource.id });
    environment.clock.set(new Date('2026-03-10T10:00:00Z'));
    await post({ type: 'in_care', careStartedOn: '2026-03-09' });

    const story = await history(parent.id);
    expect(story.events.map((event) => event.kind)).toEqual([
      'enrolled',
      'sms',
      'opened',
      'response',
      'alert',
      'acknowledged',
      'contact_attempt',
      'referral',
      'in_care',
    ]);
    const byKind = Object.fromEntries(story.events.map((event) => [event.kind, event]));
    expect(byKind.sms).toMatchObject({
      at: '2026-03-05T09:00:04.000Z',
      wave: 'day7',
      sms: { kind: 'invitation', status: 'delivered', errorCode: null },
      actor: null,
    });
    expect(byKind.response).toMatchObject({
      wave: 'day7',
      alertId: alert.id,
      result: { score: 13, band: 'high', item10Positive: false },
    });
    expect(byKind.alert).toMatchObject({ alertId: alert.id, severity: 'high' });
    expect(byKind.acknowledged).toMatchObject({
      at: '2026-03-06T08:00:00.000Z',
      actor: { id: world.professional.id, name: 'Claire Moreau' },
    });
    expect(byKind.contact_attempt).toMatchObject({
      contact: { outcome: 'reached', channel: 'phone' },
      note: 'Rappel vendredi',
      actor: { name: 'Claire Moreau' },
    });
    expect(byKind.referral).toMatchObject({
      referral: { to: 'psychiatrist', resourceName: 'CMP de Lens' },
    });
    expect(byKind.in_care).toMatchObject({ careStartedOn: '2026-03-09' });
    expect(new Set(story.events.map((event) => event.id)).size).toBe(story.events.length);
    // What is still planned: day 42 only; the trend has its point and the next wave as a placeholder.
    expect(story.planned.map((sms) => sms.wave)).toEqual(['day42']);
    expect(story.trend.points).toEqual([
      { wave: 'day7', score: 13, band: 'high', at: '2026-03-05T18:40:00.000Z' },
    ]);
    expect(story.trend.next).toEqual({ wave: 'day42', dueAt: '2026-04-09T08:00:00.000Z' });

    // A withdrawal: who did it; the cancelled SMS leave the plan and make no line of their own.
    await signedBy(app, world.token).post(`/api/parents/${parent.id}/withdraw`).expect(200);
    const after = await history(parent.id);
    expect(after.events.at(-1)).toMatchObject({
      kind: 'withdrawn',
      actor: { id: world.professional.id, name: 'Claire Moreau' },
    });
    expect(after.events.filter((event) => event.kind === 'sms')).toHaveLength(1);
    expect(after.planned).toEqual([]);
    expect(after.trend.next).toBeNull();

    // Each read is audited as a read of this parent; the note never reaches the audit log.
    const reads = await dataSource
      .getRepository(AuditEventEntity)
      .findBy({ action: 'parent.read', targetId: parent.id, actorId: world.professional.id });
    expect(reads.filter((read) => read.metadata['view'] === 'history')).toHaveLength(3);
    const audit = await dataSource.query<Array<{ metadata: unknown }>>(
      `SELECT metadata FROM audit_events WHERE target_id = ANY($1::text[])`,
      [[parent.id, alert.id]],
    );
    expect(JSON.stringify(audit)).not.toContain('Rappel vendredi');
  });

  it('is 404 for another organisation’s parent and for unknown ids, 403 for a coordinator', async () => {
    const parent = await enrolParent(app, world.token, enrolmentBody('Lina', 'Roux', '06 71 22 33 55'));
    await signedBy(app, world.otherToken).get(`/api/parents/${parent.id}/history`).expect(404);
    await signedBy(app, world.token)
      .get('/api/parents/00000000-0000-4000-8000-000000000000/history')
      .expect(404);
    const coordinator = await signInNewUser(dataSource, environment.config, {
      role: 'coordinator',
      territoryDepartements: ['62'],
    });
    await signedBy(app, coordinator).get(`/api/parents/${parent.id}/history`).expect(403);
  });

  it('tells the story in order from the rows: enrolment, each SMS with its status, open, response, alert, follow-up, raise', async () => {
    environment.clock.set(new Date('2026-03-02T08:00:00Z'));
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: world.organisation.id,
      referentUserId: world.professional.id,
      createdAt: new Date('2026-02-21T09:00:00Z'),
      firstName: 'Léa',
    });
    const invitation = await makeInvitation(dataSource, parent, {
      wave: 'day7',
      createdAt: new Date('2026-02-21T09:00:01Z'),
      dueAt: new Date('2026-02-27T09:00:00Z'),
      sentAt: new Date('2026-02-27T09:00:00Z'),
      openedAt: new Date('2026-03-01T18:00:00Z'),
      status: 'opened',
    });
    await makeSmsMessage(dataSource, invitation, {
      status: 'delivered',
      sentAt: new Date('2026-02-27T09:00:00Z'),
    });
    await makeSmsMessage(dataSource, invitation, {
      status: 'failed',
      kind: 'reminder',
      dueAt: new Date('2026-03-01T09:00:00Z'),
      sentAt: null,
    });
    await storeResponse(app, {
      organisation: world.organisation,
      parent,
      invitation,
      answers: answersForPoints(pointsFor(12)),
      createdAt: environment.clock.now(),
    });
    const alert = (await openAlertOf(dataSource, parent.id))!;
    environment.clock.advance(3_600_000);
    await signedBy(app, world.token)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'acknowledge' })
      .expect(201);
    // Day 42, higher: the open alert is raised; its own line still tells it as it was raised.
    const day42 = await makeInvitation(dataSource, parent, {
      wave: 'day42',
      createdAt: new Date('2026-02-21T09:00:01Z'),
      dueAt: new Date('2026-03-02T09:00:00Z'),
      sentAt: new Date('2026-03-02T09:00:00Z'),
      status: 'sent',
    });
    environment.clock.advance(3_600_000);
    await storeResponse(app, {
      organisation: world.organisation,
      parent,
      invitation: day42,
      answers: answersForPoints(pointsFor(15)),
      createdAt: environment.clock.now(),
    });

    const { body } = await signedBy(app, world.token).get(`/api/parents/${parent.id}/history`).expect(200);
    const story = body as ParentHistory;
    // The alert's own 'created' event is the alert line: told once, not twice.
    expect(
      story.events.map((event) => (event.sms ? `sms:${event.sms.kind}:${event.sms.status}` : event.kind)),
    ).toEqual([
      'enrolled',
      'sms:invitation:delivered',
      'sms:reminder:failed',
      'opened',
      'response',
      'alert',
      'acknowledged',
      'response',
      'severity_raised',
    ]);
    const times = story.events.map((event) => event.at);
    expect([...times].sort()).toEqual(times);
    expect(new Set(story.events.map((event) => event.id)).size).toBe(story.events.length);
    expect(story.events.find((event) => event.kind === 'severity_raised')).toMatchObject({
      alertId: alert.id,
      severity: 'high',
    });
    expect(story.events.find((event) => event.kind === 'response')).toMatchObject({
      wave: 'day7',
      alertId: alert.id,
      result: { score: 12, band: 'moderate', item10Positive: false, anxietyFlag: false },
    });
    expect(story.events.find((event) => event.kind === 'alert')).toMatchObject({
      alertId: alert.id,
      severity: 'moderate',
      reasons: alert.reasons,
    });
    expect(story.events.find((event) => event.kind === 'acknowledged')).toMatchObject({
      at: '2026-03-02T09:00:00.000Z',
      actor: { id: world.professional.id, name: 'Claire Moreau' },
    });
    expect(story.trend.points).toEqual([
      { wave: 'day7', score: 12, band: 'moderate', at: '2026-03-02T08:00:00.000Z' },
      { wave: 'day42', score: 15, band: 'high', at: '2026-03-02T10:00:00.000Z' },
    ]);
    // Ids and words, never the parent's name.
    expect(JSON.stringify(body)).not.toContain('Léa');
    expect(
      await auditCount(dataSource, {
        action: 'parent.read',
        targetId: parent.id,
        actorId: world.professional.id,
      }),
    ).toBe(1);
  });

  it('answers the same 404 for another organisation’s parent and for an unknown id, 404 for a malformed id, and audits none', async () => {
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: world.organisation.id,
    });
    const denied = await signedBy(app, world.otherToken)
      .get(`/api/parents/${parent.id}/history`)
      .set('X-Request-Id', 'oracle-check')
      .expect(404);
    const absent = await signedBy(app, world.otherToken)
      .get('/api/parents/00000000-0000-4000-8000-000000000000/history')
      .set('X-Request-Id', 'oracle-check')
      .expect(404);
    expect(denied.body).toEqual(absent.body);
    await signedBy(app, world.otherToken).get('/api/parents/nope/history').expect(404);
    expect(await auditCount(dataSource, { action: 'parent.read', targetId: parent.id })).toBe(0);
  });
});
