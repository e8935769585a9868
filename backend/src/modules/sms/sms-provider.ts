import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type twilio from 'twilio';
import type { AppConfig, EgressProxyConfig, TwilioConfig } from '../../config/config.js';
import { DevOutboxRepository } from './dev-outbox.repository.js';
import { maskPhone, scrubPhoneNumbers } from './sms-text.js';
import { createTwilioClient } from './twilio-client.js';

export interface SmsSendRequest {
  smsMessageId: string;
  organisationId: string;
  /** E.164. */
  to: string;
  body: string;
  /** The organisation's alphanumeric sender ID (used when no Messaging Service is configured). */
  sender: string;
  /** Absolute URL carrying our message id (`?m=<id>`), so callbacks correlate even before the sid is known. */
  statusCallbackUrl: string;
}

/** Provider statuses as the outbox keeps them. */
export type AcceptedStatus = 'queued' | 'sent' | 'delivered';

export interface SmsSendResult {
  sid: string;
  status: AcceptedStatus;
  /** The body as the provider has it (lookups only). */
  body?: string;
}

/**
 * Why a send failed, which decides what happens next:
 * - retry: certainly not accepted (429, 500, 503, connection refused): back off and send again;
 * - permanent: the provider refuses this message for good (invalid number, unsubscribed, not a mobile);
 * - unknown: the request may have been accepted (timeout after it left, connection reset, 502/504): never
 *   resent before checking with the provider.
 */
export type SendFailureKind = 'retry' | 'permanent' | 'unknown';

export class SmsSendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    /** Provider error code ("21610") or network code ("ETIMEDOUT"). */
    readonly code: string,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

export interface SentLookup {
  smsMessageId: string;
  to: string;
  /** Whether a message body found at the provider is the one of our attempt (it carries our link token). */
  isOurs: (body: string) => boolean;
}

/** A voice call (urgent pages): the TwiML it plays, and where its status callbacks go. */
export interface CallRequest {
  smsMessageId: string;
  organisationId: string;
  /** E.164. */
  to: string;
  twiml: string;
  /** Absolute URL carrying our row id (`?m=<id>`). */
  statusCallbackUrl: string;
}

export interface CallLookup {
  smsMessageId: string;
  to: string;
  /** When the attempt started: calls placed before are not ours. */
  since: Date;
  /** Sids of calls other rows already hold. */
  taken: ReadonlySet<string>;
}

/** Where SMS (and page calls) go: Twilio, or the built-in outbox table when no Twilio credentials are configured. */
export abstract class SmsProvider {
  abstract readonly name: 'twilio' | 'outbox';
  abstract send(request: SmsSendRequest): Promise<SmsSendResult>;
  /** A message of ours that the provider has, for a send whose outcome is unknown; null when it has none. */
  abstract findSent(lookup: SentLookup): Promise<SmsSendResult | null>;
  /** Places a voice call; errors are `SmsSendError`s sorted like a send's. */
  abstract call(request: CallRequest): Promise<SmsSendResult>;
  /**
   * A call of ours that the provider has, for a call whose outcome is unknown. A call carries no token of ours
   * (no secret is read out): ours is the first call to the number placed since the attempt that no other row
   * holds; its status callbacks, which name our row, confirm it.
   */
  abstract findCall(lookup: CallLookup): Promise<SmsSendResult | null>;
}

/** Twilio error codes that will not change on a retry. */
const PERMANENT_CODES = new Set([
  21211, 21214, 21217, 21219, 21401, 21407, 21408, 21421, 21610, 21612, 21614, 21617, 30004, 30005, 30006,
]);
/** Network failures where the request cannot have reached the provider. */
const NOT_SENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_INVALID_URL',
]);

