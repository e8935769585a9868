import request from 'supertest';
import { DEFAULT_ORGANISATION_SETTINGS } from '@lien/shared';
import { queue } from '../../testing/test-app.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  answersForPoints,
  mailText,
  makeAlert,
  makeAlertParent,
  makeInvitation,
  openAlertOf,
  pointsFor,
  startMailStack,
  stopMailStack,
  storeResponse,
  type MailStack,
} from '../../testing/alerts-factories.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { UserEntity } from '../users/user.entity.js';
import { AlertEntity } from './alert.entity.js';
import { AlertDeadlineService } from './alert-deadline.service.js';
import { FollowUpEventEntity } from './follow-up-event.entity.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('alert deadlines, escalation and non-response (injected clock, real queue and SMTP)', () => {
  let { smtp, environment, api, worker, dataSource } = {} as MailStack;
  let organisation: OrganisationEntity;
  let referent: UserEntity;

  beforeAll(async () => {
    ({ smtp, environment, api, worker, dataSource } = await startMailStack());
    organisation = await makeOrganisation(dataSource, {
      settings: {
        onCallEmail: 'astreinte@pmi62.test',
        waves: [
          { key: 'day7', offsetDays: 7, windowStartDay: 0, windowEndDay: 14, noResponseTask: true },
          { key: 'day42', offsetDays: 42, windowStartDay: 35, windowEndDay: 56, noResponseTask: false },
        ],
      },
    });
    referent = await makeUser(dataSource, { organisationId: organisation.id, email: 'referente@pmi62.test' });
    await makeUser(dataSource, {
      organisationId: organisation.id,
      role: 'org_admin',
      email: 'cadre@pmi62.test',
    });
    await makeUser(dataSource, {
      organisationId: organisation.id,
      role: 'org_admin',
      email: 'ancienne-cadre@pmi62.test',
      active: false,
    });
    const other = await makeOrganisation(dataSource, { name: 'Autre' });
    await makeUser(dataSource, { organisationId: other.id, role: 'org_admin', email: 'cadre@autre.test' });
  });

  afterAll(() => stopMailStack({ smtp, environment, api, worker }));

  const mailsTo = (address: string, alertId: string) =>
    smtp.received.filter((mail) => mail.to.includes(address) && mailText(mail).includes(alertId));

  it('escalates a missed deadline once: admins emailed, event recorded, escalatedAt set, shown overdue', async () => {
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      referentUserId: referent.id,
    });
    const invitation = await makeInvitation(dataSource, parent);
    const points = pointsFor(4);
    points[9] = 2;
    await storeResponse(api, { organisation, parent, invitation, answers: answersForPoints(points) });
    const alert = (await openAlertOf(dataSource, parent.id))!;
    expect(alert.severity).toBe('urgent');
    const alerts = queue(api, 'alerts');
    const ackJob = await alerts.getJob(`alert-${alert.id}-${alert.acknowledgeDueAt.getTime()}`);
    expect(ackJob).toBeDefined();
    expect(await ackJob!.isDelayed()).toBe(true);

    // Before the deadline the job does nothing.
    expect(await worker.get(AlertDeadlineService).check(alert.id)).toBe('not_due');

    environment.clock.advance(4 * HOUR + 60_000);
    await ackJob!.promote();
    await waitUntil(
      async () =>
        (await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: alert.id })).escalatedAt !== null,
    );
    await waitUntil(() => mailsTo('cadre@pmi62.test', alert.id).length === 1);

    // Again: the job, the reconciler, a direct check: nothing more.
    await worker.get(AlertDeadlineService).reconcile();
    expect(await worker.get(AlertDeadlineService).check(alert.id)).toBe('done');
    await alerts.add('alerts.deadline', { alertId: alert.id }, { jobId: `again-${alert.id}` });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const escalations = await dataSource
      .getRepository(FollowUpEventEntity)
      .findBy({ alertId: alert.id, type: 'escalated' });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.payload).toMatchObject({ step: 'acknowledge', notified: 1 });
    expect(mailsTo('cadre@pmi62.test', alert.id)).toHaveLength(1);
    expect(mailsTo('ancienne-cadre@pmi62.test', alert.id)).toHaveLength(0);
    expect(smtp.received.filter((mail) => mail.to.includes('cadre@autre.test'))).toHaveLength(0);
    const escalationMail = mailText(mailsTo('cadre@pmi62.test', alert.id)[0]!);
    expect(escalationMail).toContain('une alerte a dépassé son délai');
    expect(escalationMail).toContain(`http://lien.test/alerts/${alert.id}`);
    expect(
      await dataSource
        .getRepository(AuditEventEntity)
        .countBy({ action: 'alert.escalate', targetId: alert.id }),
    ).toBe(1);

    const user = await makeUser(dataSource, { organisationId: organisation.id });
    const token = await signIn(dataSource, environment.config, user);
    const overdue = await request(api.getHttpServer())
      .get('/api/alerts?overdue=true')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(overdue.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: alert.id, overdue: true, escalatedAt: expect.any(String) }),
      ]),
    );
  });

  it('does not escalate a step done in time, but escalates the next missed one', async () => {
    const parent = await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id });
    const now = environment.clock.now();
    const alert = await makeAlert(dataSource, parent, {
      severity: 'high',
      createdAt: now,
      acknowledgeDueAt: new Date(now.getTime() + HOUR),
      contactDueAt: new Date(now.getTime() + 10 * HOUR),
      acknowledgedAt: new Date(now.getTime() + 30 * 60_000),
    });
    const deadlines = worker.get(AlertDeadlineService);
    environment.clock.advance(2 * HOUR);
    expect(await deadlines.check(alert.id)).toBe('not_due');
    environment.clock.advance(9 * HOUR);
    expect(await deadlines.check(alert.id)).toBe('escalated');
    const [event] = await dataSource
      .getRepository(FollowUpEventEntity)
      .findBy({ alertId: alert.id, type: 'escalated' });
    expect(event!.payload).toMatchObject({ step: 'contact' });
  });

  it('reconciler: restores lost deadline jobs and escalates alerts whose job vanished past the deadline', async () => {
    const deadlines = worker.get(AlertDeadlineService);
    const alerts = queue(api, 'alerts');
    const now = environment.clock.now();
    const pending = await makeAlert(
      dataSource,
      await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id }),
      {
        createdAt: now,
        acknowledgeDueAt: new Date(now.getTime() + 10 * 60_000),
        contactDueAt: new Date(now.getTime() + 120 * HOUR),
      },
    );
    const late = await makeAlert(
      dataSource,
      await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id }),
      {
        createdAt: new Date(now.getTime() - 100 * HOUR),
        acknowledgeDueAt: new Date(now.getTime() - 52 * HOUR),
        contactDueAt: new Date(now.getTime() + 20 * HOUR),
      },
    );
    const far = await makeAlert(
      dataSource,
      await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id }),
      {
        createdAt: now,
        acknowledgeDueAt: new Date(now.getTime() + 48 * HOUR),
        contactDueAt: new Date(now.getTime() + 120 * HOUR),
      },
    );
    const closed = await makeAlert(
      dataSource,
      await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id }),
      {
        status: 'closed',
        createdAt: new Date(now.getTime() - 100 * HOUR),
        acknowledgeDueAt: new Date(now.getTime() - 52 * HOUR),
        contactDueAt: new Date(now.getTime() - 20 * HOUR),
      },
    );
    // No job exists for any of them (rows written straight to Postgres, as if Redis had lost them).
    expect(await alerts.getJob(`alert-${pending.id}-${pending.acknowledgeDueAt.getTime()}`)).toBeUndefined();

    const result = await deadlines.reconcile();
    expect(result.escalated).toBeGreaterThanOrEqual(1);
    expect(await alerts.getJob(`alert-${pending.id}-${pending.acknowledgeDueAt.getTime()}`)).toBeDefined();
    expect(await alerts.getJob(`alert-${pending.id}-${pending.contactDueAt.getTime()}`)).toBeDefined();
    // Far deadlines wait for a later pass: no Redis work for them yet.
    expect(await alerts.getJob(`alert-${far.id}-${far.acknowledgeDueAt.getTime()}`)).toBeUndefined();
    expect(
      (await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: late.id })).escalatedAt,
    ).not.toBeNull();
    expect(
      (await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: pending.id })).escalatedAt,
    ).toBeNull();
    expect(
      (await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: closed.id })).escalatedAt,
    ).toBeNull();

    // Running it again changes nothing and duplicates no job.
    const delayedBefore = (await alerts.getDelayed()).length;
    const again = await deadlines.reconcile();
    expect(again.escalated).toBe(0);
    expect((await alerts.getDelayed()).length).toBe(delayedBefore);
    expect(
      await dataSource.getRepository(FollowUpEventEntity).countBy({ alertId: late.id, type: 'escalated' }),
    ).toBe(1);
    await waitUntil(() => mailsTo('cadre@pmi62.test', late.id).length === 1);
  });

  describe('non-response', () => {
    it('expires unanswered invitations and opens LOW "no answer" tasks for the referent, per wave setting, once', async () => {
      const now = environment.clock.now();
      const parentOf = () =>
        makeAlertParent(dataSource, environment.config, {
          organisationId: organisation.id,
          referentUserId: referent.id,
        });
      const day7 = await makeInvitation(dataSource, await parentOf(), {
        wave: 'day7',
        status: 'sent',
        expiresAt: new Date(now.getTime() - 60_000),
      });
      const day42 = await makeInvitation(dataSource, await parentOf(), {
        wave: 'day42',
        status: 'sent',
        expiresAt: new Date(now.getTime() - 60_000),
      });
      const adhoc = await makeInvitation(dataSource, await parentOf(), {
        wave: 'adhoc',
        status: 'opened',
        expiresAt: new Date(now.getTime() - 60_000),
      });
      const later = await makeInvitation(dataSource, await parentOf(), {
        wave: 'day7',
        status: 'sent',
        expiresAt: new Date(now.getTime() + HOUR),
      });
      const answered = await makeInvitation(dataSource, await parentOf(), {
        wave: 'day7',
        status: 'completed',
        expiresAt: new Date(now.getTime() - 60_000),
      });
      const worried = await parentOf();
      const open = await makeAlert(dataSource, worried, {
        severity: 'moderate',
        reasons: ['moderate_score'],
        createdAt: now,
      });
      const worriedInvitation = await makeInvitation(dataSource, worried, {
        wave: 'day7',
        status: 'sent',
        expiresAt: new Date(now.getTime() - 60_000),
      });

      const sweep = worker.get(InvitationExpiryService);
      const first = await sweep.sweep();
      expect(first).toEqual({ expired: 4, tasks: 3 });

      const statusOf = async (id: string) =>
        (await dataSource.getRepository(InvitationEntity).findOneByOrFail({ id })).status;
      expect(await statusOf(day7.id)).toBe('expired');
      expect(await statusOf(day42.id)).toBe('expired');
      expect(await statusOf(adhoc.id)).toBe('expired');
      expect(await statusOf(later.id)).toBe('sent');
      expect(await statusOf(answered.id)).toBe('completed');

      const task = await openAlertOf(dataSource, day7.parentId);
      expect(task).toMatchObject({
        severity: 'low',
        severityRank: 3,
        reasons: ['no_response'],
        assigneeId: referent.id,
        status: 'open',
      });
      const low = DEFAULT_ORGANISATION_SETTINGS.deadlines.low;
      expect(task!.acknowledgeDueAt.getTime() - now.getTime()).toBe(low.acknowledgeHours * HOUR);
      expect(task!.contactDueAt.getTime() - now.getTime()).toBe((low.contactHours ?? 0) * HOUR);
      const [created] = await dataSource.getRepository(FollowUpEventEntity).findBy({ alertId: task!.id });
      expect(created).toMatchObject({
        type: 'created',
        payload: { invitationId: day7.id, wave: 'day7', severity: 'low' },
      });
      expect(await openAlertOf(dataSource, day42.parentId)).toBeNull();
      expect(await openAlertOf(dataSource, adhoc.parentId)).toMatchObject({
        severity: 'low',
        reasons: ['no_response'],
      });

      const merged = await openAlertOf(dataSource, worried.id);
      expect(merged).toMatchObject({
        id: open.id,
        severity: 'moderate',
        reasons: ['moderate_score', 'no_response'],
      });
      const mergeEvent = await dataSource
        .getRepository(FollowUpEventEntity)
        .findOneByOrFail({ alertId: open.id, type: 'no_response' });
      expect(mergeEvent.payload).toMatchObject({ invitationId: worriedInvitation.id });

      // Idempotent.
      expect(await sweep.sweep()).toEqual({ expired: 0, tasks: 0 });
      expect(await dataSource.getRepository(AlertEntity).countBy({ parentId: day7.parentId })).toBe(1);

      // Time passes: the later one expires, through the queue's job this time.
      environment.clock.advance(2 * HOUR);
      await queue(api, 'alerts').add('alerts.expire-invitations', {});
      await waitUntil(async () => (await statusOf(later.id)) === 'expired');
      await waitUntil(async () => (await openAlertOf(dataSource, later.parentId)) !== null);
      expect(await openAlertOf(dataSource, later.parentId)).toMatchObject({
        severity: 'low',
        reasons: ['no_response'],
      });
    });
  });
});
