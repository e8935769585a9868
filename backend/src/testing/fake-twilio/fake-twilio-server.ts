/**
 * A local, Twilio-compatible fake of the Programmable Messaging REST API (2010-04-01 Messages resource),
 * for tests, demos and `npm run bench`. It speaks the wire format of the real API closely enough for the
 * official `twilio` SDK to be pointed at it (see `twilio-client.ts`), and adds fault injection, recording
 * and signed webhooks (status callbacks and inbound SMS) so the backend's delivery pipeline can be tested
 * end to end without the network.
 *
 * Endpoints (HTTP Basic auth: account SID / auth token):
 * - POST /2010-04-01/Accounts/:AccountSid/Messages.json             create (form-urlencoded), 201
 * - GET  /2010-04-01/Accounts/:AccountSid/Messages.json             list, newest first (To, From, DateSent,
 *                                                                    DateSent<, DateSent>, PageSize, Page)
 * - GET  /2010-04-01/Accounts/:AccountSid/Messages/:MessageSid.json fetch one
 * - POST /2010-04-01/Accounts/:AccountSid/Calls.json                place a voice call (To, From, Twiml or
 *                                                                    Url, StatusCallback), 201; the call then
 *                                                                    rings and ends (completed, or the outcome
 *                                                                    set by `failCallsTo`), with signed status
 *                                                                    callbacks (CallSid, CallStatus)
 * - GET  /2010-04-01/Accounts/:AccountSid/Calls.json                list calls, newest first (To, From,
 *                                                                    PageSize, Page)
 * - GET  /2010-04-01/Accounts/:AccountSid/Calls/:CallSid.json       fetch one call
 * Errors use Twilio's JSON shape: {code, message, more_info, status}.
 *
 * Faults (`failNext`, `setFailureRate`, `delayNext`, `rejectTo`) apply to creation only (`failNext`,
 * `setFailureRate` and `delayNext` to calls too; `failCallsTo` sets how a call ends, `loseCallCallbacksTo` loses
 * its status callbacks): listing
 * and fetching stay reliable so a client can always check a send whose outcome it does not know.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TWILIO_API_VERSION = '2010-04-01';
export const DEFAULT_FAKE_ACCOUNT_SID = 'ACfa4e0000000000000000000000000001';
export const DEFAULT_FAKE_AUTH_TOKEN = 'fa4e70110000000000000000000000aa';

export type MessageStatus =
  'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

/** Order in which statuses move forward; a manual callback never moves the fake's own status back. */
const STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  accepted: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  received: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
};
const FINAL_RANK = 4;

export interface FakeTwilioOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  accountSid?: string;
  authToken?: string;
  /** Advance accepted messages to "sent" then "delivered" and post status callbacks by themselves. Default true. */
  autoCallbacks?: boolean;
  /** Delay before each automatic status step (queued → sent, sent → delivered). Default 20 ms. */
  callbackDelayMs?: number;
  /** Timeout of each webhook POST. Default 5000 ms. */
  webhookTimeoutMs?: number;
  /** The sender shown in callbacks when a message was sent through a Messaging Service. Default "LIEN". */
  messagingServiceSender?: string;
  /** Clock for dates in responses and records. */
  now?: () => Date;
  /** Random source for `setFailureRate` (0 <= x < 1). */
  random?: () => number;
}

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** Null when sent through a Messaging Service (Twilio picks the sender). */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: MessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number;
  encoding: 'GSM-7' | 'UCS-2';
  statusCallback: string | null;
  /** The form parameters exactly as received. */
  params: Readonly<Record<string, string>>;
  rawBody: string;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  statusHistory: Array<{ status: MessageStatus; at: Date; errorCode: number | null }>;
}