/** Sorts an error thrown by the twilio SDK (RestException or an axios/network error). */
export function classifyTwilioError(error: unknown): SmsSendError {
  const candidate = error as { status?: unknown; code?: unknown; message?: unknown } | null;
  // Never a phone number in what is stored or logged.
  const message =
    typeof candidate?.message === 'string'
      ? scrubPhoneNumbers(candidate.message).slice(0, 200)
      : 'send failed';
  if (typeof candidate?.status === 'number') {
    const status = candidate.status;
    const code = typeof candidate.code === 'number' ? candidate.code : null;
    const codeText = code === null ? `http_${status}` : String(code);
    if (status === 429 || status === 500 || status === 503)
      return new SmsSendError('retry', codeText, message, status);
    // A gateway error says nothing about whether Twilio created the message.
    if (status === 502 || status === 504) return new SmsSendError('unknown', codeText, message, status);
    // Credentials or account problems: an operator can fix them; keep the message.
    if (status === 401 || status === 403) return new SmsSendError('retry', codeText, message, status);
    if (status >= 400 && status < 500) {
      return new SmsSendError(
        code !== null && !PERMANENT_CODES.has(code) && status !== 400 ? 'retry' : 'permanent',
        codeText,
        message,
        status,
      );
    }
    return new SmsSendError('unknown', codeText, message, status);
  }
  const networkCode = typeof candidate?.code === 'string' ? candidate.code : 'network_error';
  if (NOT_SENT_NETWORK_CODES.has(networkCode)) return new SmsSendError('retry', networkCode, message);
  // Timeout (ECONNABORTED / ETIMEDOUT), reset, hang-up: the request may have been processed.
  return new SmsSendError('unknown', networkCode, message);
}

/** Twilio's statuses of a message it has (accepted to delivered) as the outbox keeps them. */
export const PROVIDER_STATUS: Readonly<Record<string, AcceptedStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
};

/** Twilio's call statuses as the outbox keeps them, for a call just placed or found. */
const CALL_PLACED_STATUS: Readonly<Record<string, AcceptedStatus>> = {
  queued: 'queued',
  initiated: 'queued',
  ringing: 'sent',
  'in-progress': 'sent',
  completed: 'delivered',
};

export class TwilioSmsProvider extends SmsProvider {
  readonly name = 'twilio' as const;
  private readonly client: twilio.Twilio;

  constructor(
    private readonly settings: TwilioConfig,
    timeoutMs: number,
    /** One kept-alive connection per concurrent send (SMS_WORKER_CONCURRENCY). */
    maxSockets: number,
    proxy: EgressProxyConfig | null = null,
  ) {
    super();
    this.client = createTwilioClient({
      accountSid: settings.accountSid,
      authToken: settings.authToken,
      apiBaseUrl: settings.apiBaseUrl,
      timeoutMs,
      maxSockets,
      proxy,
    });
  }

  async send(request: SmsSendRequest): Promise<SmsSendResult> {
    try {
      const message = await this.client.messages.create({
        to: request.to,
        body: request.body,
        statusCallback: request.statusCallbackUrl,
        ...(this.settings.messagingServiceSid
          ? { messagingServiceSid: this.settings.messagingServiceSid }
          : { from: request.sender }),
      });
      return { sid: message.sid, status: PROVIDER_STATUS[message.status] ?? 'queued' };
    } catch (error) {
      throw classifyTwilioError(error);
    }
  }

  async call(request: CallRequest): Promise<SmsSendResult> {
    if (!this.settings.voiceFrom)
      throw new SmsSendError(
        'permanent',
        'no_voice_caller',
        'No caller number (TWILIO_VOICE_FROM) for calls',
      );
    try {
      const call = await this.client.calls.create({
        to: request.to,
        from: this.settings.voiceFrom,
        twiml: request.twiml,
        statusCallback: request.statusCallbackUrl,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        // Ringing longer mostly reaches voicemail; the SMS then follows.
        timeout: 30,
      });
      return { sid: call.sid, status: CALL_PLACED_STATUS[call.status] ?? 'queued' };
    } catch (error) {
      throw classifyTwilioError(error);
    }
  }

