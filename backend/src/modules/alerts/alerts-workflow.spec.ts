import request from 'supertest';
import {
  ALERT_EVENT_TYPES,
  ALERT_STATUSES,
  type AlertDetail,
  type AlertEventResponse,
  type AlertEventType,
  type AlertListResponse,
  type AlertStatus,
} from '@lien/shared';
import { auditEventOf, makeOrganisation, makeUser, signIn, signInNewUser } from '../../testing/factories.js';
import {
  answersForPoints,
  makeAlert,
  makeAlertParent,
  makeInvitation,
  makeSmsMessage,
  pointsFor,
  storeResponse,
} from '../../testing/alerts-factories.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { UserEntity } from '../users/user.entity.js';
import { AlertEntity } from './alert.entity.js';
import { allowedEvents } from './alert-workflow.js';
import { FollowUpEventEntity } from './follow-up-event.entity.js';
import { openPayload } from './follow-up-notes.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { signedBy, stopTestApi } from '../../testing/api-spec.js';
import { startParentsApi, type ParentsApi } from '../../testing/parents-api.js';

describe('alerts workflow API', () => {
  let { environment, api, dataSource, world } = {} as ParentsApi;
  let colleague: UserEntity;
  const http = () => request(api.getHttpServer());

  beforeAll(async () => {
    ({ environment, api, dataSource, world } = await startParentsApi({
      settings: { contactAttemptsBeforeUnreachable: 2 },
      professional: { displayName: 'Sage-femme' },
    }));
    colleague = await makeUser(dataSource, {
      organisationId: world.organisation.id,
      displayName: 'Infirmière',
    });
  });

  afterAll(() => stopTestApi({ environment, api }));

  const newParent = (
    organisationId = world.organisation.id,
    referentUserId: string | null = world.professional.id,
  ) =>
    makeAlertParent(dataSource, environment.config, {
      organisationId,
      referentUserId,
      firstName: 'Inès',
      lastName: 'Moreau',
      phone: '+33612345678',
    });

  const post = (alertId: string, body: Record<string, unknown>, bearer = world.token) =>
    signedBy(api, bearer).post(`/api/alerts/${alertId}/events`).send(body);

  const validBody = (type: AlertEventType): Record<string, unknown> =>
    ({
      acknowledge: { type },
      assign: { type, assigneeId: colleague.id },
      note: { type, text: 'Appel prévu demain matin.' },
      contact_attempt: { type, outcome: 'reached', channel: 'phone' },
      referral: { type, to: 'gp' },
      in_care: { type },
      close: { type, outcome: 'declined' },
    })[type];

  describe('list', () => {
    let listOrg: OrganisationEntity;
    let listToken: string;
    let me: UserEntity;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      listOrg = await makeOrganisation(dataSource, { name: 'PMI Moselle' });
      me = await makeUser(dataSource, { organisationId: listOrg.id });
      listToken = await signIn(dataSource, environment.config, me);
      const now = environment.clock.now().getTime();
      const hour = 3_600_000;
      const specs = [
        {
          key: 'moderateLate',
          severity: 'moderate' as const,
          contactDueAt: new Date(now + 50 * hour),
          assigneeId: null,
        },
        {
          key: 'moderateSoon',
          severity: 'moderate' as const,
          contactDueAt: new Date(now + 10 * hour),
          assigneeId: me.id,
        },
        {
          key: 'urgent',
          severity: 'urgent' as const,
          contactDueAt: new Date(now + 4 * hour),
          assigneeId: me.id,
        },
        { key: 'lowOverdue', severity: 'low' as const, contactDueAt: new Date(now - hour), assigneeId: null },
        { key: 'high', severity: 'high' as const, contactDueAt: new Date(now + 30 * hour), assigneeId: null },
        {
          key: 'closed',
          severity: 'high' as const,
          contactDueAt: new Date(now + hour),
          assigneeId: null,
          status: 'closed' as const,
        },
      ];
      for (const spec of specs) {
        const parent = await makeAlertParent(dataSource, environment.config, { organisationId: listOrg.id });
        const { key, ...values } = spec;
        const alert = await makeAlert(dataSource, parent, {
          ...values,
          acknowledgeDueAt: new Date(now + hour),
          acknowledgedAt: environment.clock.now(),
        });
        ids[key] = alert.id;
      }
      // Another organisation's alert never shows.
      await makeAlert(dataSource, await newParent(world.other.id, null), { severity: 'urgent' });
    });

    const list = async (query: string): Promise<AlertListResponse> =>
      (await signedBy(api, listToken).get(`/api/alerts${query}`).expect(200)).body as AlertListResponse;

    it('sorts active alerts overdue first, then by severity and contact deadline, with counts per severity', async () => {
      const body = await list('');
      expect(body.items.map((item) => item.id)).toEqual([
        ids.lowOverdue,
        ids.urgent,
        ids.high,
        ids.moderateSoon,
        ids.moderateLate,
      ]);
      expect(body).toMatchObject({
        page: 1,
        pageSize: 25,
        total: 5,
        countsBySeverity: { urgent: 1, high: 1, moderate: 2, low: 1 },
      });
      expect(body.items[0]).not.toHaveProperty('firstName');
      expect(JSON.stringify(body)).not.toContain('Inès');
    });

    it('pages', async () => {
      const body = await list('?page=2&pageSize=2');
      expect(body.items.map((item) => item.id)).toEqual([ids.high, ids.moderateSoon]);
      expect(body.total).toBe(5);
    });

    it('filters by status, severity, assignee and overdue', async () => {
      expect((await list('?status=closed')).items.map((item) => item.id)).toEqual([ids.closed]);
      expect((await list('?status=all')).total).toBe(6);
      const moderate = await list('?severity=moderate');
      expect(moderate.items).toHaveLength(2);
      expect(moderate.total).toBe(2);
      expect(moderate.countsBySeverity).toEqual({ urgent: 1, high: 1, moderate: 2, low: 1 });
      expect((await list('?severity=urgent,high')).total).toBe(2);
      expect((await list('?assignee=me')).items.map((item) => item.id)).toEqual([
        ids.urgent,
        ids.moderateSoon,
      ]);
      expect((await list(`?assignee=${me.id}`)).total).toBe(2);
      expect((await list('?assignee=none')).total).toBe(3);
      const overdue = await list('?overdue=true');
      expect(overdue.items.map((item) => [item.id, item.overdue])).toEqual([[ids.lowOverdue, true]]);
      expect((await list('?overdue=false')).total).toBe(4);
    });

    it('refuses bad filters with 400 naming the field', async () => {
      for (const [query, field] of [
        ['?status=lost', 'status'],
        ['?severity=extreme', 'severity'],
        ['?assignee=bob', 'assignee'],
        ['?overdue=yes', 'overdue'],
        ['?page=0', 'page'],
        ['?pageSize=500', 'pageSize'],
        ['?sort=name', 'sort'],
      ]) {
        const response = await signedBy(api, listToken).get(`/api/alerts${query}`).expect(400);
        expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
    });
  });

  describe('detail', () => {
    it('returns the named parent (audited), responses with items, SMS history and events', async () => {
      const parent = await newParent();
      const invitation = await makeInvitation(dataSource, parent, { wave: 'day7' });
      await makeSmsMessage(dataSource, invitation, { status: 'delivered' });
      await makeSmsMessage(dataSource, invitation, {
        status: 'undelivered',
        kind: 'reminder',
        dueAt: new Date('2026-03-01T09:00:00Z'),
        sentAt: new Date('2026-03-01T09:00:00Z'),
      });
      await storeResponse(api, {
        organisation: world.organisation,
        parent,
        invitation,
        answers: answersForPoints(pointsFor(14)),
      });
      const alert = await dataSource.getRepository(AlertEntity).findOneByOrFail({ parentId: parent.id });

      const body = (await signedBy(api, world.token).get(`/api/alerts/${alert.id}`).expect(200))
        .body as AlertDetail;
      expect(body).toMatchObject({
        id: alert.id,
        severity: 'high',
        status: 'open',
        allowedEvents: ['acknowledge', 'assign', 'note', 'close'],
        parent: { id: parent.id, role: 'mother' },
      });
      // The identity is revealed through GET /api/parents/:id, the audited read of a named parent.
      expect(JSON.stringify(body)).not.toMatch(/Inès|Moreau|612345678/);
      expect(body.responses).toHaveLength(1);
      expect(body.responses[0]).toMatchObject({
        score: 14,
        band: 'high',
        wave: 'day7',
        item10Positive: false,
      });
      expect(body.responses[0]!.items).toHaveLength(10);
      expect(body.responses[0]!.items.reduce((sum, item) => sum + item.points, 0)).toBe(14);
      expect(body.sms.map((sms) => [sms.kind, sms.status])).toEqual([
        ['invitation', 'delivered'],
        ['reminder', 'undelivered'],
      ]);
      expect(body.events.map((event) => event.type)).toEqual(['created']);

      const audit = await auditEventOf(dataSource, { action: 'alert.read', targetId: alert.id });
      expect(audit).toMatchObject({
        actorId: world.professional.id,
        organisationId: world.organisation.id,
        targetType: 'alert',
        metadata: { parentId: parent.id },
      });
      expect(JSON.stringify(audit.metadata)).not.toContain('Inès');
    });

    it("hides other organisations' alerts behind 404, and refuses coordinators", async () => {
      const alert = await makeAlert(dataSource, await newParent());
      const denied = await signedBy(api, world.otherToken).get(`/api/alerts/${alert.id}`).expect(404);
      expect(denied.body).toMatchObject({ statusCode: 404, message: 'Alert not found' });
      const absent = await signedBy(api, world.token)
        .get('/api/alerts/00000000-0000-4000-8000-000000000000')
        .expect(404);
      expect(absent.body.message).toBe(denied.body.message);
      await signedBy(api, world.token).get('/api/alerts/not-a-uuid').expect(404);
      await post(alert.id, { type: 'acknowledge' }, world.otherToken).expect(404);
      expect((await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: alert.id })).status).toBe(
        'open',
      );
      const outsiderList = await signedBy(api, world.otherToken).get('/api/alerts?status=all').expect(200);
      expect((outsiderList.body as AlertListResponse).items.map((item) => item.id)).not.toContain(alert.id);

      const coordinatorToken = await signInNewUser(dataSource, environment.config, {
        role: 'coordinator',
        territoryDepartements: ['62'],
      });
      await signedBy(api, coordinatorToken).get('/api/alerts').expect(403);
      await signedBy(api, coordinatorToken).get(`/api/alerts/${alert.id}`).expect(403);
      await http().get('/api/alerts').expect(401);
    });
  });

  describe('events', () => {
    it('walks the whole follow-up, recording who did what, when, every step audited', async () => {
      const alert = await makeAlert(dataSource, await newParent(world.organisation.id, null), {
        severity: 'high',
      });
      const step = async (body: Record<string, unknown>, status: AlertStatus) => {
        environment.clock.advance(60_000);
        const response = await post(alert.id, body).expect(201);
        expect(response.body.alert.status).toBe(status);
        expect(response.body.allowedEvents).toEqual(allowedEvents(status));
        return response.body as AlertEventResponse;
      };
      const acknowledged = await step({ type: 'acknowledge' }, 'acknowledged');
      expect(acknowledged.alert).toMatchObject({
        assigneeId: world.professional.id,
        acknowledgedAt: environment.clock.now().toISOString(),
      });
      await step({ type: 'assign', assigneeId: colleague.id }, 'acknowledged');
      await step({ type: 'note', text: 'Maman fatiguée, rappeler après 14 h.' }, 'acknowledged');
      const attempt = await step(
        { type: 'contact_attempt', outcome: 'unreachable', channel: 'phone', note: 'Messagerie' },
        'acknowledged',
      );
      expect(attempt.alert.firstContactAt).toBe(environment.clock.now().toISOString());
      const firstContact = attempt.alert.firstContactAt;
      const reached = await step(
        { type: 'contact_attempt', outcome: 'reached', channel: 'visit' },
        'contacted',
      );
      expect(reached.alert).toMatchObject({ firstContactAt: firstContact, contactAttempts: 2 });
      await step({ type: 'referral', to: 'perinatal_psychiatry_unit', note: 'RDV proposé' }, 'referred');
      await step({ type: 'in_care' }, 'in_care');
      const closed = await step({ type: 'close', outcome: 'in_care' }, 'closed');
      expect(closed.alert.outcome).toBe('in_care');
      expect(closed.event).toMatchObject({
        type: 'close',
        actorId: world.professional.id,
        payload: { outcome: 'in_care', from: 'in_care', to: 'closed' },
      });

      const stored = await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: alert.id });
      expect(stored).toMatchObject({ status: 'closed', assigneeId: colleague.id, outcome: 'in_care' });
      expect(stored.referredAt).not.toBeNull();
      expect(stored.inCareAt).not.toBeNull();
      expect(stored.closedAt).not.toBeNull();

      const events = await dataSource
        .getRepository(FollowUpEventEntity)
        .find({ where: { alertId: alert.id }, order: { createdAt: 'ASC' } });
      expect(events.map((event) => event.type)).toEqual([
        'acknowledge',
        'assign',
        'note',
        'contact_attempt',
        'contact_attempt',
        'referral',
        'in_care',
        'close',
      ]);
      expect(events.every((event) => event.actorId === world.professional.id)).toBe(true);
      // Notes are stored encrypted, out of the payload (follow-up-notes.spec.ts); read back they are intact.
      const encryption = new FieldEncryption(environment.config);
      expect(events[2]!.payload).not.toHaveProperty('text');
      expect(openPayload(events[2]!, encryption)).toMatchObject({
        text: 'Maman fatiguée, rappeler après 14 h.',
      });
      expect(openPayload(events[5]!, encryption)).toMatchObject({
        referredTo: 'perinatal_psychiatry_unit',
        note: 'RDV proposé',
      });

      const audits = await dataSource
        .getRepository(AuditEventEntity)
        .find({ where: { targetId: alert.id }, order: { id: 'ASC' } });
      expect(audits.map((audit) => audit.action)).toEqual(events.map((event) => `alert.${event.type}`));
      expect(JSON.stringify(audits.map((audit) => audit.metadata))).not.toMatch(/fatiguée|RDV|Messagerie/);

      // Events are append-only.
      await expect(
        dataSource.query(`UPDATE follow_up_events SET payload = '{}' WHERE id = $1`, [events[2]!.id]),
      ).rejects.toThrow();
      await post(alert.id, { type: 'note', text: 'trop tard' }).expect(409);
    });

    it('becomes unreachable after the configured number of unreachable attempts, and may then close as unreachable', async () => {
      const alert = await makeAlert(dataSource, await newParent());
      await post(alert.id, { type: 'acknowledge' }).expect(201);
      const early = await post(alert.id, { type: 'close', outcome: 'unreachable' }).expect(409);
      expect(early.body).toMatchObject({
        code: 'invalid_transition',
        details: { status: 'acknowledged', allowedOutcomes: ['in_care', 'declined', 'false_alarm', 'moved'] },
      });
      const unreachable = async (channel: string): Promise<AlertStatus> =>
        (
          (await post(alert.id, { type: 'contact_attempt', outcome: 'unreachable', channel }).expect(201))
            .body as AlertEventResponse
        ).alert.status;
      expect(await unreachable('phone')).toBe('acknowledged');
      expect(await unreachable('sms')).toBe('unreachable');
      await post(alert.id, { type: 'referral', to: 'gp' }).expect(409);
      const closed = await post(alert.id, {
        type: 'close',
        outcome: 'unreachable',
        note: 'Trois tentatives',
      }).expect(201);
      expect(closed.body.alert).toMatchObject({ status: 'closed', outcome: 'unreachable' });
    });

    it('refuses every invalid transition with 409 and the allowed events', async () => {
      const parent = await newParent();
      let refused = 0;
      for (const status of ALERT_STATUSES) {
        const allowed = allowedEvents(status);
        for (const type of ALERT_EVENT_TYPES.filter((candidate) => !allowed.includes(candidate))) {
          // One alert per parent may be open: close the previous ones first.
          await dataSource.query(
            `UPDATE alerts SET status = 'closed' WHERE parent_id = $1 AND status <> 'closed'`,
            [parent.id],
          );
          const alert = await makeAlert(dataSource, parent, { status });
          const response = await post(alert.id, validBody(type)).expect(409);
          expect(response.body).toMatchObject({
            statusCode: 409,
            code: 'invalid_transition',
            details: { status, allowed },
          });
          expect((await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: alert.id })).status).toBe(
            status,
          );
          expect(await dataSource.getRepository(FollowUpEventEntity).countBy({ alertId: alert.id })).toBe(0);
          refused += 1;
        }
      }
      // open 3, acknowledged 3, contacted 1, unreachable 3, referred 2, in_care 4, closed 7
      expect(refused).toBe(23);
    });

    it("validates each event type's body, naming the field", async () => {
      const alert = await makeAlert(dataSource, await newParent());
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'type'],
        [{ type: 'dance' }, 'type'],
        [{ type: 'note' }, 'text'],
        [{ type: 'note', text: '   ' }, 'text'],
        [{ type: 'note', text: 'x'.repeat(4001) }, 'text'],
        [{ type: 'acknowledge', text: 'extra' }, 'text'],
        [{ type: 'assign' }, 'assigneeId'],
        [{ type: 'assign', assigneeId: 'bob' }, 'assigneeId'],
        [{ type: 'assign', assigneeId: world.otherProfessional.id }, 'assigneeId'],
        [{ type: 'contact_attempt', outcome: 'reached' }, 'channel'],
        [{ type: 'contact_attempt', outcome: 'declined', channel: 'phone' }, 'outcome'],
        [{ type: 'contact_attempt', outcome: 'reached', channel: 'pigeon' }, 'channel'],
        [{ type: 'referral' }, 'to'],
        [{ type: 'referral', to: 'shaman' }, 'to'],
        [{ type: 'close' }, 'outcome'],
        [{ type: 'close', outcome: 'reached' }, 'outcome'],
        [{ type: 'close', outcome: 'declined', note: 'x'.repeat(4001) }, 'note'],
        [{ type: 'acknowledge', hacker: true }, 'hacker'],
      ];
      for (const [body, field] of cases) {
        const response = await post(alert.id, body).expect(400);
        expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      await post(alert.id, { type: 'note', text: 'x'.repeat(4000) }).expect(201);
      expect(await dataSource.getRepository(FollowUpEventEntity).countBy({ alertId: alert.id })).toBe(1);
    });
  });
});