/** Voice call statuses (Twilio's vocabulary); the last four are final. */
export type CallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface FakeCall {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  /** The TwiML the call plays (inline `Twiml`), or null when a `Url` was given. */
  twiml: string | null;
  url: string | null;
  status: CallStatus;
  statusCallback: string | null;
  params: Readonly<Record<string, string>>;
  createdAt: Date;
  statusHistory: Array<{ status: CallStatus; at: Date }>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  path: string;
  query: Readonly<Record<string, string>>;
  /** Form parameters of a POST. */
  params: Readonly<Record<string, string>>;
  rawBody: string;
  /** Request headers, without Authorization. */
  headers: Readonly<Record<string, string>>;
  /** Basic-auth user name if the credentials were right, else null. */
  authenticatedAs: string | null;
  receivedAt: Date;
  /** HTTP status sent back; null while the response is pending (see `delayNext`). */
  status: number | null;
  respondedAt: Date | null;
  /** Twilio error code of an error response. */
  errorCode: number | null;
  /** SID of the message this request created, even when its response was delayed or lost. */
  messageSid: string | null;
  /** Which injected fault, if any, shaped the response. */
  fault: 'failNext' | 'failureRate' | 'rejectTo' | 'delay' | null;
}

export interface WebhookDelivery {
  kind: 'status' | 'inbound' | 'call_status';
  url: string;
  params: Readonly<Record<string, string>>;
  signature: string;
  idempotencyToken: string;
  sentAt: Date;
  /** HTTP status of the receiver's answer; null if it could not be reached. */
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
}

export interface InjectedFailure {
  status: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503 | 504;
  /** Twilio error code; defaults by status (429 → 20429, 500 → 20500, 503 → 20503...). */
  code?: number;
  message?: string;
}

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  /** The inbound webhook URL (the number's or Messaging Service's "A message comes in" URL). */
  url: string;
  messagingServiceSid?: string;
  /** Extra or overriding parameters (e.g. FromCountry). */
  params?: Record<string, string>;
}

export interface FakeTwilio {
  readonly baseUrl: string;
  readonly port: number;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every accepted message, in order of creation. */
  readonly messages: ReadonlyArray<Readonly<FakeMessage>>;
  /** Every HTTP request received, failed ones included. */
  readonly requests: ReadonlyArray<Readonly<RecordedRequest>>;
  /** Every webhook posted (status callbacks and inbound messages). */
  readonly webhooks: ReadonlyArray<Readonly<WebhookDelivery>>;
  message(sid: string): Readonly<FakeMessage> | undefined;
  /** Every voice call placed, in order. */
  readonly calls: ReadonlyArray<Readonly<FakeCall>>;
  /** Calls to this number ring and end with this status instead of being answered. */
  failCallsTo(phone: string, outcome: 'busy' | 'no-answer' | 'failed'): void;
  /** The automatic status callbacks of calls to this number are lost (the call still rings and ends). */
  loseCallCallbacksTo(phone: string): void;
  /** Posts one signed call status callback now (to the call's StatusCallback, or `url`). */
  sendCallStatusCallback(
    sid: string,
    status: CallStatus,
    options?: { url?: string },
  ): Promise<WebhookDelivery | null>;
  /** The next `count` creations fail with this error (and are not accepted). */
  failNext(count: number, failure: InjectedFailure): void;
  /** Each creation fails with probability `rate` (0 turns it off) with a 5xx (default 503). */
  setFailureRate(rate: number, status?: InjectedFailure['status']): void;
  /** The next `count` accepted creations (messages or calls) are answered after `ms`: a client timing out first does not know the message was accepted. */
  delayNext(count: number, ms: number): void;
  /** Creations to this number fail permanently with this Twilio code (400), e.g. 21610 unsubscribed, 21614 not a mobile. */
  rejectTo(phone: string, code: number): void;
  /** Messages to this number are accepted, then end "undelivered" (or "failed") with this error code (default 30003). */
  failDeliveryTo(phone: string, errorCode?: number, status?: 'undelivered' | 'failed'): void;
  /**
   * Posts one signed status callback for a message now (to its StatusCallback, or `url`). Use it with
   * `autoCallbacks: false` to drive statuses by hand, out of order or twice. The fake's own status only
   * moves forward; the callback is sent whatever its order. Resolves to null when there is no URL.
   */
  sendStatusCallback(
    sid: string,
    status: MessageStatus,
    errorCode?: number | null,
    options?: { url?: string },
  ): Promise<WebhookDelivery | null>;
  /** Posts a signed inbound-SMS webhook, as Twilio does when a message comes in. */
  sendInbound(inbound: InboundSms): Promise<WebhookDelivery>;
  /** Resolves when no automatic callback or delayed response is pending. */
  idle(): Promise<void>;
  /** Forgets messages, requests, webhooks and faults; cancels pending automatic callbacks. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Twilio's request signature and small helpers
// ---------------------------------------------------------------------------------------------------------

/**
 * `X-Twilio-Signature` of a form POST: base64(HMAC-SHA1(authToken, url + each POST parameter name followed by
 * its value, names sorted)). https://www.twilio.com/docs/usage/security#validating-requests
 */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + (params[key] ?? ''), url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Alphanumeric sender ID: 1-11 letters, digits or spaces, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

const GSM7_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
const GSM7_EXTENDED = new Set(Array.from('^{}\\[~]|€\f'));

/** SMS segments of a body: GSM-7 (160 / 153 per part, extension characters count twice) or UCS-2 (70 / 67). */
export function smsSegments(body: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  let septets = 0;
  let gsm = true;
  for (const char of body) {
    if (GSM7_BASIC.has(char)) septets += 1;
    else if (GSM7_EXTENDED.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = body.length; // UTF-16 code units
  return { encoding: 'UCS-2', segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** RFC 2822 date as Twilio writes it: "Tue, 10 Mar 2026 09:00:00 +0000". */
function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const DEFAULT_ERROR_CODES: Readonly<Record<number, number>> = {
  400: 21601,
  401: 20003,
  403: 20403,
  404: 20404,
  429: 20429,
  500: 20500,
  502: 20500,
  503: 20503,
  504: 20504,
};

const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  20003: 'Authenticate',
  20403: 'Forbidden',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'An internal server error has occurred',
  20503: 'Service is unavailable. Please try again',
  20504: 'Gateway timeout',
  21211: "Invalid 'To' Phone Number",
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
  21610: 'Attempt to send to unsubscribed recipient',
  21612: "The 'To' phone number is not currently reachable via SMS",
  21614: "'To' number is not a valid mobile number",
};

const DELIVERY_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};

interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function formParams(raw: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!(key in params)) params[key] = value; // first value of a repeated parameter
  }
  return params;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf-8')));
    req.on('error', reject);
  });
}

