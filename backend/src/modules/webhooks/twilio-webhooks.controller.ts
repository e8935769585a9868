import { Header, HttpCode, HttpStatus, Inject, Logger, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import twilio from 'twilio';
import { Public } from '../../common/auth/decorators.js';
import { UndocumentedController } from '../../common/route.js';
import { DomainError } from '../../common/errors.js';
import { requestOrigin } from '../../common/request-context.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { ParentOptOutService } from '../parents/parent-opt-out.service.js';
import { SmsStatusService } from '../sms/sms-status.service.js';
import { inboundKeyword } from './inbound-keywords.js';
import { InboundSmsRepository } from './inbound-sms.repository.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's webhooks. Public routes whose only credential is `X-Twilio-Signature`, checked against the public
 * URL Twilio called (PUBLIC_BASE_URL + path and query) and the form parameters: anything else is a 403, as is
 * every call when Twilio is not configured.
 */
@UndocumentedController('api/webhooks/twilio')
export class TwilioWebhooksController {
  private readonly logger = new Logger('TwilioWebhooks');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly statuses: SmsStatusService,
    private readonly optOut: ParentOptOutService,
    private readonly processed: InboundSmsRepository,
  ) {}

  @Post('status')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  async status(@Req() request: Request): Promise<void> {
    const params = this.verified(request);
    // Messages, and the voice calls of urgent pages (same route, same signature check).
    const sid = params.MessageSid ?? params.SmsSid ?? params.CallSid;
    const status = params.MessageStatus ?? params.SmsStatus ?? params.CallStatus;
    if (!sid || !status) return;
    const smsMessageId = typeof request.query.m === 'string' ? request.query.m : null;
    await this.statuses.apply({
      smsMessageId,
      providerSid: sid,
      providerStatus: status,
      errorCode: params.ErrorCode ?? null,
    });
  }

  @Post('inbound')
  @Public()
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async inbound(@Req() request: Request): Promise<string> {
    const params = this.verified(request);
    const from = params.From ?? '';
    const keyword = inboundKeyword(params.Body ?? '');
    if (!keyword || !/^\+[1-9]\d{6,14}$/.test(from)) return EMPTY_TWIML;
    // Once per MessageSid: a replayed (or retried) message must not undo a later one (an old START after a STOP).
    const sid = params.MessageSid ?? params.SmsSid ?? '';
    if (!/^[A-Za-z0-9]{10,64}$/.test(sid)) return EMPTY_TWIML;
    if (!(await this.processed.claim(sid))) {
      this.logger.log(`Inbound ${keyword}: replay of a message already processed, ignored`);
      return EMPTY_TWIML;
    }
    // The provider's address and the request id: who sent the keyword, as far as the audit log is concerned.
    const origin = requestOrigin(request);
    let count: number;
    try {
      count =
        keyword === 'opt_out'
          ? await this.optOut.optOutByPhone(from, origin)
          : await this.optOut.optInByPhone(from, origin);
    } catch (error) {
      await this.processed.release(sid).catch(() => undefined);
      throw error;
    }
    this.logger.log(`Inbound ${keyword}: ${count} parent record(s) changed`);
    return EMPTY_TWIML;
  }

  /** The form parameters of a request signed by Twilio with our auth token; 403 otherwise. */
  private verified(request: Request): Record<string, string> {
    const forbidden = new DomainError('forbidden', 'invalid_signature', 'Forbidden');
    if (!this.config.twilio) throw forbidden;
    const signature = request.header('x-twilio-signature');
    if (!signature) throw forbidden;
    const body: unknown = request.body;
    const params: Record<string, string> = {};
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
        if (typeof value !== 'string') throw forbidden; // Twilio posts flat form fields only
        params[key] = value;
      }
    }
    const url = `${this.config.publicBaseUrl}${request.originalUrl}`;
    let valid = false;
    try {
      valid = twilio.validateRequest(this.config.twilio.authToken, signature, url, params);
    } catch {
      valid = false;
    }
    if (!valid) throw forbidden;
    return params;
  }
}
