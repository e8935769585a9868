import { Inject, Injectable } from '@nestjs/common';
import type { OutboxEmail } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { UsersService } from '../users/users.service.js';
import { EmailMessagesRepository } from './email-messages.repository.js';

export const REDACTED_LINK = '[lien masqué / link redacted]';

/**
 * A link that signs someone in or sets a password: any URL carrying a token (query or fragment) or leading to the
 * set-password page. Shown only to the person it was sent to.
 */
const CREDENTIAL_LINK = /\bhttps?:\/\/[^\s]*?(?:[?#&;]token=|\/set-password\b)[^\s]*/gi;

export function redactCredentialLinks(text: string): string {
  return text.replace(CREDENTIAL_LINK, REDACTED_LINK);
}

/**
 * Who sees what in the built-in email outbox: each user the messages addressed to them; a platform admin every
 * message, but a credential link (password reset, invitation) only in their own messages.
 */
@Injectable()
export class EmailOutboxService {
  constructor(
    private readonly messages: EmailMessagesRepository,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, limit: number): Promise<OutboxEmail[]> {
    if (this.config.smtpUrl) throw notFound('Outbox');
    // The caller's own address, read now (an address changed since sign-in is the one that counts).
    const email = await this.users.currentEmail(user.id);
    if (email === null) return [];
    const own = email.trim().toLowerCase();
    const rows = await this.messages.listOutbox(
      { toAddress: user.role === 'platform_admin' ? null : own },
      limit,
    );
    return rows.map((row) => ({
      id: row.id,
      to: row.toAddress,
      subject: row.subject,
      body: row.toAddress === own ? row.body : redactCredentialLinks(row.body),
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    }));
  }
}
