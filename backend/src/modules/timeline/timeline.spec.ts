import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { TimelineEntry } from '@lien/shared';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  type TestEnvironment,
} from '../../testing/test-app.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  answersForPoints,
  makeAlertParent,
  makeInvitation,
  makeSmsMessage,
  openAlertOf,
  pointsFor,
  storeResponse,
} from '../../testing/alerts-factories.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';

jest.setTimeout(60_000);

describe('GET /api/parents/:id/timeline', () => {
  let environment: TestEnvironment;
  let api: INestApplication;
  let dataSource: DataSource;

  beforeAll(async () => {
    environment = await createTestEnvironment({}, new Date('2026-03-02T08:00:00Z'));
    api = await createTestApi(environment);
    dataSource = dataSourceOf(api);
  });

  afterAll(async () => {
    await api?.close();
    await environment?.teardown();
  });

  it('tells the parent story in order: enrolment, SMS with status, open, response with score, alert, follow-up', async () => {
    const organisation = await makeOrganisation(dataSource);
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    const token = await signIn(dataSource, environment.config, professional);
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      referentUserId: professional.id,
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
    await storeResponse(api, {
      organisation,
      parent,
      invitation,
      answers: answersForPoints(pointsFor(12)),
      createdAt: environment.clock.now(),
    });
    const alert = (await openAlertOf(dataSource, parent.id))!;
    environment.clock.advance(3_600_000);
    await request(api.getHttpServer())
      .post(`/api/alerts/${alert.id}/events`)
      .set('Authorization', `Bearer ${token}`)
      .send({ type: 'acknowledge' })
      .expect(201);

    const { body } = await request(api.getHttpServer())
      .get(`/api/parents/${parent.id}/timeline`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const entries = body.entries as TimelineEntry[];
    expect(
      entries.map((entry) =>
        entry.kind === 'follow_up'
          ? `follow_up:${entry.type}`
          : entry.kind === 'sms'
            ? `sms:${entry.smsKind}:${entry.status}`
            : entry.kind,
      ),
    ).toEqual([
      'enrolled',
      'invitation_planned',
      'sms:invitation:delivered',
      'sms:reminder:failed',
      'invitation_opened',
      'response',
      'alert',
      'follow_up:created',
      'follow_up:acknowledge',
    ]);
    const times = entries.map((entry) => entry.at);
    expect([...times].sort()).toEqual(times);
    expect(entries.find((entry) => entry.kind === 'response')).toMatchObject({
      score: 12,
      band: 'moderate',
      wave: 'day7',
    });
    expect(entries.find((entry) => entry.kind === 'alert')).toMatchObject({
      alertId: alert.id,
      severity: 'moderate',
    });
    expect(JSON.stringify(body)).not.toContain('Léa');

    expect(
      await dataSource
        .getRepository(AuditEventEntity)
        .countBy({ action: 'parent.read', targetId: parent.id, actorId: professional.id }),
    ).toBe(1);
  });

  it("is 404 for another organisation's parent and for unknown ids, 403 without parents.read", async () => {
    const organisation = await makeOrganisation(dataSource);
    const other = await makeOrganisation(dataSource, { name: 'Autre' });
    const parent = await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id });
    const outsider = await makeUser(dataSource, { organisationId: other.id });
    const outsiderToken = await signIn(dataSource, environment.config, outsider);
    const denied = await request(api.getHttpServer())
      .get(`/api/parents/${parent.id}/timeline`)
      .set('Authorization', `Bearer ${outsiderToken}`)
      .set('X-Request-Id', 'oracle-check')
      .expect(404);
    const absent = await request(api.getHttpServer())
      .get('/api/parents/00000000-0000-4000-8000-000000000000/timeline')
      .set('Authorization', `Bearer ${outsiderToken}`)
      .set('X-Request-Id', 'oracle-check')
      .expect(404);
    expect(denied.body).toEqual(absent.body);
    await request(api.getHttpServer())
      .get('/api/parents/nope/timeline')
      .set('Authorization', `Bearer ${outsiderToken}`)
      .expect(404);
    expect(
      await dataSource
        .getRepository(AuditEventEntity)
        .countBy({ action: 'parent.read', targetId: parent.id }),
    ).toBe(0);
    const coordinator = await makeUser(dataSource, { role: 'coordinator' });
    const coordinatorToken = await signIn(dataSource, environment.config, coordinator);
    await request(api.getHttpServer())
      .get(`/api/parents/${parent.id}/timeline`)
      .set('Authorization', `Bearer ${coordinatorToken}`)
      .expect(403);
  });
});