  async findCall(lookup: CallLookup): Promise<SmsSendResult | null> {
    const calls = await this.client.calls.list({ to: lookup.to, limit: 50, pageSize: 50 });
    // Oldest first among the calls placed since the attempt (a second of clock skew allowed).
    const ours = calls
      .filter(
        (call) => !lookup.taken.has(call.sid) && call.dateCreated.getTime() >= lookup.since.getTime() - 1_000,
      )
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())[0];
    return ours ? { sid: ours.sid, status: CALL_PLACED_STATUS[ours.status] ?? 'queued' } : null;
  }

  async findSent(lookup: SentLookup): Promise<SmsSendResult | null> {
    // Newest first; a parent receives a handful of messages per wave, so one page is plenty.
    const messages = await this.client.messages.list({ to: lookup.to, limit: 50, pageSize: 50 });
    const ours = messages.find((message) => typeof message.body === 'string' && lookup.isOurs(message.body));
    return ours ? { sid: ours.sid, status: PROVIDER_STATUS[ours.status] ?? 'queued', body: ours.body } : null;
  }
}

/**
 * The built-in provider: "sends" by writing the rendered SMS into `dev_sms_outbox`, which the console lists
 * (with the link clickable) so a demo works end to end without Twilio. Messages count as delivered at once.
 */
export class DevOutboxSmsProvider extends SmsProvider {
  readonly name = 'outbox' as const;

  constructor(private readonly outbox: DevOutboxRepository) {
    super();
  }

  async send(request: SmsSendRequest): Promise<SmsSendResult> {
    const id = await this.outbox.insert({
      organisationId: request.organisationId,
      smsMessageId: request.smsMessageId,
      toPhone: maskPhone(request.to),
      sender: request.sender,
      body: request.body,
    });
    return { sid: devSid(id ?? randomUUID()), status: 'delivered' };
  }

  async findSent(lookup: SentLookup): Promise<SmsSendResult | null> {
    const rows = await this.outbox.ofMessage(lookup.smsMessageId);
    const ours = rows.find((row) => lookup.isOurs(row.body));
    return ours ? { sid: devSid(ours.id), status: 'delivered', body: ours.body } : null;
  }

  /** A demo "call": its spoken text in the outbox, so the console shows that a call would have been placed. */
  async call(request: CallRequest): Promise<SmsSendResult> {
    const spoken = [...request.twiml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)]
      .map((match) => match[1])
      .join(' ');
    return this.send({
      smsMessageId: request.smsMessageId,
      organisationId: request.organisationId,
      to: request.to,
      body: `Appel vocal : ${spoken}`,
      sender: 'Lien',
      statusCallbackUrl: request.statusCallbackUrl,
    });
  }

  async findCall(lookup: CallLookup): Promise<SmsSendResult | null> {
    return this.findSent({ smsMessageId: lookup.smsMessageId, to: lookup.to, isOurs: () => true });
  }
}

/** The outbox row's id as a provider sid ("DV" + 32 hex digits, like Twilio's "SM..."). */
function devSid(outboxId: string): string {
  return `DV${outboxId.replace(/-/g, '')}`;
}

export function createSmsProvider(config: AppConfig, dataSource: DataSource): SmsProvider {
  if (!config.twilio) {
    // Configuration already refuses this; the demo provider must never be what a production process uses.
    if (config.nodeEnv === 'production') throw new Error('NODE_ENV=production requires Twilio credentials');
    new Logger('SmsProvider').log('No Twilio credentials: SMS go to the built-in outbox (dev_sms_outbox)');
    return new DevOutboxSmsProvider(new DevOutboxRepository(dataSource));
  }
  return new TwilioSmsProvider(
    config.twilio,
    config.smsDelivery.sendTimeoutMs,
    config.smsDelivery.concurrency,
    config.egressProxy,
  );
}
