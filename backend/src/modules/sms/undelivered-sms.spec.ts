import request from 'supertest';
import type { ParentDetail } from '@lien/shared';
import { enrolmentBody, RunningClock } from '../../testing/parents-factories.js';
import {
  DAY7,
  makeSignedInProfessional,
  START,
  startQuietTwilioStack,
} from '../../testing/jest/sms-stack.js';
import { stopTwilioStack, type TwilioStack } from '../../testing/test-app.js';
import { smsFailureReason } from '../alerts/undelivered-sms.js';
import type { UserEntity } from '../users/user.entity.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import { waitFor } from '../../testing/wait-for.js';

jest.setTimeout(120_000);

interface AlertRow {
  id: string;
  status: string;
  severity: string;
  reasons: string[];
  assignee_id: string | null;
  closed_at: Date | null;
}
interface EventRow {
  type: string;
  payload: Record<string, unknown>;
}

describe('plain reasons of provider error codes', () => {
  it('maps the common Twilio codes and falls back to "other"', () => {
    expect(smsFailureReason('30003')).toBe('unreachable');
    expect(smsFailureReason('30005')).toBe('unknown_number');
    expect(smsFailureReason('30006')).toBe('landline');
    expect(smsFailureReason('21211')).toBe('invalid_number');
    expect(smsFailureReason('21614')).toBe('not_mobile');
    expect(smsFailureReason('30008')).toBe('other');
    expect(smsFailureReason(null)).toBe('other');
  });
});

