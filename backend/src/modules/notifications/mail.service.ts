import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { jobId, QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { isEmailAddress as isEmailText } from '../../common/validation.js';
import { currentRequestId } from '../../common/request-context.js';
import { afterCommit } from './after-commit.js';
import { EmailMessagesRepository } from './email-messages.repository.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  /** Plain text. Never health data: no name, score, answer or note; a console link at most. */
  body: string;
  /** The organisation the mail is about (null for platform-level mail, e.g. a platform admin's invitation). */
  organisationId: string | null;
}

/** A deliverable address (what `enqueue` accepts). */
export function isEmailAddress(address: string): boolean {
  return isEmailText(address.trim());
}

/** Retries of one email: exponential back-off from 30 s, about 2 hours in all. */
export const EMAIL_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 },
} as const;

/**
 * The one way to send an email. The row is the outbox (Postgres is the truth); the queue job carries its id only.
 * With no SMTP configured, rows stay in status `outbox` and the console shows them (GET /api/dev/outbox/email).
 */
@Injectable()
export class MailService {
  constructor(
    private readonly messages: EmailMessagesRepository,
    @InjectQueue(QUEUES.email) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes the row (in the caller's transaction when `manager` is given) and queues the send after commit. */
  async enqueue(mail: OutgoingMail, manager?: EntityManager): Promise<string> {
    const to = mail.to.trim().toLowerCase();
    if (!isEmailAddress(to)) throw new RangeError('Invalid recipient address');
    const status = this.config.smtpUrl ? 'pending' : 'outbox';
    const id = await this.messages.insert(
      {
        organisationId: mail.organisationId,
        toAddress: to,
        subject: mail.subject.slice(0, 200),
        body: mail.body,
        status,
      },
      manager,
    );
    // Taken now: the after-commit callback may run outside the request's async context.
    const requestId = currentRequestId();
    if (status === 'pending') await afterCommit(manager, () => this.schedule(id, requestId));
    return id;
  }

  /**
   * Queues the send of a pending row; a no-op when its job already exists (deterministic job id). `requestId`:
   * the request that caused the mail (none when the reconciler re-queues it).
   */
  async schedule(emailMessageId: string, requestId?: string): Promise<void> {
    const payload: JobPayloads['email.send'] = { emailMessageId, ...(requestId ? { requestId } : {}) };
    await this.queue.add('email.send', payload, { jobId: jobId.email(emailMessageId), ...EMAIL_JOB_OPTIONS });
  }
}