function basicAuthUser(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf-8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A date filter value: date-only compares UTC days, a date-time compares instants. */
function dateFilter(value: string): { day: string } | { instant: number } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { day: value };
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? null : { instant };
}

/** A list's paging as Twilio reads it: `Page` from 0, `PageSize` 1 to 1000 (50 by default). */
function listPage(q: Record<string, string | undefined>): { page: number; pageSize: number } {
  return {
    page: Math.max(Number.parseInt(q.Page ?? '0', 10) || 0, 0),
    pageSize: Math.min(Math.max(Number.parseInt(q.PageSize ?? '50', 10) || 50, 1), 1000),
  };
}

const CALL_FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

// ---------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? DEFAULT_FAKE_ACCOUNT_SID;
  const authToken = options.authToken ?? DEFAULT_FAKE_AUTH_TOKEN;
  const host = options.host ?? '127.0.0.1';
  const autoCallbacks = options.autoCallbacks ?? true;
  const callbackDelayMs = options.callbackDelayMs ?? 20;
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 5000;
  const messagingServiceSender = options.messagingServiceSender ?? 'LIEN';
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  const messages: FakeMessage[] = [];
  const requests: RecordedRequest[] = [];
  const webhooks: WebhookDelivery[] = [];
  let failures: InjectedFailure[] = [];
  let failureRate = 0;
  let failureRateStatus: InjectedFailure['status'] = 503;
  let delays: number[] = [];
  let rejections = new Map<string, number>();
  let deliveryFailures = new Map<string, { errorCode: number; status: 'undelivered' | 'failed' }>();
  const calls: FakeCall[] = [];
  let callFailures = new Map<string, 'busy' | 'no-answer' | 'failed'>();
  let lostCallCallbacks = new Set<string>();

  /** Pending timers (automatic callbacks, delayed responses) and what to do if they are cancelled. */
  const timers = new Map<NodeJS.Timeout, () => void>();
  const pending = new Set<Promise<unknown>>();
  /** Bumped by reset() and close(): work scheduled under an older generation is dropped. */
  let generation = 0;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    const untrack = (): void => {
      pending.delete(promise);
    };
    promise.then(untrack, untrack);
    return promise;
  }

  function cancelPending(): void {
    generation += 1;
    for (const [timer, resolve] of timers) {
      clearTimeout(timer);
      resolve();
    }
    timers.clear();
  }

  const messageUri = (sid: string): string =>
    `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;

  function messageJson(message: FakeMessage): Record<string, unknown> {
    const base = `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages/${message.sid}`;
    return {
      account_sid: message.accountSid,
      api_version: TWILIO_API_VERSION,
      body: message.body,
      date_created: rfc2822(message.createdAt),
      date_sent: message.sentAt ? rfc2822(message.sentAt) : null,
      date_updated: rfc2822(message.updatedAt),
      direction: 'outbound-api',
      error_code: message.errorCode,
      error_message: message.errorMessage,
      from: message.from,
      messaging_service_sid: message.messagingServiceSid,
      num_media: '0',
      num_segments: String(message.numSegments),
      price: null,
      price_unit: 'EUR',
      sid: message.sid,
      status: message.status,
      subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
      to: message.to,
      uri: messageUri(message.sid),
    };
  }

  let baseUrl = '';

  async function postWebhook(
    kind: WebhookDelivery['kind'],
    url: string,
    params: Record<string, string>,
  ): Promise<WebhookDelivery> {
    const signature = signTwilioRequest(authToken, url, params);
    const delivery: WebhookDelivery = {
      kind,
      url,
      params,
      signature,
      idempotencyToken: randomUUID(),
      sentAt: now(),
      responseStatus: null,
      responseBody: null,
      error: null,
    };
    webhooks.push(delivery);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
          'X-Twilio-Signature': signature,
          'I-Twilio-Idempotency-Token': delivery.idempotencyToken,
          'User-Agent': 'TwilioProxy/1.1',
          Accept: '*/*',
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(webhookTimeoutMs),
      });
      delivery.responseStatus = response.status;
      delivery.responseBody = await response.text();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    return delivery;
  }

  function setStatus(message: FakeMessage, status: MessageStatus, errorCode: number | null): void {
    const at = now();
    message.statusHistory.push({ status, at, errorCode });
    // Never moves back, and a final status (delivered, undelivered, failed) stays final.
    if (STATUS_RANK[status] < STATUS_RANK[message.status] || STATUS_RANK[message.status] === FINAL_RANK)
      return;
    message.status = status;
    message.updatedAt = at;
    if (status === 'sent' && !message.sentAt) message.sentAt = at;
    if (errorCode !== null) {
      message.errorCode = errorCode;
      message.errorMessage = DELIVERY_ERROR_MESSAGES[errorCode] ?? null;
    }
  }

  function statusParams(
    message: FakeMessage,
    status: MessageStatus,
    errorCode: number | null,
  ): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: TWILIO_API_VERSION,
      From: message.from ?? messagingServiceSender,
      MessageSid: message.sid,
      MessageStatus: status,
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.to,
    };
    if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    if (errorCode !== null) params.ErrorCode = String(errorCode);
    return params;
  }

  async function advance(
    message: FakeMessage,
    status: MessageStatus,
    errorCode: number | null,
    url: string | null,
  ): Promise<WebhookDelivery | null> {
    setStatus(message, status, errorCode);
    if (!url) return null;
    return postWebhook('status', url, statusParams(message, status, errorCode));
  }

  function scheduleAutoCallbacks(message: FakeMessage): void {
    if (!autoCallbacks) return;
    const started = generation;
    const outcome = deliveryFailures.get(message.to);
    const run = async (): Promise<void> => {
      await sleep(callbackDelayMs);
      if (generation !== started) return;
      await advance(message, 'sent', null, message.statusCallback);
      await sleep(callbackDelayMs);
      if (generation !== started) return;
      if (outcome) await advance(message, outcome.status, outcome.errorCode, message.statusCallback);
      else await advance(message, 'delivered', null, message.statusCallback);
    };
    void track(run());
  }

  const callUri = (sid: string): string => `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Calls/${sid}.json`;

  function callJson(call: FakeCall): Record<string, unknown> {
    return {
      account_sid: call.accountSid,
      api_version: TWILIO_API_VERSION,
      date_created: rfc2822(call.createdAt),
      date_updated: rfc2822(call.statusHistory[call.statusHistory.length - 1]!.at),
      direction: 'outbound-api',
      from: call.from,
      from_formatted: call.from,
      sid: call.sid,
      status: call.status,
      to: call.to,
      to_formatted: call.to,
      uri: callUri(call.sid),
    };
  }

  async function advanceCall(
    call: FakeCall,
    status: CallStatus,
    url: string | null,
  ): Promise<WebhookDelivery | null> {
    const at = now();
    call.statusHistory.push({ status, at });
    if (!CALL_FINAL.has(call.status)) call.status = status;
    if (!url) return null;
    const params: Record<string, string> = {
      AccountSid: call.accountSid,
      ApiVersion: TWILIO_API_VERSION,
      CallSid: call.sid,
      CallStatus: status,
      Direction: 'outbound-api',
      From: call.from,
      To: call.to,
      Timestamp: rfc2822(at),
    };
    if (status === 'completed') params.CallDuration = '12';
    return postWebhook('call_status', url, params);
  }

  function scheduleCallCallbacks(call: FakeCall): void {
    if (!autoCallbacks) return;
    const started = generation;
    const outcome = callFailures.get(call.to);
    const steps: CallStatus[] =
      outcome === 'failed'
        ? ['failed']
        : outcome
          ? ['ringing', outcome]
          : ['ringing', 'in-progress', 'completed'];
    const url = lostCallCallbacks.has(call.to) ? null : call.statusCallback;
    const run = async (): Promise<void> => {
      for (const step of steps) {
        await sleep(callbackDelayMs);
        if (generation !== started) return;
        await advanceCall(call, step, url);
      }
    };
    void track(run());
  }

  function createCall(res: ServerResponse, record: RecordedRequest): void {
    const failure = nextInjectedFailure(record);
    if (failure) {
      return respondError(
        res,
        record,
        failure.status,
        failure.code ?? DEFAULT_ERROR_CODES[failure.status] ?? 20500,
        failure.message,
      );
    }
    const p = record.params;
    const to = p.To;
    if (!to) return respondError(res, record, 400, 21201, "No 'To' number is specified");
    if (!E164.test(to)) return respondError(res, record, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    const from = p.From;
    if (!from) return respondError(res, record, 400, 21213, "No 'From' number is specified");
    if (!E164.test(from))
      return respondError(res, record, 400, 21212, `Invalid 'From' Phone Number: ${from}`);
    const twiml = p.Twiml ?? null;
    const url = p.Url ?? null;
    if (!twiml && !url) return respondError(res, record, 400, 21205, 'Url or Twiml is required');
    if (twiml && !/^\s*<Response>[\s\S]*<\/Response>\s*$/.test(twiml))
      return respondError(res, record, 400, 21205, 'Invalid TwiML');
    const statusCallback = p.StatusCallback ?? null;
    if (statusCallback !== null && !isHttpUrl(statusCallback))
      return refuseStatusCallback(res, record, statusCallback);
    const createdAt = now();
    const call: FakeCall = {
      sid: `CA${randomBytes(16).toString('hex')}`,
      accountSid,
      to,
      from,
      twiml,
      url,
      status: 'queued',
      statusCallback,
      params: { ...p },
      createdAt,
      statusHistory: [{ status: 'queued', at: createdAt }],
    };
    calls.push(call);
    record.messageSid = call.sid;
    const json = callJson(call);
    scheduleCallCallbacks(call);
    respondCreated(res, record, json);
  }

  function listCalls(res: ServerResponse, record: RecordedRequest, path: string): void {
    const q = record.query;
    const { page, pageSize } = listPage(q);
    const matching = calls
      .filter((call) => (!q.To || call.to === q.To) && (!q.From || call.from === q.From))
      .reverse(); // newest first
    const start = page * pageSize;
    const slice = matching.slice(start, start + pageSize);
    const query = (n: number): string => {
      const params = new URLSearchParams();
      for (const key of ['To', 'From'] as const) if (q[key]) params.set(key, q[key]);
      params.set('PageSize', String(pageSize));
      params.set('Page', String(n));
      return `${path}?${params.toString()}`;
    };
    respond(res, record, 200, {
      calls: slice.map(callJson),
      end: start + Math.max(slice.length - 1, 0),
      first_page_uri: query(0),
      next_page_uri: start + pageSize < matching.length ? query(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? query(page - 1) : null,
      start,
      uri: query(page),
    });
  }

  /** A 201, now or after the next scripted delay (reset() and close() cut it short; a closed connection gets nothing). */
  function respondCreated(res: ServerResponse, record: RecordedRequest, json: unknown): void {
    const delay = delays.shift();
    if (delay === undefined) return respond(res, record, 201, json);
    record.fault = 'delay';
    void track(sleep(delay).then(() => respond(res, record, 201, json)));
  }

  function respond(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    record.respondedAt = now();
    if (
      typeof body === 'object' &&
      body !== null &&
      'code' in body &&
      typeof body.code === 'number' &&
      status >= 400
    ) {
      record.errorCode = body.code;
    }
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Twilio-Request-Id': `RQ${randomBytes(16).toString('hex')}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  function respondError(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    code: number,
    message?: string,
  ): void {
    const text = message ?? ERROR_MESSAGES[code] ?? `Error ${code}`;
    const headers: Record<string, string> =
      status === 401 ? { 'WWW-Authenticate': 'Basic realm="Twilio API"' } : {};
    respond(res, record, status, twilioError(status, code, text), headers);
  }

  /** Twilio's answer to a StatusCallback that is not an http(s) URL (messages and calls alike). */
  function refuseStatusCallback(res: ServerResponse, record: RecordedRequest, statusCallback: string): void {
    respondError(res, record, 400, 21609, `The StatusCallback URL ${statusCallback} is not a valid URL.`);
  }

  function nextInjectedFailure(record: RecordedRequest): InjectedFailure | null {
    const queued = failures.shift();
    if (queued) {
      record.fault = 'failNext';
      return queued;
    }
    if (failureRate > 0 && random() < failureRate) {
      record.fault = 'failureRate';
      return { status: failureRateStatus };
    }
    return null;
  }

  function createMessage(res: ServerResponse, record: RecordedRequest): void {
    const failure = nextInjectedFailure(record);
    if (failure) {
      respondError(
        res,
        record,
        failure.status,
        failure.code ?? DEFAULT_ERROR_CODES[failure.status] ?? 20500,
        failure.message,
      );
      return;
    }
    const p = record.params;
    const to = p.To;
    if (!to) return respondError(res, record, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return respondError(res, record, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    const from = p.From ?? null;
    const serviceSid = p.MessagingServiceSid ?? null;
    if (!from && !serviceSid)
      return respondError(res, record, 400, 21603, "A 'From' phone number is required.");
    if (from && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
      return respondError(res, record, 400, 21212, `Invalid From Number (caller ID): ${from}`);
    }
    if (serviceSid && !MESSAGING_SERVICE_SID.test(serviceSid)) {
      return respondError(res, record, 400, 21701, `The Messaging Service Sid ${serviceSid} is invalid.`);
    }
    const body = p.Body;
    if (body === undefined || body === '')
      return respondError(res, record, 400, 21602, 'Message body is required.');
    if (body.length > 1600) {
      return respondError(
        res,
        record,
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.',
      );
    }
    const statusCallback = p.StatusCallback ?? null;
    if (statusCallback !== null && !isHttpUrl(statusCallback))
      return refuseStatusCallback(res, record, statusCallback);
    const rejection = rejections.get(to);
    if (rejection !== undefined) {
      record.fault = 'rejectTo';
      const base = ERROR_MESSAGES[rejection] ?? `Message to ${to} rejected`;
      return respondError(res, record, 400, rejection, `${base}: ${to}`);
    }

    const createdAt = now();
    const { encoding, segments } = smsSegments(body);
    const initial: MessageStatus = from ? 'queued' : 'accepted';
    const message: FakeMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid,
      to,
      from,
      messagingServiceSid: serviceSid,
      body,
      status: initial,
      errorCode: null,
      errorMessage: null,
      numSegments: segments,
      encoding,
      statusCallback,
      params: { ...p },
      rawBody: record.rawBody,
      createdAt,
      updatedAt: createdAt,
      sentAt: null,
      statusHistory: [{ status: initial, at: createdAt, errorCode: null }],
    };
    messages.push(message);
    record.messageSid = message.sid;
    const json = messageJson(message); // the answer reflects the state at acceptance
    scheduleAutoCallbacks(message);

    respondCreated(res, record, json);
  }

  function listMessages(res: ServerResponse, record: RecordedRequest, path: string): void {
    const q = record.query;
    const { page, pageSize } = listPage(q);
    const filters: Array<(m: FakeMessage) => boolean> = [];
    if (q.To) filters.push((m) => m.to === q.To);
    if (q.From) filters.push((m) => (m.from ?? messagingServiceSender) === q.From);
    for (const [key, compare] of [
      ['DateSent', 0],
      ['DateSent<', -1],
      ['DateSent>', 1],
    ] as const) {
      const raw = q[key];
      if (!raw) continue;
      const filter = dateFilter(raw);
      if (!filter) return respondError(res, record, 400, 20001, `Invalid ${key}: ${raw}`);
      // A message not sent yet is filtered on its creation date (a leniency of the fake).
      filters.push((m) => {
        const sent = m.sentAt ?? m.createdAt;
        if ('day' in filter) {
          const day = sent.toISOString().slice(0, 10);
          return compare === 0 ? day === filter.day : compare < 0 ? day <= filter.day : day >= filter.day;
        }
        if (compare === 0)
          return sent.toISOString().slice(0, 10) === new Date(filter.instant).toISOString().slice(0, 10);
        return compare < 0 ? sent.getTime() <= filter.instant : sent.getTime() >= filter.instant;
      });
    }
    const matching = messages.filter((m) => filters.every((f) => f(m))).reverse(); // newest first
    const start = page * pageSize;
    const slice = matching.slice(start, start + pageSize);
    const query = (n: number): string => {
      const params = new URLSearchParams();
      for (const key of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const) {
        const value = q[key];
        if (value) params.set(key, value);
      }
      params.set('PageSize', String(pageSize));
      params.set('Page', String(n));
      if (n > 0) params.set('PageToken', `PA${n}`);
      return `${path}?${params.toString()}`;
    };
    const hasNext = start + pageSize < matching.length;
    respond(res, record, 200, {
      end: start + Math.max(slice.length - 1, 0),
      first_page_uri: query(0),
      next_page_uri: hasNext ? query(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? query(page - 1) : null,
      messages: slice.map(messageJson),
      start,
      uri: query(page),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-twilio.local');
    const rawBody = req.method === 'POST' ? await readBody(req) : '';
    const contentType = req.headers['content-type'] ?? '';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization' || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const credentials = basicAuthUser(req.headers.authorization);
    const authenticated = credentials?.user === accountSid && credentials.password === authToken;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      params: contentType.includes('application/x-www-form-urlencoded') ? formParams(rawBody) : {},
      rawBody,
      headers,
      authenticatedAs: authenticated ? accountSid : null,
      receivedAt: now(),
      status: null,
      respondedAt: null,
      errorCode: null,
      messageSid: null,
      fault: null,
    };
    requests.push(record);

    const list = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    const one = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(url.pathname);
    const callList = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/.exec(url.pathname);
    const oneCall = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/.exec(url.pathname);
    const notFound = (): void =>
      respondError(res, record, 404, 20404, `The requested resource ${url.pathname} was not found`);
    if (!list && !one && !callList && !oneCall) return notFound();
    if (!authenticated) return respondError(res, record, 401, 20003, 'Authenticate');
    if ((list?.[1] ?? one?.[1] ?? callList?.[1] ?? oneCall?.[1]) !== accountSid) return notFound();
    if (callList) {
      if (req.method === 'POST') return createCall(res, record);
      if (req.method === 'GET') return listCalls(res, record, url.pathname);
      return respondError(res, record, 405, 20004, 'Method not allowed');
    }
    if (oneCall) {
      const call = req.method === 'GET' ? calls.find((c) => c.sid === oneCall[2]) : undefined;
      return call ? respond(res, record, 200, callJson(call)) : notFound();
    }

    if (list) {
      if (req.method === 'POST') return createMessage(res, record);
      if (req.method === 'GET') return listMessages(res, record, url.pathname);
    } else if (one && req.method === 'GET') {
      const sid = one[2] ?? '';
      const message = MESSAGE_SID.test(sid) ? messages.find((m) => m.sid === sid) : undefined;
      return message ? respond(res, record, 200, messageJson(message)) : notFound();
    }
    respondError(res, record, 405, 20004, 'Method not allowed');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify(twilioError(500, 20500, error instanceof Error ? error.message : 'Internal error')),
        );
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const fake: FakeTwilio = {
    baseUrl,
    port,
    accountSid,
    authToken,
    get messages() {
      return messages;
    },
    get requests() {
      return requests;
    },
    get webhooks() {
      return webhooks;
    },
    message(sid) {
      return messages.find((m) => m.sid === sid);
    },
    get calls() {
      return calls;
    },
    failCallsTo(phone, outcome) {
      callFailures.set(phone, outcome);
    },
    loseCallCallbacksTo(phone) {
      lostCallCallbacks.add(phone);
    },
    async sendCallStatusCallback(sid, status, callbackOptions = {}) {
      const call = calls.find((c) => c.sid === sid);
      if (!call) throw new Error(`No call ${sid} in the fake Twilio`);
      return advanceCall(call, status, callbackOptions.url ?? call.statusCallback);
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i += 1) failures.push({ ...failure });
    },
    setFailureRate(rate, status = 503) {
      if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be within [0, 1], got ${rate}`);
      failureRate = rate;
      failureRateStatus = status;
    },
    delayNext(count, ms) {
      for (let i = 0; i < count; i += 1) delays.push(ms);
    },
    rejectTo(phone, code) {
      rejections.set(phone, code);
    },
    failDeliveryTo(phone, errorCode = 30003, status = 'undelivered') {
      deliveryFailures.set(phone, { errorCode, status });
    },
    async sendStatusCallback(sid, status, errorCode = null, callbackOptions = {}) {
      const message = messages.find((m) => m.sid === sid);
      if (!message) throw new Error(`No message ${sid} in the fake Twilio`);
      return advance(message, status, errorCode, callbackOptions.url ?? message.statusCallback);
    },
    async sendInbound(inbound) {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: TWILIO_API_VERSION,
        Body: inbound.body,
        From: inbound.from,
        MessageSid: sid,
        NumMedia: '0',
        NumSegments: String(smsSegments(inbound.body).segments),
        SmsMessageSid: sid,
        SmsSid: sid,
        SmsStatus: 'received',
        To: inbound.to,
        ...(inbound.messagingServiceSid ? { MessagingServiceSid: inbound.messagingServiceSid } : {}),
        ...inbound.params,
      };
      return postWebhook('inbound', inbound.url, params);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    reset() {
      cancelPending();
      messages.length = 0;
      requests.length = 0;
      webhooks.length = 0;
      failures = [];
      failureRate = 0;
      failureRateStatus = 503;
      delays = [];
      rejections = new Map();
      deliveryFailures = new Map();
      calls.length = 0;
      callFailures = new Map();
      lostCallCallbacks = new Set();
    },
    async close() {
      cancelPending();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...pending]);
    },
  };
  return fake;
}