describe('an invitation SMS that did not arrive is a "check the number" task', () => {
  let { fake, environment, api, worker, dataSource } = {} as TwilioStack;
  let professional: UserEntity;
  let token: string;
  let phoneCounter = 0;
  const clock = new RunningClock(START);
  const nextPhone = (): string => `+3375622${String((phoneCounter += 1)).padStart(4, '0')}`;

  beforeAll(async () => {
    ({ fake, environment, api, worker, dataSource } = await startQuietTwilioStack(clock, {
      SMS_RETRY_BASE_MS: '20',
    }));
    ({ professional, token } = await makeSignedInProfessional(
      { dataSource, environment },
      { reminders: { count: 2, afterHours: 48 } },
    ));
  });
  afterAll(() => stopTwilioStack({ fake, environment, api, worker }));
  beforeEach(() => clock.set(START));

  const enrol = async (): Promise<ParentDetail & { phone: string; day7Sms: string }> => {
    const phone = nextPhone();
    const response = await request(api.getHttpServer())
      .post('/api/parents')
      .set('Authorization', `Bearer ${token}`)
      .send(enrolmentBody('Léa', 'Petit', phone))
      .expect(201);
    const parent = response.body as ParentDetail;
    return { ...parent, phone, day7Sms: parent.invitations[0]!.sms[0]!.id };
  };
  const correctPhone = async (parentId: string, phone: string): Promise<void> => {
    await request(api.getHttpServer())
      .patch(`/api/parents/${parentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ phone })
      .expect(200);
  };
  const alertsOf = (parentId: string): Promise<AlertRow[]> =>
    dataSource.query<AlertRow[]>(
      `SELECT id, status, severity, reasons, assignee_id, closed_at FROM alerts WHERE parent_id = $1`,
      [parentId],
    );
  const eventsOf = (alertId: string): Promise<EventRow[]> =>
    dataSource.query<EventRow[]>(
      `SELECT type, payload FROM follow_up_events WHERE alert_id = $1 ORDER BY created_at, type`,
      [alertId],
    );
  const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);
  const send = async (smsId: string): Promise<void> => {
    clock.set(DAY7);
    await worker.get(SmsDeliveryService).process(smsId);
  };

  it('opens the task at the "undelivered" callback, once; correcting the number sends again and resolves it', async () => {
    const parent = await enrol();
    await send(parent.day7Sms);
    const [message] = sentTo(parent.phone);
    expect(message).toBeDefined();
    expect(await alertsOf(parent.id)).toHaveLength(0);

    const delivery = await fake.sendStatusCallback(message!.sid, 'undelivered', 30005);
    expect(delivery?.responseStatus).toBe(204);
    const [alert, ...others] = await alertsOf(parent.id);
    expect(others).toHaveLength(0);
    expect(alert).toMatchObject({
      status: 'open',
      severity: 'low',
      reasons: ['sms_undelivered'],
      assignee_id: professional.id,
    });
    const [created] = await eventsOf(alert!.id);
    expect(created).toMatchObject({
      type: 'created',
      payload: {
        smsMessageId: parent.day7Sms,
        invitationId: parent.invitations[0]!.id,
        errorCode: '30005',
        deliveryReason: 'unknown_number',
      },
    });
    // No phone number in what the task records.
    expect(JSON.stringify(created!.payload)).not.toContain(parent.phone.slice(3));

    // Replays (the same callback, and a later "failed") open nothing more.
    for (const [status, code] of [
      ['undelivered', 30005],
      ['undelivered', 30005],
      ['failed', 30003],
    ] as const) {
      expect((await fake.sendStatusCallback(message!.sid, status, code))?.responseStatus).toBe(204);
    }
    expect(await alertsOf(parent.id)).toHaveLength(1);
    expect(await eventsOf(alert!.id)).toHaveLength(1);

    // The referent corrects the number: the invitation goes again, to the new number, and the task is done.
    const corrected = nextPhone();
    await correctPhone(parent.id, corrected);
    const [resent] = await waitFor('the invitation at the corrected number', () => {
      const found = sentTo(corrected);
      return found.length === 1 && found;
    });
    expect(resent!.body).toMatch(/\/q\/[A-Za-z0-9_-]{22}$/);
    const [resolved] = await alertsOf(parent.id);
    expect(resolved).toMatchObject({ status: 'closed', reasons: ['sms_undelivered'] });
    expect((await eventsOf(alert!.id)).map((event) => event.type)).toEqual(['created', 'sms_resolved']);
    const invitationSms = await dataSource.query<Array<{ id: string; status: string }>>(
      `SELECT id, status FROM sms_messages WHERE invitation_id = $1 AND kind = 'invitation' ORDER BY created_at`,
      [parent.invitations[0]!.id],
    );
    expect(invitationSms).toHaveLength(2);
    expect(invitationSms[0]!.status).toBe('undelivered');
    await waitFor('the new SMS accepted', async () => {
      const [row] = await dataSource.query<Array<{ status: string }>>(
        `SELECT status FROM sms_messages WHERE id = $1`,
        [invitationSms[1]!.id],
      );
      return row?.status === 'queued';
    });
    const [invitation] = await dataSource.query<Array<{ status: string; expires_at: Date }>>(
      `SELECT status, expires_at FROM invitations WHERE id = $1`,
      [parent.invitations[0]!.id],
    );
    expect(invitation!.status).toBe('sent');
    // A full validity from the new send.
    expect(new Date(invitation!.expires_at).getTime()).toBeGreaterThan(DAY7.getTime() + 6 * 86_400_000);

    // A late replay of the old message's callback, and a second correction, change nothing more.
    await fake.sendStatusCallback(message!.sid, 'undelivered', 30005);
    await correctPhone(parent.id, nextPhone());
    expect(await alertsOf(parent.id)).toHaveLength(1);
    expect(
      await dataSource.query(`SELECT id FROM sms_messages WHERE invitation_id = $1 AND kind = 'invitation'`, [
        parent.invitations[0]!.id,
      ]),
    ).toHaveLength(2);
  });

  it('opens the task when the provider refuses the number for good, and sends again once corrected', async () => {
    const parent = await enrol();
    fake.rejectTo(parent.phone, 21614);
    await send(parent.day7Sms);
    expect(sentTo(parent.phone)).toHaveLength(0);
    const [alert] = await alertsOf(parent.id);
    expect(alert).toMatchObject({ status: 'open', reasons: ['sms_undelivered'] });
    expect((await eventsOf(alert!.id))[0]!.payload).toMatchObject({
      errorCode: '21614',
      deliveryReason: 'not_mobile',
    });
    // Processing the failed row again opens nothing more.
    await worker.get(SmsDeliveryService).process(parent.day7Sms);
    expect(await eventsOf(alert!.id)).toHaveLength(1);

    const corrected = nextPhone();
    await correctPhone(parent.id, corrected);
    await waitFor('the invitation at the corrected number', () => sentTo(corrected).length === 1);
    expect((await alertsOf(parent.id))[0]!.status).toBe('closed');
  });

  it('adds the reason to an open alert, and a correction takes only that reason off', async () => {
    const parent = await enrol();
    const inserted = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO alerts (organisation_id, parent_id, severity, severity_rank, reasons, status, assignee_id,
                           acknowledge_due_at, contact_due_at)
       SELECT organisation_id, id, 'high', 1, '{high_score}', 'open', referent_user_id, now(), now()
         FROM parents WHERE id = $1 RETURNING id`,
      [parent.id],
    );
    const alertId = inserted[0]!.id;
    await send(parent.day7Sms);
    await fake.sendStatusCallback(sentTo(parent.phone)[0]!.sid, 'failed', 30003);
    const [merged] = await alertsOf(parent.id);
    expect(merged).toMatchObject({
      id: alertId,
      severity: 'high',
      reasons: ['high_score', 'sms_undelivered'],
    });
    expect((await eventsOf(alertId)).map((event) => [event.type, event.payload['deliveryReason']])).toEqual([
      ['sms_undelivered', 'unreachable'],
    ]);
    await correctPhone(parent.id, nextPhone());
    const [after] = await alertsOf(parent.id);
    expect(after).toMatchObject({ status: 'open', reasons: ['high_score'] });
  });

  it('opens no task for a delivered SMS nor for an unsubscribed number (21610)', async () => {
    const delivered = await enrol();
    await send(delivered.day7Sms);
    await fake.sendStatusCallback(sentTo(delivered.phone)[0]!.sid, 'delivered');
    const stopped = await enrol();
    fake.rejectTo(stopped.phone, 21610);
    await send(stopped.day7Sms);
    expect(await alertsOf(delivered.id)).toHaveLength(0);
    expect(await alertsOf(stopped.id)).toHaveLength(0);
  });
});
