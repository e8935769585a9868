import { DEFAULT_ORGANISATION_SETTINGS, type InvitationStatus } from '@lien/shared';
import { queue } from '../../testing/test-app.js';
import { auditCount, makeOrganisation, makeUser, signInNewUser } from '../../testing/factories.js';
import {
  answersForPoints,
  mailText,
  makeAlert,
  makeAlertParent,
  makeInvitation,
  openAlertOf,
  pointsFor,
  stopMailStack,
} from '../../testing/alerts-factories.js';
import { answerAsParent, startOnCallMailStack, type OnCallMailStack } from '../../testing/alerts-spec.js';
import { signedBy } from '../../testing/api-spec.js';
import { waitFor } from '../../testing/wait-for.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { AlertEntity } from './alert.entity.js';
import { AlertDeadlineService } from './alert-deadline.service.js';
import { FollowUpEventEntity } from './follow-up-event.entity.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';

const HOUR = 3_600_000;

describe('alert deadlines, escalation and non-response (injected clock, real queue and SMTP)', () => {
  let { smtp, environment, api, worker, dataSource, organisation, referent } = {} as OnCallMailStack;

  beforeAll(async () => {
    ({ smtp, environment, api, worker, dataSource, organisation, referent } = await startOnCallMailStack({
      waves: [
        { key: 'day7', offsetDays: 7, windowStartDay: 0, windowEndDay: 14, noResponseTask: true },
        { key: 'day42', offsetDays: 42, windowStartDay: 35, windowEndDay: 56, noResponseTask: false },
      ],
    }));
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
    const answered = await answerAsParent(api, organisation, answersForPoints(pointsFor(6, { 10: 2 })), {
      referentUserId: referent.id,
    });
    const alert = answered.alert!;
    expect(alert.severity).toBe('urgent');
    const alerts = queue(api, 'alerts');
    const ackJob = await alerts.getJob(`alert-${alert.id}-${alert.acknowledgeDueAt.getTime()}`);
    expect(ackJob).toBeDefined();
    expect(await ackJob!.isDelayed()).toBe(true);

    // Before the deadline the job does nothing.
    expect(await worker.get(AlertDeadlineService).check(alert.id)).toBe('not_due');

    environment.clock.advance(4 * HOUR + 60_000);
    await ackJob!.promote();
    await waitFor(
      'the escalation',
      async () =>
        (await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: alert.id })).escalatedAt !== null,
    );
    await waitFor('the escalation email', () => mailsTo('cadre@pmi62.test', alert.id).length === 1);

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
    expect(await auditCount(dataSource, { action: 'alert.escalate', targetId: alert.id })).toBe(1);

    const token = await signInNewUser(dataSource, environment.config, { organisationId: organisation.id });
    const overdue = await signedBy(api, token).get('/api/alerts?overdue=true').expect(200);
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

  /** An alert with these fields on a new parent of the organisation, written straight to Postgres (no job). */
  const alertOfNewParent = async (fields: Parameters<typeof makeAlert>[2]) =>
    makeAlert(
      dataSource,
      await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id }),
      fields,
    );

  it('reconciler: restores lost deadline jobs and escalates alerts whose job vanished past the deadline', async () => {
    const deadlines = worker.get(AlertDeadlineService);
    const alerts = queue(api, 'alerts');
    const now = environment.clock.now();
    const pending = await alertOfNewParent({
      createdAt: now,
      acknowledgeDueAt: new Date(now.getTime() + 10 * 60_000),
      contactDueAt: new Date(now.getTime() + 120 * HOUR),
    });
    const late = await alertOfNewParent({
      createdAt: new Date(now.getTime() - 100 * HOUR),
      acknowledgeDueAt: new Date(now.getTime() - 52 * HOUR),
      contactDueAt: new Date(now.getTime() + 20 * HOUR),
    });
    const far = await alertOfNewParent({
      createdAt: now,
      acknowledgeDueAt: new Date(now.getTime() + 48 * HOUR),
      contactDueAt: new Date(now.getTime() + 120 * HOUR),
    });
    const closed = await alertOfNewParent({
      status: 'closed',
      createdAt: new Date(now.getTime() - 100 * HOUR),
      acknowledgeDueAt: new Date(now.getTime() - 52 * HOUR),
      contactDueAt: new Date(now.getTime() - 20 * HOUR),
    });
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
    await waitFor(
      'the late alert’s escalation email',
      () => mailsTo('cadre@pmi62.test', late.id).length === 1,
    );
  });

  describe('non-response', () => {
    it('expires unanswered invitations and opens LOW "no answer" tasks for the referent, per wave setting, once', async () => {
      const now = environment.clock.now();
      const parentOf = () =>
        makeAlertParent(dataSource, environment.config, {
          organisationId: organisation.id,
          referentUserId: referent.id,
        });
      /** An invitation of a new parent, in `wave` and `status`, whose link expired a minute ago unless told. */
      const invitationOf = async (
        wave: string,
        status: InvitationStatus,
        expiresAt = new Date(now.getTime() - 60_000),
      ) => makeInvitation(dataSource, await parentOf(), { wave, status, expiresAt });
      const day7 = await invitationOf('day7', 'sent');
      const day42 = await invitationOf('day42', 'sent');
      const adhoc = await invitationOf('adhoc', 'opened');
      const later = await invitationOf('day7', 'sent', new Date(now.getTime() + HOUR));
      const answered = await invitationOf('day7', 'completed');
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
      await waitFor('the later invitation to expire', async () => (await statusOf(later.id)) === 'expired');
      await waitFor(
        'its no-answer task',
        async () => (await openAlertOf(dataSource, later.parentId)) !== null,
      );
      expect(await openAlertOf(dataSource, later.parentId)).toMatchObject({
        severity: 'low',
        reasons: ['no_response'],
      });
    });
  });
});
