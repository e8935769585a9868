import request from 'supertest';
import { signTwilioRequest } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation, makeUser } from '../../testing/factories.js';
import {
  EVERY_DAY,
  HEALTH_WORDS,
  NIGHT,
  putRota,
  raiseUrgentAlert,
} from '../../testing/jest/paging-factories.js';
import { RunningClock } from '../../testing/parents-factories.js';
import { startTwilioStack, stopTwilioStack, type TwilioStack } from '../../testing/test-app.js';
import { waitFor } from '../../testing/wait-for.js';
import type { AlertEntity } from '../alerts/alert.entity.js';
import { SmsReconciler } from '../sms/sms-reconciler.service.js';

jest.setTimeout(120_000);

const VOICE_FROM = '+33180000001';

interface OutboxRow {
  id: string;
  kind: string;
  status: string;
  provider_sid: string | null;
  status_history: Array<{ status: string; errorCode?: string }>;
}

describe('urgent pages by voice call (real Postgres, Redis and worker, fake Twilio calls and signed callbacks)', () => {
  let { fake, environment, api, worker, dataSource } = {} as TwilioStack;
  let phones = 0;
  const phoneOf = (index: number): string => `+336123402${String(index).padStart(2, '0')}`;

  beforeAll(async () => {
    ({ fake, environment, api, worker, dataSource } = await startTwilioStack({
      fake: { callbackDelayMs: 50 },
      env: {
        TWILIO_VOICE_FROM: VOICE_FROM,
        SMS_RETRY_BASE_MS: '20',
        SMS_SEND_TIMEOUT_MS: '1000',
        SMS_UNKNOWN_GRACE_MS: '3000',
      },
      clock: new RunningClock(NIGHT),
    }));
  });
  afterAll(() => stopTwilioStack({ fake, environment, api, worker }));

  /**
   * An organisation whose night on-call is called (voice on unless told), with a second on-call when a backup
   * number is given, and an urgent alert just raised there.
   */
  const urgentNight = async (
    options: { voice?: boolean; backupPhone?: string } = {},
  ): Promise<{ alert: AlertEntity; phone: string }> => {
    phones += 1;
    const phone = phoneOf(phones);
    const organisation = await makeOrganisation(dataSource, { name: `PMI voix ${phones}` });
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const onCall = await makeUser(dataSource, { organisationId: organisation.id });
    const backup = await makeUser(dataSource, { organisationId: organisation.id });
    const night = { weekdays: EVERY_DAY, start: '19:00', end: '08:00' };
    await putRota({ environment, api, dataSource }, admin, {
      ackMinutes: 60,
      voice: options.voice ?? true,
      entries: [
        { userId: onCall.id, ...night, phone },
        ...(options.backupPhone ? [{ userId: backup.id, ...night, phone: options.backupPhone }] : []),
      ],
    });
    return { alert: await raiseUrgentAlert({ environment, api, dataSource }, organisation), phone };
  };
  const rowsOf = (alertId: string): Promise<OutboxRow[]> =>
    dataSource.query<OutboxRow[]>(
      `SELECT s.id, s.kind, s.status, s.provider_sid, s.status_history
         FROM sms_messages s JOIN pages p ON p.id = s.page_id WHERE p.alert_id = $1 ORDER BY s.kind`,
      [alertId],
    );
  const eventsOf = async (alertId: string): Promise<Array<{ type: string; channel?: string }>> =>
    (
      await dataSource.query<Array<{ type: string; payload: { channel?: string } }>>(
        `SELECT type, payload FROM follow_up_events WHERE alert_id = $1 AND type LIKE 'page%'
          ORDER BY created_at, type`,
        [alertId],
      )
    ).map((row) => ({ type: row.type, ...(row.payload.channel ? { channel: row.payload.channel } : {}) }));
  const callsTo = (phone: string) => fake.calls.filter((call) => call.to === phone);
  const smsTo = (phone: string) => fake.messages.filter((message) => message.to === phone);

  it('calls the on-call first with a French message (no health word, no link), then sends the SMS with the link once the call ends', async () => {
    const { alert, phone } = await urgentNight();
    const [call] = await waitFor('the call', () => callsTo(phone).length === 1 && callsTo(phone));
    expect(call!.from).toBe(VOICE_FROM);
    expect(call!.twiml).toMatch(/^<Response><Say language="fr-FR">[^<]+<\/Say>/);
    expect(call!.twiml).toContain('Une alerte urgente vous attend');
    expect(call!.twiml).not.toMatch(HEALTH_WORDS);
    expect(call!.twiml).not.toMatch(/ack|https?:|\/api\//);
    const [callRow] = (await rowsOf(alert.id)).filter((row) => row.kind === 'page_call');
    expect(call!.statusCallback).toBe(
      `${environment.config.publicBaseUrl}/api/webhooks/twilio/status?m=${callRow!.id}`,
    );
    // Behind the call: no SMS while it rings.
    expect(smsTo(phone)).toHaveLength(0);

    // The fake answers, then hangs up; its signed callbacks end the call here, and the SMS goes at once.
    const [sms] = await waitFor('the SMS after the call', () => smsTo(phone).length === 1 && smsTo(phone));
    expect(sms!.body).toMatch(
      /^Lien : une alerte urgente vous attend, ouvrez http:\/\/127\.0\.0\.1:\d+\/api\/paging\/ack\//,
    );
    const calls = fake.webhooks.filter(
      (hook) => hook.kind === 'call_status' && hook.params.CallSid === call!.sid,
    );
    expect(calls.map((hook) => [hook.params.CallStatus, hook.responseStatus])).toEqual([
      ['ringing', 204],
      ['in-progress', 204],
      ['completed', 204],
    ]);
    const rows = await waitFor('both rows recorded', async () => {
      const current = await rowsOf(alert.id);
      return current.every((row) => row.provider_sid) && current;
    });
    expect(rows.map((row) => [row.kind, row.status, row.provider_sid])).toEqual([
      ['page', expect.stringMatching(/queued|sent|delivered/), sms!.sid],
      ['page_call', 'delivered', call!.sid],
    ]);
    expect(await eventsOf(alert.id)).toEqual([
      { type: 'paged', channel: 'sms' },
      { type: 'page_sent', channel: 'voice' },
      { type: 'page_sent', channel: 'sms' },
    ]);
    await fake.idle();
    expect(callsTo(phone)).toHaveLength(1);
    expect(smsTo(phone)).toHaveLength(1);

    // A callback whose signature does not match is refused and changes nothing.
    const url = `${environment.config.publicBaseUrl}/api/webhooks/twilio/status?m=${callRow!.id}`;
    const params = { CallSid: call!.sid, CallStatus: 'no-answer', AccountSid: fake.accountSid };
    await request(api.getHttpServer())
      .post(`/api/webhooks/twilio/status?m=${callRow!.id}`)
      .type('form')
      .set('X-Twilio-Signature', signTwilioRequest('not-the-auth-token', url, params))
      .send(params)
      .expect(403);
    expect((await rowsOf(alert.id)).find((row) => row.kind === 'page_call')!.status).toBe('delivered');
  });

  it('a call not answered falls back to the SMS at once, and says so on the alert', async () => {
    const next = phoneOf(phones + 1);
    fake.failCallsTo(next, 'no-answer');
    const { alert, phone } = await urgentNight();
    expect(phone).toBe(next);
    await waitFor('the fallback SMS', () => smsTo(phone).length === 1);
    const call = (await rowsOf(alert.id)).find((row) => row.kind === 'page_call')!;
    expect(call.status).toBe('undelivered');
    expect(call.status_history).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'undelivered', errorCode: 'no-answer' })]),
    );
    expect(await eventsOf(alert.id)).toEqual(
      expect.arrayContaining([
        { type: 'page_failed', channel: 'voice' },
        { type: 'page_fallback', channel: 'sms' },
      ]),
    );
    await waitFor('the SMS recorded as sent', async () =>
      (await eventsOf(alert.id)).some((event) => event.type === 'page_sent' && event.channel === 'sms'),
    );
    // A replayed no-answer callback falls back to nothing more.
    await fake.sendCallStatusCallback(callsTo(phone)[0]!.sid, 'no-answer');
    await fake.idle();
    expect(smsTo(phone)).toHaveLength(1);
    expect((await eventsOf(alert.id)).filter((event) => event.type === 'page_fallback')).toHaveLength(1);
  });

  it('a call the provider refuses for good falls back to the SMS; a provider fault is retried: one call', async () => {
    // The first creation (the call) is refused: an invalid number for voice.
    fake.failNext(1, { status: 400, code: 21211 });
    const refused = await urgentNight();
    await waitFor('the fallback SMS', () => smsTo(refused.phone).length === 1);
    expect(callsTo(refused.phone)).toHaveLength(0);
    const call = (await rowsOf(refused.alert.id)).find((row) => row.kind === 'page_call')!;
    expect(call.status).toBe('failed');
    expect(await eventsOf(refused.alert.id)).toEqual(
      expect.arrayContaining([
        { type: 'page_failed', channel: 'voice' },
        { type: 'page_fallback', channel: 'sms' },
      ]),
    );

    // A 503 on the call: retried after a backoff, one call placed.
    fake.failNext(1, { status: 503 });
    const retried = await urgentNight();
    await waitFor('the call after the retry', () => callsTo(retried.phone).length === 1);
    await waitFor('the SMS after the call', () => smsTo(retried.phone).length === 1);
    await fake.idle();
    expect(callsTo(retried.phone)).toHaveLength(1);
    const history = (await rowsOf(retried.alert.id)).find((row) => row.kind === 'page_call')!.status_history;
    expect(history).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'pending', errorCode: '20503' })]),
    );
  });

  it('a call whose outcome is unknown (timeout, callbacks lost) is looked up at the provider, never placed twice; the SMS still goes after its wait', async () => {
    const next = phoneOf(phones + 1);
    fake.loseCallCallbacksTo(next);
    // The provider places the call but answers after the worker's 1 s timeout.
    fake.delayNext(1, 2_500);
    const { alert, phone } = await urgentNight();
    expect(phone).toBe(next);
    const row = await waitFor('the call found at the provider', async () => {
      const call = (await rowsOf(alert.id)).find((candidate) => candidate.kind === 'page_call');
      return call?.provider_sid ? call : false;
    });
    await fake.idle();
    expect(callsTo(phone)).toHaveLength(1);
    expect(row.provider_sid).toBe(callsTo(phone)[0]!.sid);
    expect(row.status_history).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'unknown', errorCode: 'ETIMEDOUT' })]),
    );
    expect(fake.requests.some((req) => req.method === 'GET' && req.path.endsWith('/Calls.json'))).toBe(true);
    // No callback tells the call's end: the SMS waits its 2 minutes, then goes (the reconciler runs due jobs).
    expect(smsTo(phone)).toHaveLength(0);
    environment.clock.advance(2 * 60_000 + 1_000);
    await worker.get(SmsReconciler).reconcile();
    await waitFor('the SMS after its wait', () => smsTo(phone).length === 1);
  });

  it('without calls, a page SMS that ends undelivered (signed callback) pages the next on-call at once', async () => {
    const next = phoneOf(phones + 1);
    const backupPhone = '+33612340299';
    fake.failDeliveryTo(next, 30003);
    const { alert, phone } = await urgentNight({ voice: false, backupPhone });
    expect(phone).toBe(next);
    // Well before the 60 minutes of the rota: the backup is paged as soon as the SMS is known undelivered.
    await waitFor('the backup page', () => smsTo(backupPhone).length === 1);
    expect(fake.calls.filter((call) => call.to === phone || call.to === backupPhone)).toHaveLength(0);
    const pages = await dataSource.query<Array<{ step: number; status: string }>>(
      `SELECT step, status FROM pages WHERE alert_id = $1 ORDER BY step`,
      [alert.id],
    );
    expect(pages[0]).toEqual({ step: 0, status: 'failed' });
    expect(pages[1]!.step).toBe(1);
    const events = await eventsOf(alert.id);
    expect(events).toEqual(expect.arrayContaining([{ type: 'page_failed', channel: 'sms' }]));
    expect(events.filter((event) => event.type === 'paged')).toHaveLength(2);
    expect(smsTo(phone)).toHaveLength(1);
  });
});
