import request from 'supertest';
import { makeOrganisation } from '../../testing/factories.js';
import { makeDueSmsBatch, RunningClock } from '../../testing/parents-factories.js';
import {
  answerThroughLink,
  parentStatusOf,
  START,
  startQuietTwilioStack,
  textFromPhone,
} from '../../testing/jest/sms-stack.js';
import { stopTwilioStack, type TwilioStack } from '../../testing/test-app.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { SmsQueueService } from './sms-queue.service.js';
import type { SmsStatusChange } from './sms-message.entity.js';
import { linkTokenIn, scrubPhoneNumbers } from './sms-text.js';
import { waitFor } from '../../testing/wait-for.js';

jest.setTimeout(90_000);

describe('scrubPhoneNumbers', () => {
  it('masks E.164, international and national numbers, and keeps error codes', () => {
    expect(scrubPhoneNumbers("Invalid 'To' Phone Number: +33612345678 (21211)")).toBe(
      "Invalid 'To' Phone Number: [phone] (21211)",
    );
    expect(
      scrubPhoneNumbers('to 06 12 34 56 78, 06.12.34.56.78, 0033612345678 or +33 (0)6-12-34-56-78'),
    ).toBe('to [phone], [phone], [phone] or [phone]');
    expect(scrubPhoneNumbers('See https://www.twilio.com/docs/errors/21610')).toBe(
      'See https://www.twilio.com/docs/errors/21610',
    );
  });
});

/**
 * A claimed SMS waits for a send place (one send at a time here, and the provider answers the send ahead of it
 * slowly): a STOP or an answer received meanwhile must stop it before the provider call.
 */
