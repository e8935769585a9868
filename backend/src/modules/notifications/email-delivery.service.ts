import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { Clock } from '../../common/clock.js';
import { EgressProxy } from '../../common/egress-proxy.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig, EgressProxyConfig } from '../../config/config.js';
import { EmailMessagesRepository } from './email-messages.repository.js';
import { MailService } from './mail.service.js';

/** Rows still pending this long after creation have lost their job (Redis flushed, crash before queueing). */
const RECONCILE_AFTER_MS = 60_000;
const RECONCILE_BATCH = 500;

/**
 * nodemailer options from SMTP_URL: smtps:// is implicit TLS; smtp:// upgrades with STARTTLS when the server
 * offers it. `?ignoreTLS=true` turns STARTTLS off (local test servers only).
 */
export function smtpTransportOptions(
  smtpUrl: string,
  egressProxy?: EgressProxyConfig | null,
): {
  host: string;
  port: number;
  secure: boolean;
  ignoreTLS: boolean;
  auth?: { user: string; pass: string };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
  proxy?: string;
} {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  // SMTP leaves like any other egress: through HTTPS_PROXY (an HTTP CONNECT tunnel) unless NO_PROXY names it.
  const port = Number(url.port || (secure ? 465 : 587));
  const proxy = egressProxy
    ? new EgressProxy(egressProxy).for(
        new URL(`https://${url.host.includes(':') ? url.host : `${url.host}:${port}`}`),
      )
    : null;
  return {
    ...(proxy ? { proxy: proxy.href } : {}),
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

/** Sends outbox rows over SMTP; used by the email queue's processor (worker process only). */
@Injectable()
export class EmailDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(EmailDeliveryService.name);
  private transporter: Transporter | null = null;

  constructor(
    private readonly messages: EmailMessagesRepository,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends one row once: only a `pending` row is sent, and it is marked `sent` right after the server accepts it.
   * Throws on SMTP failure so the queue retries with back-off; the last attempt marks the row `failed`.
   */
  async send(emailMessageId: string, finalAttempt: boolean): Promise<'sent' | 'skipped' | 'outbox'> {
    const message = await this.messages.findById(emailMessageId);
    if (!message || message.status !== 'pending') return 'skipped';
    if (!this.config.smtpUrl) {
      await this.messages.moveOnFromPending(message.id, { status: 'outbox' });
      return 'outbox';
    }
    await this.messages.countAttempt(message.id);
    try {
      await this.transport().sendMail({
        from: this.config.mailFrom,
        to: message.toAddress,
        subject: message.subject,
        text: message.body,
      });
    } catch (error) {
      this.logger.warn(`email ${message.id} not sent: ${(error as Error).message}`);
      if (finalAttempt) await this.messages.moveOnFromPending(message.id, { status: 'failed' });
      throw error;
    }
    await this.messages.moveOnFromPending(message.id, { status: 'sent', sentAt: this.clock.now() });
    return 'sent';
  }

  /** Re-queues pending rows whose job was lost; returns how many it queued. */
  async reconcile(): Promise<number> {
    if (!this.config.smtpUrl) return 0;
    const stale = await this.messages.pendingSince(
      new Date(this.clock.now().getTime() - RECONCILE_AFTER_MS),
      RECONCILE_BATCH,
    );
    for (const id of stale) await this.mail.schedule(id);
    return stale.length;
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }

  private transport(): Transporter {
    if (!this.config.smtpUrl) throw new Error('SMTP is not configured');
    this.transporter ??= nodemailer.createTransport(
      smtpTransportOptions(this.config.smtpUrl, this.config.egressProxy),
    );
    return this.transporter;
  }
}
