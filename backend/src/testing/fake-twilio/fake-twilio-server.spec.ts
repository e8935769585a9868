import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import {
  DEFAULT_FAKE_ACCOUNT_SID,
  signTwilioRequest,
  smsSegments,
  startFakeTwilio,
  type FakeTwilio,
} from './fake-twilio-server.js';
import { LeanRequestClient, rewriteTwilioUri, twilioClientFor } from './twilio-client.js';

/** A webhook receiver standing in for the backend: records every POST with its headers and form params. */
interface Received {
  url: string;
  signature: string | undefined;
  idempotencyToken: string | undefined;
  contentType: string | undefined;
  params: Record<string, string>;
}

async function startReceiver(): Promise<{
  baseUrl: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        url: req.url ?? '/',
        signature: req.headers['x-twilio-signature'] as string | undefined,
        idempotencyToken: req.headers['i-twilio-idempotency-token'] as string | undefined,
        contentType: req.headers['content-type'],
        params: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf-8'))),
      });
      res.writeHead(req.url?.startsWith('/inbound') ? 200 : 204, { 'Content-Type': 'text/xml' });
      res.end(req.url?.startsWith('/inbound') ? '<Response/>' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface SdkError {
  status?: number;
  code?: number;
  moreInfo?: string;
  message: string;
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}

const TO = '+33612345678';
const FROM = 'LIEN';
const SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';

describe('fake Twilio server', () => {
  let fake: FakeTwilio;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: twilio.Twilio;

  beforeAll(async () => {
    fake = await startFakeTwilio({ callbackDelayMs: 5 });
    receiver = await startReceiver();
    client = twilioClientFor(fake);
  });
  /** A message from FROM to TO saying "Hello" through the real SDK, unless `params` say otherwise. */
  const send = (params: Partial<Parameters<twilio.Twilio['messages']['create']>[0]> = {}) =>
    client.messages.create({ to: TO, from: FROM, body: 'Hello', ...params });

  afterEach(async () => {
    await fake.idle();
    fake.reset();
    receiver.received.length = 0;
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('listens on 127.0.0.1 on a random port', () => {
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.accountSid).toBe(DEFAULT_FAKE_ACCOUNT_SID);
  });

  describe('creating messages through the real SDK', () => {
    it('accepts a message and records the exact form params', async () => {
      const statusCallback = `${receiver.baseUrl}/status?org=1`;
      const message = await send({ body: 'Bonjour, à bientôt : https://x.test/q/abc', statusCallback });

      expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(message.accountSid).toBe(fake.accountSid);
      expect(message.to).toBe(TO);
      expect(message.from).toBe(FROM);
      expect(message.status).toBe('queued');
      expect(message.numSegments).toBe('1');
      expect(message.direction).toBe('outbound-api');
      expect(message.dateCreated).toBeInstanceOf(Date);
      expect(Number.isNaN(message.dateCreated.getTime())).toBe(false);
      expect(message.uri).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages/${message.sid}.json`);

      expect(fake.messages).toHaveLength(1);
      const recorded = fake.messages[0];
      expect(recorded?.params).toEqual({
        To: TO,
        From: FROM,
        Body: 'Bonjour, à bientôt : https://x.test/q/abc',
        StatusCallback: statusCallback,
      });
      expect(recorded?.sid).toBe(message.sid);
      expect(recorded?.encoding).toBe('UCS-2'); // "ô" is not GSM-7

      const request = fake.requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
      expect(request?.status).toBe(201);
      expect(request?.authenticatedAs).toBe(fake.accountSid);
      expect(request?.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(request?.headers['user-agent']).toMatch(/^twilio-node\/6\./);
      expect(request?.headers.authorization).toBeUndefined();
    });

    it('accepts a Messaging Service instead of From', async () => {
      const message = await client.messages.create({
        to: TO,
        messagingServiceSid: SERVICE_SID,
        body: 'Hello',
      });
      expect(message.status).toBe('accepted');
      expect(message.from).toBeNull();
      expect(message.messagingServiceSid).toBe(SERVICE_SID);
    });

    it('counts segments like Twilio (GSM-7 and UCS-2)', async () => {
      const message = await send({ body: 'a'.repeat(161) });
      expect(message.numSegments).toBe('2');
      expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
      expect(smsSegments('é'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
      expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
      expect(smsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2 });
      expect(smsSegments('ê'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1 });
      expect(smsSegments('ê'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2 });
    });

    it('rejects wrong credentials with 401 / 20003', async () => {
      const wrong = twilioClientFor(fake, { authToken: 'not-the-token' });
      const error = await sdkError(wrong.messages.create({ to: TO, from: FROM, body: 'Hello' }));
      expect(error.status).toBe(401);
      expect(error.code).toBe(20003);
      expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
      expect(fake.messages).toHaveLength(0);
      expect(fake.requests[0]?.status).toBe(401);
      expect(fake.requests[0]?.authenticatedAs).toBeNull();
    });

    it("rejects an invalid To with Twilio's 400 / 21211", async () => {
      const error = await sdkError(send({ to: '0612345678' }));
      expect(error.status).toBe(400);
      expect(error.code).toBe(21211);
      expect(error.message).toContain("Invalid 'To' Phone Number");
      expect(fake.messages).toHaveLength(0);
    });

    it('validates From, Body and StatusCallback', async () => {
      const noFrom = await sdkError(client.messages.create({ to: TO, body: 'Hello' }));
      expect([noFrom.status, noFrom.code]).toEqual([400, 21603]);
      const badFrom = await sdkError(send({ from: 'TOO-LONG-SENDER' }));
      expect([badFrom.status, badFrom.code]).toEqual([400, 21212]);
      const noBody = await sdkError(send({ body: '' }));
      expect([noBody.status, noBody.code]).toEqual([400, 21602]);
      const badCallback = await sdkError(send({ statusCallback: 'not a url' }));
      expect([badCallback.status, badCallback.code]).toEqual([400, 21609]);
    });
  });

  describe('fault injection', () => {
    it('failNext answers the next creations with the given error, then recovers', async () => {
      fake.failNext(2, { status: 503 });
      const first = await sdkError(send());
      expect([first.status, first.code]).toEqual([503, 20503]);
      const second = await sdkError(send());
      expect(second.status).toBe(503);
      const third = await send();
      expect(third.status).toBe('queued');
      expect(fake.messages).toHaveLength(1);
      expect(fake.requests.map((r) => [r.status, r.fault])).toEqual([
        [503, 'failNext'],
        [503, 'failNext'],
        [201, null],
      ]);
    });

    it('failNext takes a 429 with a custom code', async () => {
      fake.failNext(1, { status: 429, code: 20429 });
      const error = await sdkError(send());
      expect([error.status, error.code]).toEqual([429, 20429]);
    });

    it('setFailureRate fails creations at random', async () => {
      const draws = [0.1, 0.9, 0.1];
      const seeded = await startFakeTwilio({ random: () => draws.shift() ?? 0.9, autoCallbacks: false });
      try {
        const seededClient = twilioClientFor(seeded);
        seeded.setFailureRate(0.5, 500);
        const outcomes: Array<number | string> = [];
        for (let i = 0; i < 3; i += 1) {
          try {
            outcomes.push((await seededClient.messages.create({ to: TO, from: FROM, body: 'Hello' })).status);
          } catch (error) {
            outcomes.push((error as SdkError).status ?? 'no status');
          }
        }
        expect(outcomes).toEqual([500, 'queued', 500]);
        expect(seeded.requests.map((r) => r.fault)).toEqual(['failureRate', null, 'failureRate']);
        seeded.setFailureRate(0);
        await expect(
          seededClient.messages.create({ to: TO, from: FROM, body: 'Hello' }),
        ).resolves.toBeDefined();
        expect(() => seeded.setFailureRate(2)).toThrow(RangeError);
      } finally {
        await seeded.close();
      }
    });

    it('rejectTo fails permanently with the given code (unsubscribed, not a mobile)', async () => {
      fake.rejectTo('+33612000001', 21610);
      fake.rejectTo('+33145000000', 21614);
      const unsubscribed = await sdkError(send({ to: '+33612000001' }));
      expect([unsubscribed.status, unsubscribed.code]).toEqual([400, 21610]);
      expect(unsubscribed.message).toContain('unsubscribed');
      const landline = await sdkError(send({ to: '+33145000000' }));
      expect([landline.status, landline.code]).toEqual([400, 21614]);
      expect(fake.messages).toHaveLength(0);
      expect(fake.requests.every((r) => r.fault === 'rejectTo')).toBe(true);
    });

    it('delayNext: the client times out but the message was accepted and can be found', async () => {
      const impatient = twilioClientFor(fake, { timeoutMs: 150 });
      fake.delayNext(1, 600);
      const error = await sdkError(
        impatient.messages.create({ to: '+33699999999', from: FROM, body: 'Hello' }),
      );
      expect(error.message).toMatch(/timeout/i);
      expect(error.status).toBeUndefined(); // no HTTP answer: the outcome is unknown to the client

      // The provider accepted it all the same: the client can check by listing or fetching.
      expect(fake.messages).toHaveLength(1);
      expect(fake.requests[0]?.fault).toBe('delay');
      const found = await client.messages.list({ to: '+33699999999', limit: 10 });
      expect(found.map((m) => m.sid)).toEqual([fake.messages[0]?.sid]);
      const fetched = await client.messages(found[0]?.sid ?? '').fetch();
      expect(fetched.to).toBe('+33699999999');

      await fake.idle();
      expect(fake.requests[0]?.status).toBe(201); // answered, too late
    });
  });

  describe('listing and fetching', () => {
    it('lists newest first, filters by To, and pages through next_page_uri', async () => {
      for (let i = 0; i < 5; i += 1) await send({ body: `m${i}` });
      await send({ to: '+33700000000', body: 'other' });

      const all = await client.messages.list({ to: TO, pageSize: 2 });
      expect(all.map((m) => m.body)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
      const pageRequests = fake.requests.filter((r) => r.method === 'GET');
      expect(pageRequests).toHaveLength(3); // pages of 2, 2 and 1, through the fake

      const page = await client.messages.page({ to: TO, pageSize: 2 });
      expect(page.instances).toHaveLength(2);
      expect(page.nextPageUrl).toContain('Page=1');

      const limited = await client.messages.list({ limit: 3 });
      expect(limited).toHaveLength(3);
      expect(limited[0]?.body).toBe('other');
    });

    it('filters by DateSent', async () => {
      await send({ body: 'today' });
      const today = new Date();
      const yesterday = new Date(today.getTime() - 86_400_000);
      const tomorrow = new Date(today.getTime() + 86_400_000);
      expect(await client.messages.list({ dateSentAfter: yesterday })).toHaveLength(1);
      expect(await client.messages.list({ dateSentAfter: tomorrow })).toHaveLength(0);
      expect(await client.messages.list({ dateSentBefore: yesterday })).toHaveLength(0);
    });

    it('fetches one message, with its current status', async () => {
      const created = await send();
      await fake.idle(); // automatic progression: sent, then delivered
      const fetched = await client.messages(created.sid).fetch();
      expect(fetched.sid).toBe(created.sid);
      expect(fetched.status).toBe('delivered');
      expect(fetched.dateSent).toBeInstanceOf(Date);
    });

    it('answers 404 / 20404 for an unknown message', async () => {
      const error = await sdkError(client.messages('SM00000000000000000000000000000000').fetch());
      expect([error.status, error.code]).toEqual([404, 20404]);
    });

    it("answers 404 for another account's path and unknown routes", async () => {
      const auth = `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`;
      const other = await fetch(
        `${fake.baseUrl}/2010-04-01/Accounts/AC99999999999999999999999999999999/Messages.json`,
        {
          headers: { Authorization: auth },
        },
      );
      expect(other.status).toBe(404);
      const unknown = await fetch(`${fake.baseUrl}/v1/Services`, { headers: { Authorization: auth } });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ code: 20404, status: 404 });
    });
  });

  describe('webhooks', () => {
    it('posts status callbacks sent then delivered, signed as Twilio signs them', async () => {
      const url = `${receiver.baseUrl}/status?org=1`;
      const message = await send({ statusCallback: url });
      await fake.idle();

      expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered']);
      for (const callback of receiver.received) {
        expect(callback.url).toBe('/status?org=1');
        expect(callback.contentType).toContain('application/x-www-form-urlencoded');
        expect(callback.idempotencyToken).toBeTruthy();
        expect(callback.params).toMatchObject({
          MessageSid: message.sid,
          SmsSid: message.sid,
          AccountSid: fake.accountSid,
          To: TO,
          From: FROM,
          ApiVersion: '2010-04-01',
        });
        expect(callback.params.ErrorCode).toBeUndefined();
        expect(twilio.validateRequest(fake.authToken, callback.signature ?? '', url, callback.params)).toBe(
          true,
        );
        // A wrong token or a tampered parameter does not validate.
        expect(twilio.validateRequest('other-token', callback.signature ?? '', url, callback.params)).toBe(
          false,
        );
        expect(
          twilio.validateRequest(fake.authToken, callback.signature ?? '', url, {
            ...callback.params,
            To: '+33600000000',
          }),
        ).toBe(false);
      }
      expect(fake.webhooks.map((w) => [w.kind, w.responseStatus])).toEqual([
        ['status', 204],
        ['status', 204],
      ]);
      expect(fake.message(message.sid)?.status).toBe('delivered');
    });

    it('reports undelivered messages with an ErrorCode', async () => {
      fake.failDeliveryTo('+33611111111', 30003);
      const url = `${receiver.baseUrl}/status`;
      const message = await send({ to: '+33611111111', statusCallback: url });
      await fake.idle();
      expect(receiver.received.map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([
        ['sent', undefined],
        ['undelivered', '30003'],
      ]);
      const fetched = await client.messages(message.sid).fetch();
      expect(fetched.status).toBe('undelivered');
      expect(fetched.errorCode).toBe(30003);
    });

    it('sends callbacks by hand, out of order and twice, without moving its own status back', async () => {
      const manual = await startFakeTwilio({ autoCallbacks: false });
      try {
        const manualClient = twilioClientFor(manual);
        const url = `${receiver.baseUrl}/status`;
        const message = await manualClient.messages.create({
          to: TO,
          from: FROM,
          body: 'Hello',
          statusCallback: url,
        });
        await manual.idle();
        expect(receiver.received).toHaveLength(0);

        await manual.sendStatusCallback(message.sid, 'delivered');
        await manual.sendStatusCallback(message.sid, 'sent');
        await manual.sendStatusCallback(message.sid, 'delivered');
        const failed = await manual.sendStatusCallback(message.sid, 'failed', 30008, {
          url: `${url}?retry=1`,
        });

        expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual([
          'delivered',
          'sent',
          'delivered',
          'failed',
        ]);
        expect(receiver.received[3]?.params.ErrorCode).toBe('30008');
        expect(failed?.url).toBe(`${url}?retry=1`);
        for (const callback of manual.webhooks) {
          expect(
            twilio.validateRequest(manual.authToken, callback.signature, callback.url, {
              ...callback.params,
            }),
          ).toBe(true);
        }
        expect(manual.message(message.sid)?.status).toBe('delivered');
        expect(manual.message(message.sid)?.statusHistory.map((h) => h.status)).toEqual([
          'queued',
          'delivered',
          'sent',
          'delivered',
          'failed',
        ]);
        await expect(manual.sendStatusCallback('SM404', 'sent')).rejects.toThrow('No message SM404');
      } finally {
        await manual.close();
      }
    });

    it('posts a signed inbound SMS webhook', async () => {
      const url = `${receiver.baseUrl}/inbound`;
      const delivery = await fake.sendInbound({ from: TO, to: '+33757000000', body: 'STOP', url });
      expect(delivery.responseStatus).toBe(200);
      expect(delivery.responseBody).toBe('<Response/>');
      const inbound = receiver.received[0];
      expect(inbound?.params).toMatchObject({
        AccountSid: fake.accountSid,
        From: TO,
        To: '+33757000000',
        Body: 'STOP',
        NumMedia: '0',
        SmsStatus: 'received',
      });
      expect(inbound?.params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(
        twilio.validateRequest(fake.authToken, inbound?.signature ?? '', url, inbound?.params ?? {}),
      ).toBe(true);
    });

    it('records a webhook it could not deliver', async () => {
      const delivery = await fake.sendInbound({
        from: TO,
        to: '+33757000000',
        body: 'Hi',
        url: 'http://127.0.0.1:9/nowhere',
      });
      expect(delivery.responseStatus).toBeNull();
      expect(delivery.error).toBeTruthy();
    });

    it("signs exactly like the SDK's expected signature", () => {
      const params = { To: TO, Body: 'a b&c=d', MessageSid: 'SM1', AccountSid: fake.accountSid };
      const url = 'https://lien.example/api/webhooks/twilio/status?x=1';
      expect(signTwilioRequest(fake.authToken, url, params)).toBe(
        twilio.getExpectedTwilioSignature(fake.authToken, url, params),
      );
    });
  });

  describe('recording and reset', () => {
    it('records every request and forgets everything on reset', async () => {
      fake.failNext(1, { status: 500 });
      await sdkError(send());
      await send();
      fake.rejectTo(TO, 21610);
      fake.delayNext(1, 10_000);
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[0]).toMatchObject({ status: 500, errorCode: 20500, messageSid: null });
      expect(fake.requests[1]?.messageSid).toBe(fake.messages[0]?.sid);

      fake.reset();
      expect(fake.messages).toHaveLength(0);
      expect(fake.requests).toHaveLength(0);
      expect(fake.webhooks).toHaveLength(0);
      const after = await send(); // no rejection, no delay
      expect(after.status).toBe('queued');
    });
  });

  describe('voice calls through the real SDK (Calls.json)', () => {
    const TWIML = '<Response><Say language="fr-FR">Lien : une alerte urgente vous attend.</Say></Response>';

    it('places a call with inline TwiML, then rings, answers and completes with signed callbacks', async () => {
      const url = `${receiver.baseUrl}/call-status?p=1`;
      const call = await client.calls.create({
        to: TO,
        from: '+33970000000',
        twiml: TWIML,
        statusCallback: url,
        statusCallbackEvent: ['ringing', 'answered', 'completed'],
      });
      expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
      expect(call.status).toBe('queued');
      expect(fake.calls).toHaveLength(1);
      expect(fake.calls[0]).toMatchObject({ to: TO, from: '+33970000000', twiml: TWIML });
      await fake.idle();
      expect(fake.calls[0]!.status).toBe('completed');
      const callbacks = receiver.received.filter((r) => r.url.startsWith('/call-status'));
      expect(callbacks.map((c) => c.params.CallStatus)).toEqual(['ringing', 'in-progress', 'completed']);
      for (const callback of callbacks) {
        expect(callback.params.CallSid).toBe(call.sid);
        expect(twilio.validateRequest(fake.authToken, callback.signature ?? '', url, callback.params)).toBe(
          true,
        );
      }
      const fetched = await client.calls(call.sid).fetch();
      expect(fetched.status).toBe('completed');
    });

    it('ends calls to a number set to fail with that outcome, and refuses bad requests like Twilio', async () => {
      fake.failCallsTo(TO, 'no-answer');
      const url = `${receiver.baseUrl}/call-status`;
      const call = await client.calls.create({
        to: TO,
        from: '+33970000000',
        twiml: TWIML,
        statusCallback: url,
      });
      await fake.idle();
      expect(fake.calls[0]!.status).toBe('no-answer');
      expect(receiver.received.map((r) => r.params.CallStatus)).toEqual(['ringing', 'no-answer']);
      // A late or replayed callback never moves a final call.
      await fake.sendCallStatusCallback(call.sid, 'completed');
      expect(fake.calls[0]!.status).toBe('no-answer');

      expect(
        await sdkError(client.calls.create({ to: '0612', from: '+33970000000', twiml: TWIML })),
      ).toMatchObject({ status: 400, code: 21211 });
      expect(await sdkError(client.calls.create({ to: TO, from: '+33970000000' }))).toMatchObject({
        status: 400,
        code: 21205,
      });
      expect(
        await sdkError(client.calls.create({ to: TO, from: '+33970000000', twiml: '<Say>hi</Say>' })),
      ).toMatchObject({ status: 400, code: 21205 });
      expect(fake.calls).toHaveLength(1);
    });
  });
});

describe('pointing the twilio SDK elsewhere', () => {
  it('rewrites *.twilio.com URLs only', () => {
    expect(
      rewriteTwilioUri(
        'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=2',
        'http://127.0.0.1:4010',
      ),
    ).toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?PageSize=2');
    expect(
      rewriteTwilioUri('https://api.dublin.ie1.twilio.com/2010-04-01/x.json', 'http://fake:1/prefix/'),
    ).toBe('http://fake:1/prefix/2010-04-01/x.json');
    expect(rewriteTwilioUri('https://example.com/a', 'http://fake:1')).toBe('https://example.com/a');
    // Look-alike hosts are not Twilio.
    expect(rewriteTwilioUri('https://eviltwilio.com/a', 'http://fake:1')).toBe('https://eviltwilio.com/a');
    expect(rewriteTwilioUri('https://api.twilio.com.example.org/a', 'http://fake:1')).toBe(
      'https://api.twilio.com.example.org/a',
    );
    expect(rewriteTwilioUri('https://api.twilio.com', 'http://fake:1/p')).toBe('http://fake:1/p');
  });

  it('refuses a non-http base URL', () => {
    const settings = { timeout: 1_000, maxSockets: 1 };
    expect(() => new LeanRequestClient({ ...settings, apiBaseUrl: 'ftp://fake' })).toThrow(RangeError);
    expect(() => new LeanRequestClient({ ...settings, apiBaseUrl: 'not a url' })).toThrow();
  });
});