describe('a claimed SMS is checked again right before the provider call', () => {
  let { fake, environment, api, worker, dataSource, publicBaseUrl } = {} as TwilioStack;
  let organisation: OrganisationEntity;
  const clock = new RunningClock(START);

  beforeAll(async () => {
    ({ fake, environment, api, worker, dataSource, publicBaseUrl } = await startQuietTwilioStack(clock, {
      SMS_WORKER_CONCURRENCY: '1',
      SMS_SEND_TIMEOUT_MS: '10000',
      SMS_WORKER_LOCK_MS: '20000',
    }));
    organisation = await makeOrganisation(dataSource, {
      settings: { reminders: { count: 0, afterHours: 48 } },
    });
  });
  afterAll(() => stopTwilioStack({ fake, environment, api, worker }));
  beforeEach(() => clock.set(START));

  const statusOf = async (id: string): Promise<{ status: string; error_code: string | null }> =>
    (
      await dataSource.query<Array<{ status: string; error_code: string | null }>>(
        `SELECT status, error_code FROM sms_messages WHERE id = $1`,
        [id],
      )
    )[0]!;
  const enqueue = (ids: string[]) =>
    worker.get(SmsQueueService).enqueue(ids.map((id) => ({ id, dueAt: clock.now() })));
  /** A due SMS sent now and accepted by the provider. */
  const acceptedSms = async (what: string) => {
    const [sms] = await makeDueSmsBatch(dataSource, environment.config, organisation, 1, clock.now());
    await enqueue([sms!.smsId]);
    await waitFor(what, async () => (await statusOf(sms!.smsId)).status === 'queued');
    return sms!;
  };

  /** Sends a blocker whose provider answer takes `ms`, then enqueues `id`, and resolves once `id` is claimed. */
  const claimBehindSlowSend = async (id: string, ms: number): Promise<string> => {
    const [blocker] = await makeDueSmsBatch(dataSource, environment.config, organisation, 1, clock.now());
    fake.delayNext(1, ms);
    const before = fake.requests.length;
    await enqueue([blocker!.smsId]);
    await waitFor('the slow send under way', () =>
      Promise.resolve(fake.requests.slice(before).some((r) => r.method === 'POST' && r.respondedAt === null)),
    );
    await enqueue([id]);
    await waitFor('the row claimed and waiting', async () => (await statusOf(id)).status === 'sending');
    return blocker!.smsId;
  };

  it('a STOP received (signed inbound webhook) while the claimed SMS waited cancels the send', async () => {
    const [target] = await makeDueSmsBatch(dataSource, environment.config, organisation, 1, clock.now());
    const blocker = await claimBehindSlowSend(target!.smsId, 1_500);

    const stop = await textFromPhone({ fake, publicBaseUrl }, target!.phone, 'STOP');
    expect(stop.responseStatus).toBe(200);

    await waitFor('the blocker accepted', async () => (await statusOf(blocker)).status === 'queued');
    await waitFor('the target decided', async () => (await statusOf(target!.smsId)).status !== 'sending');
    expect(await statusOf(target!.smsId)).toEqual({ status: 'cancelled', error_code: 'parent_opted_out' });
    expect(fake.messages.filter((m) => m.to === target!.phone)).toEqual([]);
    const [{ links }] = await dataSource.query<[{ links: number }]>(
      `SELECT count(*)::int AS links FROM invitation_links WHERE sms_message_id = $1`,
      [target!.smsId],
    );
    expect(links).toBe(0);
  });

  it('an answer received while a claimed reminder waited cancels the reminder', async () => {
    // The invitation SMS goes out normally; the parent has its link.
    const first = await acceptedSms('the invitation accepted');
    const token = linkTokenIn(fake.messages.find((m) => m.to === first.phone)!.body);
    expect(token).not.toBeNull();
    // Its reminder is due now, and gets claimed behind a slow send.
    const [reminder] = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at)
       VALUES ($1, $2, $3, 'reminder', $4) RETURNING id`,
      [organisation.id, first.parentId, first.invitationId, clock.now()],
    );
    const blocker = await claimBehindSlowSend(reminder!.id, 1_500);

    // The parent answers (the questionnaire's real path) while the reminder waits.
    await answerThroughLink(api, token!);

    await waitFor('the blocker accepted', async () => (await statusOf(blocker)).status === 'queued');
    await waitFor('the reminder decided', async () => (await statusOf(reminder!.id)).status !== 'sending');
    expect(await statusOf(reminder!.id)).toEqual({ status: 'cancelled', error_code: 'invitation_completed' });
    expect(fake.messages.filter((m) => m.to === first.phone)).toHaveLength(1);
  });
  it('stores provider error texts without the phone number (E.164 and national formats)', async () => {
    const [rejected, refused] = await makeDueSmsBatch(
      dataSource,
      environment.config,
      organisation,
      2,
      clock.now(),
    );
    fake.rejectTo(rejected!.phone, 21211); // the fake names the number, as Twilio does
    await enqueue([rejected!.smsId]);
    await waitFor('the rejection', async () => (await statusOf(rejected!.smsId)).status === 'failed');
    const national = `0${refused!.phone.slice(3, 4)} ${refused!.phone.slice(4, 6)} ${refused!.phone.slice(6, 8)} ${refused!.phone.slice(8, 10)} ${refused!.phone.slice(10)}`;
    fake.failNext(1, {
      status: 400,
      code: 21612,
      message: `Cannot route to ${national} (${refused!.phone})`,
    });
    await enqueue([refused!.smsId]);
    await waitFor('the refusal', async () => (await statusOf(refused!.smsId)).status === 'failed');

    const rows = await dataSource.query<Array<{ id: string; error_message: string }>>(
      `SELECT id, error_message FROM sms_messages WHERE id = ANY($1::uuid[])`,
      [[rejected!.smsId, refused!.smsId]],
    );
    const byId = new Map(rows.map((row) => [row.id, row.error_message]));
    expect(fake.requests.some((r) => r.fault === 'rejectTo' && r.params.To === rejected!.phone)).toBe(true);
    expect(byId.get(rejected!.smsId)).toBe("Invalid 'To' Phone Number: [phone]");
    expect(byId.get(refused!.smsId)).toBe('Cannot route to [phone] ([phone])');
    for (const text of byId.values()) expect(text).not.toMatch(/\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}/);
  });

  it('a replayed inbound START (same MessageSid) after a later STOP does not re-subscribe', async () => {
    const [parent] = await makeDueSmsBatch(
      dataSource,
      environment.config,
      organisation,
      1,
      new Date(clock.now().getTime() + 86_400_000),
    );
    const parentStatus = (): Promise<string> => parentStatusOf(dataSource, parent!.parentId);
    const say = (body: string) => textFromPhone({ fake, publicBaseUrl }, parent!.phone, body);

    await say('STOP');
    expect(await parentStatus()).toBe('opted_out');
    const start = await say('START');
    expect(await parentStatus()).toBe('active');
    await say('STOP');
    expect(await parentStatus()).toBe('opted_out');

    // The same signed request again (a retry, or a copy kept by someone): accepted, and nothing changes.
    const replay = await request(api.getHttpServer())
      .post(new URL(start.url).pathname)
      .set('X-Twilio-Signature', start.signature)
      .type('form')
      .send({ ...start.params })
      .expect(200);
    expect(replay.text).toContain('<Response></Response>');
    expect(await parentStatus()).toBe('opted_out');
    const [{ optIns }] = await dataSource.query<[{ optIns: number }]>(
      `SELECT count(*)::int AS "optIns" FROM audit_events WHERE action = 'parent.opt_in' AND target_id = $1`,
      [parent!.parentId],
    );
    expect(optIns).toBe(1);
  });

  it('a replayed status callback changes nothing and never moves a status back', async () => {
    const target = await acceptedSms('the acceptance');
    const sid = fake.messages.find((m) => m.to === target.phone)!.sid;
    const sent = await fake.sendStatusCallback(sid, 'sent');
    const delivered = await fake.sendStatusCallback(sid, 'delivered');
    expect(sent?.responseStatus).toBe(204);
    expect(delivered?.responseStatus).toBe(204);
    const history = async (): Promise<SmsStatusChange[]> =>
      (
        await dataSource.query<Array<{ status_history: SmsStatusChange[] }>>(
          `SELECT status_history FROM sms_messages WHERE id = $1`,
          [target.smsId],
        )
      )[0]!.status_history;
    const before = await history();

    for (const delivery of [sent!, delivered!, sent!]) {
      const url = new URL(delivery.url);
      await request(api.getHttpServer())
        .post(url.pathname + url.search)
        .set('X-Twilio-Signature', delivery.signature)
        .type('form')
        .send({ ...delivery.params })
        .expect(204);
    }
    expect((await statusOf(target.smsId)).status).toBe('delivered');
    expect(await history()).toEqual(before);
  });
});
