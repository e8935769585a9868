import { Redis } from 'ioredis';
import request from 'supertest';
import type { ParentDetail } from '@lien/shared';
import { hashToken } from '../../common/crypto/field-encryption.service.js';
import { signTwilioRequest } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import { enrolmentBody, makeDueSmsBatch, RunningClock } from '../../testing/parents-factories.js';
import {
  DAY7,
  answerThroughLink,
  FAST_SMS_ENV,
  makeSignedInProfessional,
  parentStatusOf,
  START,
  startQuietTwilioStack,
  textFromPhone,
} from '../../testing/jest/sms-stack.js';
import { queue, stopTwilioStack, type TwilioStack } from '../../testing/test-app.js';
import { TEST_REDIS_URL } from '../../testing/test-database.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import type { SmsStatusChange } from './sms-message.entity.js';
import { SmsQueueService } from './sms-queue.service.js';
import { SmsReconciler } from './sms-reconciler.service.js';
import { linkTokenIn } from './sms-text.js';
import { waitFor } from '../../testing/wait-for.js';

jest.setTimeout(120_000);

interface SmsRow {
  id: string;
  kind: string;
  status: string;
  due_at: Date;
  deferred_from: Date | null;
  provider_sid: string | null;
  attempts: number;
  status_history: SmsStatusChange[];
  segments: number | null;
  encoding: string | null;
}

