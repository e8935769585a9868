import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { invitationMail, passwordResetMail } from '../notifications/account-mails.js';
import { MailService } from '../notifications/mail.service.js';
import type { UserTokenPurpose } from './user-token.entity.js';
import type { UserEntity } from './user.entity.js';
import { UserTokensRepository } from './user-tokens.repository.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
export const PASSWORD_RESET_TTL_MS = 3600_000;

/** One-time links to choose a password (invitations and resets): the token row and its e-mail. */
@Injectable()
export class UserLinksService {
  constructor(
    private readonly userTokens: UserTokensRepository,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes a one-time link and queues its email in the caller's transaction; older links of the user stop working. */
  async send(user: UserEntity, purpose: UserTokenPurpose, manager: EntityManager): Promise<void> {
    const now = this.clock.now();
    const token = randomToken(32);
    await this.userTokens.supersede(user.id, now, manager);
    const ttl = purpose === 'invitation' ? INVITATION_TTL_MS : PASSWORD_RESET_TTL_MS;
    await this.userTokens.insert(
      { userId: user.id, purpose, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + ttl) },
      manager,
    );
    // The token rides in the fragment: browsers never send it, so no server, proxy or Referer can log it. The
    // console reads it, clears it from the address bar and POSTs it.
    const url = `${this.config.publicBaseUrl}/set-password#token=${encodeURIComponent(token)}`;
    const mail = purpose === 'invitation' ? invitationMail(url) : passwordResetMail(url);
    await this.mail.enqueue({ to: user.email, organisationId: user.organisationId, ...mail }, manager);
  }
}