describe('SMS pipeline against the fake Twilio (real Postgres, Redis, worker)', () => {
  let { fake, environment, api, worker, dataSource, publicBaseUrl } = {} as TwilioStack;
  let token: string;
  let phoneCounter = 0;
  const clock = new RunningClock(START);
  const nextPhone = (): string => `+3375611${String((phoneCounter += 1)).padStart(4, '0')}`;

  beforeAll(async () => {
    ({ fake, environment, api, worker, dataSource, publicBaseUrl } = await startQuietTwilioStack(clock, {
      ...FAST_SMS_ENV,
      SMS_RETRY_BASE_MS: '20',
      SMS_UNKNOWN_GRACE_MS: '1500',
      SMS_WORKER_LOCK_MS: '5000',
    }));
    ({ token } = await makeSignedInProfessional(
      { dataSource, environment },
      { reminders: { count: 2, afterHours: 48 } },
    ));
  });
  afterAll(() => stopTwilioStack({ fake, environment, api, worker }));
  beforeEach(() => clock.set(START));

  const enrol = async (
    overrides: Record<string, unknown> = {},
    bearer = token,
  ): Promise<ParentDetail & { smsIds: string[] }> => {
    const response = await request(api.getHttpServer())
      .post('/api/parents')
      .set('Authorization', `Bearer ${bearer}`)
      .send(enrolmentBody('Léa', 'Petit', nextPhone(), overrides))
      .expect(201);
    const parent = response.body as ParentDetail;
    return { ...parent, smsIds: parent.invitations.flatMap((i) => i.sms.map((s) => s.id)) };
  };
  const smsOf = async (parentId: string): Promise<SmsRow[]> =>
    await dataSource.query<SmsRow[]>(
      `SELECT * FROM sms_messages WHERE parent_id = $1 ORDER BY due_at, created_at`,
      [parentId],
    );
  const smsRow = async (id: string): Promise<SmsRow> =>
    (await dataSource.query<SmsRow[]>(`SELECT * FROM sms_messages WHERE id = $1`, [id]))[0]!;
  const remindersOf = async (parentId: string): Promise<SmsRow[]> =>
    (await smsOf(parentId)).filter((s) => s.kind === 'reminder');
  /** What the worker's job does with one SMS row now. */
  const deliver = (smsId: string) => worker.get(SmsDeliveryService).process(smsId);
  const reconcile = () => worker.get(SmsReconciler).reconcile();
  const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);

  it('sends the day-7 invitation at its time, not a second before, with the right body, sender and callback', async () => {
    const parent = await enrol();
    const day7Sms = parent.invitations[0]!.sms[0]!.id;

    clock.set(new Date(DAY7.getTime() - 10_000));
    expect(await deliver(day7Sms)).toMatchObject({
      kind: 'later',
      reason: 'not_due',
    });
    expect((await reconcile()).promoted).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sentTo(parent.phone)).toHaveLength(0);

    clock.set(DAY7);
    expect((await reconcile()).promoted).toBeGreaterThanOrEqual(1);
    const [message] = await waitFor(
      'the day-7 SMS at the fake',
      () => sentTo(parent.phone).length === 1 && sentTo(parent.phone),
    );
    expect(message!.from).toBe('Lien62');
    expect(message!.statusCallback).toBe(`${publicBaseUrl}/api/webhooks/twilio/status?m=${day7Sms}`);
    // "PMI Pas-de-Calais": the health word is taken out of the organisation's name.
    expect(message!.body).toMatch(
      new RegExp(
        `^Pas-de-Calais : bonjour, comment allez-vous \\? Quelques questions pour faire le point : ${publicBaseUrl}/q/[A-Za-z0-9_-]{22}$`,
      ),
    );
    const token = /\/q\/([A-Za-z0-9_-]+)$/.exec(message!.body)![1]!;
    const links = await dataSource.query<Array<{ sms_message_id: string }>>(
      `SELECT sms_message_id FROM invitation_links WHERE token_hash = $1`,
      [hashToken(token)],
    );
    expect(links).toEqual([{ sms_message_id: day7Sms }]);

    const row = await waitFor('the accepted row', async () => {
      const current = await smsRow(day7Sms);
      return current.provider_sid ? current : null;
    });
    expect(row).toMatchObject({
      status: 'queued',
      provider_sid: message!.sid,
      attempts: 1,
      segments: 1,
      encoding: 'GSM-7',
    });
    const [invitation] = await dataSource.query<
      Array<{
        status: string;
        sent_at: Date;
        expires_at: Date;
      }>
    >(`SELECT status, sent_at, expires_at FROM invitations WHERE id = $1`, [parent.invitations[0]!.id]);
    expect(invitation!.status).toBe('sent');
    expect(new Date(invitation!.expires_at).getTime() - new Date(invitation!.sent_at).getTime()).toBe(
      7 * 86_400_000,
    );
    // The first reminder is planned 48 h later (Saturday 10:00 Paris is allowed).
    const reminders = await remindersOf(parent.id);
    expect(reminders).toHaveLength(1);
    expect(new Date(reminders[0]!.due_at).getTime()).toBe(
      new Date(invitation!.sent_at).getTime() + 48 * 3_600_000,
    );

    // Status callbacks, signed by the fake: forward only, duplicates and late ones harmless.
    for (const status of ['sent', 'delivered', 'sent', 'delivered', 'queued'] as const) {
      const delivery = await fake.sendStatusCallback(message!.sid, status);
      expect(delivery?.responseStatus).toBe(204);
    }
    const final = await smsRow(day7Sms);
    expect(final.status).toBe('delivered');
    expect(final.status_history.map((change) => change.status)).toEqual([
      'sending',
      'queued',
      'sent',
      'delivered',
    ]);
    // Processing the job again changes nothing and sends nothing.
    expect(await deliver(day7Sms)).toEqual({
      kind: 'done',
      status: 'delivered',
    });
    expect(sentTo(parent.phone)).toHaveLength(1);
  });

  it('sends reminders with their own link, and stops them once the questionnaire is completed', async () => {
    const parent = await enrol();
    clock.set(DAY7);
    await reconcile();
    await waitFor('the invitation', () => sentTo(parent.phone).length === 1);
    const first = await waitFor('reminder 1 planned', async () => (await remindersOf(parent.id))[0]);

    clock.set(new Date(first.due_at));
    await reconcile();
    const messages = await waitFor(
      'reminder 1 at the fake',
      () => sentTo(parent.phone).length === 2 && sentTo(parent.phone),
    );
    expect(messages[1]!.body).toMatch(
      /^Pas-de-Calais : petit rappel, vos réponses nous aident à vous accompagner : http:\/\/127\.0\.0\.1:\d+\/q\/[A-Za-z0-9_-]{22}$/,
    );
    expect(messages[1]!.body).not.toBe(messages[0]!.body);
    expect(messages[1]!.encoding).toBe('GSM-7');
    const second = await waitFor('reminder 2 planned', async () => (await remindersOf(parent.id))[1]);
    const [{ reminders_sent }] = await dataSource.query<[{ reminders_sent: number }]>(
      `SELECT reminders_sent FROM invitations WHERE id = $1`,
      [parent.invitations[0]!.id],
    );
    expect(reminders_sent).toBe(1);

    // The parent answers through the link of the SMS received: the pending reminder is cancelled with it.
    const token = linkTokenIn(sentTo(parent.phone)[0]!.body)!;
    await answerThroughLink(worker, token);
    expect((await smsOf(parent.id)).find((s) => s.id === second.id)?.status).toBe('cancelled');
    clock.set(new Date(second.due_at));
    await reconcile();
    expect(await deliver(second.id)).toEqual({
      kind: 'done',
      status: 'cancelled',
    });
    expect(sentTo(parent.phone)).toHaveLength(2);
  });

  it('does not send a reminder of a completed invitation even if nobody cancelled it', async () => {
    const parent = await enrol();
    clock.set(DAY7);
    await reconcile();
    const reminder = await waitFor('reminder planned', async () => (await remindersOf(parent.id))[0]);
    await dataSource.query(`UPDATE invitations SET status = 'completed' WHERE id = $1`, [
      parent.invitations[0]!.id,
    ]);
    clock.set(new Date(reminder.due_at));
    await reconcile();
    await waitFor(
      'the reminder cancelled by the worker',
      async () => (await smsRow(reminder.id)).status === 'cancelled',
    );
    expect(sentTo(parent.phone)).toHaveLength(1);
  });

  it('defers a send that quiet hours now forbid, shows it deferred, and sends it at the new time', async () => {
    const org = await makeOrganisation(dataSource, { name: 'Maternité des Lilas', smsSender: 'Lilas' });
    const user = await makeUser(dataSource, { organisationId: org.id });
    const parent = await enrol({}, await signIn(dataSource, environment.config, user));
    // The organisation moves the start of sending to 11:00 after the plan was made.
    await dataSource.query(
      `UPDATE organisations SET settings = jsonb_set(settings, '{quietHours,start}', '"11:00"') WHERE id = $1`,
      [org.id],
    );
    clock.set(DAY7);
    const day7Sms = parent.invitations[0]!.sms[0]!.id;
    expect(await deliver(day7Sms)).toMatchObject({
      kind: 'later',
      reason: 'deferred',
    });
    const deferred = await smsRow(day7Sms);
    expect([
      deferred.status,
      new Date(deferred.due_at).toISOString(),
      new Date(deferred.deferred_from!).toISOString(),
    ]).toEqual(['pending', '2026-03-05T10:00:00.000Z', '2026-03-05T09:00:00.000Z']);
    const detail = (
      await request(api.getHttpServer())
        .get(`/api/parents/${parent.id}`)
        .set('Authorization', `Bearer ${await signIn(dataSource, environment.config, user)}`)
        .expect(200)
    ).body as ParentDetail;
    expect(detail.nextInvitation).toMatchObject({
      wave: 'day7',
      dueAt: '2026-03-05T10:00:00.000Z',
      deferredFrom: '2026-03-05T09:00:00.000Z',
    });
    expect(sentTo(parent.phone)).toHaveLength(0);

    clock.set(new Date('2026-03-05T10:00:00Z'));
    await reconcile();
    const [message] = await waitFor(
      'the deferred SMS',
      () => sentTo(parent.phone).length === 1 && sentTo(parent.phone),
    );
    expect(message!.from).toBe('Lilas');
    expect(message!.body.startsWith('Maternité des Lilas : bonjour')).toBe(true);
  });

  it('sends nothing to a withdrawn parent', async () => {
    const parent = await enrol();
    await request(api.getHttpServer())
      .post(`/api/parents/${parent.id}/withdraw`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    clock.set(new Date('2026-04-10T08:00:00Z'));
    await reconcile();
    for (const id of parent.smsIds) expect(await deliver(id)).toEqual({ kind: 'done', status: 'cancelled' });
    expect(sentTo(parent.phone)).toHaveLength(0);
  });

  it('honours STOP / ARRÊT from the parent’s phone, and START again', async () => {
    const parent = await enrol();
    const say = (body: string) => textFromPhone({ fake, publicBaseUrl }, parent.phone, body);
    const stop = await say(' Arrêt ');
    expect(stop.responseStatus).toBe(200);
    expect(stop.responseBody).toContain('<Response></Response>');
    expect(await parentStatusOf(dataSource, parent.id)).toBe('opted_out');
    expect((await smsOf(parent.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    const audits = await dataSource.query<
      Array<{
        actor_id: string | null;
      }>
    >(`SELECT actor_id FROM audit_events WHERE action = 'parent.opt_out' AND target_id = $1`, [parent.id]);
    expect(audits).toEqual([{ actor_id: null }]);
    clock.set(DAY7);
    await reconcile();
    expect(await deliver(parent.smsIds[0]!)).toEqual({
      kind: 'done',
      status: 'cancelled',
    });

    clock.set(START);
    const start = await say('START');
    expect(start.responseStatus).toBe(200);
    expect(await parentStatusOf(dataSource, parent.id)).toBe('active');
    expect((await smsOf(parent.id)).map((s) => s.status)).toEqual([
      'cancelled',
      'pending',
      'cancelled',
      'pending',
    ]);
    // Anything else is not a keyword.
    const chat = await say('stop sending me things please');
    expect(chat.responseStatus).toBe(200);
    expect(await parentStatusOf(dataSource, parent.id)).toBe('active');
  });

  it('rejects forged or unsigned webhooks with 403 JSON', async () => {
    const statusUrl = `${publicBaseUrl}/api/webhooks/twilio/status?m=00000000-0000-4000-8000-000000000000`;
    const params = { MessageSid: 'SM0123456789abcdef0123456789abcdef', MessageStatus: 'delivered' };
    const server = api.getHttpServer();
    const none = await request(server)
      .post('/api/webhooks/twilio/status')
      .type('form')
      .send(params)
      .expect(403);
    expect(none.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    await request(server)
      .post('/api/webhooks/twilio/status')
      .set('X-Twilio-Signature', 'bm90IGEgc2lnbmF0dXJl')
      .type('form')
      .send(params)
      .expect(403);
    // Signed with another token, or for another URL, or with a changed parameter.
    const wrongToken = signTwilioRequest('0'.repeat(32), statusUrl, params);
    await request(server)
      .post('/api/webhooks/twilio/status?m=00000000-0000-4000-8000-000000000000')
      .set('X-Twilio-Signature', wrongToken)
      .type('form')
      .send(params)
      .expect(403);
    const right = signTwilioRequest(fake.authToken, statusUrl, params);
    await request(server)
      .post('/api/webhooks/twilio/status?m=00000000-0000-4000-8000-000000000001')
      .set('X-Twilio-Signature', right)
      .type('form')
      .send(params)
      .expect(403);
    await request(server)
      .post('/api/webhooks/twilio/status?m=00000000-0000-4000-8000-000000000000')
      .set('X-Twilio-Signature', right)
      .type('form')
      .send({ ...params, MessageStatus: 'failed' })
      .expect(403);
    await request(server)
      .post('/api/webhooks/twilio/status')
      .set('X-Twilio-Signature', right)
      .send({ nested: { a: 1 } })
      .expect(403);
    await request(server)
      .post('/api/webhooks/twilio/inbound')
      .type('form')
      .send({ From: '+33612345678', Body: 'STOP' })
      .expect(403);
    // The genuine one is accepted (an unknown message is ignored).
    await request(server)
      .post('/api/webhooks/twilio/status?m=00000000-0000-4000-8000-000000000000')
      .set('X-Twilio-Signature', right)
      .type('form')
      .send(params)
      .expect(204);
    // The built-in outbox does not exist when Twilio is configured.
    await request(server).get('/api/dev/outbox/sms').set('Authorization', `Bearer ${token}`).expect(404);
  });

  it('marks a number the provider reports unsubscribed (21610) as opted out, without retrying', async () => {
    const parent = await enrol();
    fake.rejectTo(parent.phone, 21610);
    clock.set(DAY7);
    expect(await deliver(parent.smsIds[0]!)).toEqual({
      kind: 'done',
      status: 'failed',
    });
    const [row] = await dataSource.query<Array<{ status: string; error_code: string }>>(
      `SELECT p.status, s.error_code FROM parents p JOIN sms_messages s ON s.parent_id = p.id WHERE s.id = $1`,
      [parent.smsIds[0]],
    );
    expect(row).toEqual({ status: 'opted_out', error_code: '21610' });
    expect(fake.requests.filter((r) => r.params.To === parent.phone)).toHaveLength(1);
  });

  it('never resends a send whose answer was lost: it finds the message at the provider and adopts it', async () => {
    const parent = await enrol();
    const smsId = parent.smsIds[0]!;
    fake.delayNext(1, 4_000); // accepted at once, answered after the client's 2 s timeout
    clock.set(DAY7);
    expect(await deliver(smsId)).toMatchObject({
      kind: 'later',
      reason: 'check',
    });
    expect((await smsRow(smsId)).status).toBe('unknown');
    expect(sentTo(parent.phone)).toHaveLength(1);
    // The check: the provider's list has a message carrying this row's link token.
    expect(await deliver(smsId)).toEqual({ kind: 'done', status: 'queued' });
    const row = await smsRow(smsId);
    expect(row).toMatchObject({ status: 'queued', provider_sid: sentTo(parent.phone)[0]!.sid, attempts: 1 });
    expect(row.status_history.map((change) => change.status)).toEqual(['sending', 'unknown', 'queued']);
    await fake.idle();
    expect(sentTo(parent.phone)).toHaveLength(1);
  });

  it('sends again a send whose answer was lost only when the provider still has nothing after the grace period', async () => {
    const parent = await enrol();
    const smsId = parent.smsIds[0]!;
    // Simulate a request that never reached the provider but whose outcome we do not know.
    clock.set(DAY7);
    await dataSource.query(
      `UPDATE sms_messages SET status = 'unknown', attempts = 1, last_attempt_at = $2 WHERE id = $1`,
      [smsId, DAY7],
    );
    expect(await deliver(smsId)).toMatchObject({
      kind: 'later',
      reason: 'check',
    });
    expect(sentTo(parent.phone)).toHaveLength(0);
    clock.set(new Date(DAY7.getTime() + 1_600));
    expect(await deliver(smsId)).toEqual({ kind: 'done', status: 'queued' });
    expect(sentTo(parent.phone)).toHaveLength(1);
    expect((await smsRow(smsId)).attempts).toBe(2);
  });

  /** A batch organisation without reminders, so that counting its accepted messages is all a test waits for. */
  const batchOrganisation = () =>
    makeOrganisation(dataSource, { settings: { reminders: { count: 0, afterHours: 48 } } });
  const acceptedIn = async (organisationId: string): Promise<number> => {
    const [{ count }] = await dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM sms_messages WHERE organisation_id = $1 AND status = 'queued'`,
      [organisationId],
    );
    return count;
  };
  const sentCounts = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const message of fake.messages) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    return counts;
  };

  it('takes jobs ahead of their due time and holds them: none is claimed or sent before it, all just after', async () => {
    const batchOrg = await batchOrganisation();
    // Within SMS_PREPARE_AHEAD_MS (2 s by default): the jobs are runnable at once and wait in the worker.
    const dueAt = new Date(clock.now().getTime() + 1_500);
    const due = await makeDueSmsBatch(dataSource, environment.config, batchOrg, 50, dueAt);
    await worker.get(SmsQueueService).enqueue(due.map((d) => ({ id: d.smsId, dueAt })));
    await waitFor(
      'the jobs held by the worker',
      async () => (await queue(api, 'sms').getActiveCount()) >= 50,
    );
    expect(clock.now().getTime()).toBeLessThan(dueAt.getTime());
    const [{ early }] = await dataSource.query<[{ early: number }]>(
      `SELECT count(*)::int AS early FROM sms_messages WHERE organisation_id = $1 AND status <> 'pending'`,
      [batchOrg.id],
    );
    expect(early).toBe(0);
    expect(due.some((d) => sentTo(d.phone).length > 0)).toBe(false);

    await waitFor('50 accepted', async () => (await acceptedIn(batchOrg.id)) === 50);
    const rows = await dataSource.query<Array<{ claimed_late_ms: number; sent_late_ms: number }>>(
      `SELECT extract(epoch FROM (last_attempt_at - due_at)) * 1000 AS claimed_late_ms,
              extract(epoch FROM (sent_at - due_at)) * 1000 AS sent_late_ms
       FROM sms_messages WHERE organisation_id = $1`,
      [batchOrg.id],
    );
    for (const row of rows) {
      expect(Number(row.claimed_late_ms)).toBeGreaterThanOrEqual(0);
      expect(Number(row.sent_late_ms)).toBeGreaterThanOrEqual(0);
    }
    const counts = sentCounts();
    for (const { phone } of due) expect([phone, counts.get(phone)]).toEqual([phone, 1]);
  });

  it('with 20% of sends failing (503), sends every message exactly once, backing off in between', async () => {
    const batchOrg = await batchOrganisation();
    const due = await makeDueSmsBatch(dataSource, environment.config, batchOrg, 200, clock.now());
    fake.setFailureRate(0.2);
    try {
      const before = fake.requests.length;
      await reconcile();
      await waitFor('200 accepted', async () => (await acceptedIn(batchOrg.id)) === 200, 40_000);
      const failures = fake.requests.slice(before).filter((r) => r.fault === 'failureRate').length;
      expect(failures).toBeGreaterThan(10);
      const counts = sentCounts();
      for (const { phone } of due) expect([phone, counts.get(phone)]).toEqual([phone, 1]);
      const [{ retried }] = await dataSource.query<[{ retried: number }]>(
        `SELECT count(*)::int AS retried FROM sms_messages WHERE id = ANY($1::uuid[]) AND attempts > 1`,
        [due.map((d) => d.smsId)],
      );
      expect(retried).toBeGreaterThan(0);
    } finally {
      fake.setFailureRate(0);
    }
  });

  it('after Redis loses every job (1,000 pending), the reconciler restores them and each is sent once', async () => {
    const dueAt = new Date(clock.now().getTime() + 30 * 60_000);
    const batchOrg = await batchOrganisation();
    const due = await makeDueSmsBatch(dataSource, environment.config, batchOrg, 1_000, dueAt);
    expect(await worker.get(SmsQueueService).enqueue(due.map((d) => ({ id: d.smsId, dueAt })))).toBe(1_000);
    expect(await queue(api, 'sms').getDelayedCount()).toBeGreaterThanOrEqual(1_000);

    // FLUSHALL, for this file's keys only.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${environment.config.queuePrefix}*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    expect(await queue(api, 'sms').getDelayedCount()).toBe(0);

    clock.set(dueAt);
    const report = await reconcile();
    expect(report.added).toBeGreaterThanOrEqual(1_000);
    await waitFor('1,000 accepted', async () => (await acceptedIn(batchOrg.id)) === 1_000, 90_000);
    const counts = sentCounts();
    for (const { phone } of due) expect([phone, counts.get(phone)]).toEqual([phone, 1]);
    // Running it again adds nothing that would send twice.
    await reconcile();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = sentCounts();
    for (const { phone } of due) expect([phone, again.get(phone)]).toEqual([phone, 1]);
  });
});
