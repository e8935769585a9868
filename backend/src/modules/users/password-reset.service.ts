import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clientNetworkKey, RateLimiter } from '../../common/auth/rate-limiter.js';
import { SessionEvents } from '../../common/auth/session-events.js';
import { Clock } from '../../common/clock.js';
import { hashToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError } from '../../common/errors.js';
import { isEmailAddress } from '../../common/validation.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { PasswordService } from './password.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { UserLinksService } from './user-links.service.js';
import { UserTokensRepository } from './user-tokens.repository.js';
import { UsersRepository } from './users.repository.js';

/** Reset emails per account per hour (more are silently dropped, so the answer never tells). */
const RESET_PER_EMAIL = { limit: 3, windowSeconds: 3600 };
/** Reset requests per client network (IPv4 address, IPv6 /64) and per address typed (known or not): else 429. */
export const RESET_PER_IP = { limit: 30, windowSeconds: 900 };
export const RESET_PER_ADDRESS = { limit: 5, windowSeconds: 3600 };
/** Set-password attempts (link tokens) per client network, and per account once the token names one. */
export const SET_PASSWORD_PER_NETWORK = { limit: 30, windowSeconds: 900 };
export const SET_PASSWORD_PER_ACCOUNT = { limit: 10, windowSeconds: 900 };

const invalidLink = (): DomainError =>
  new DomainError('invalid', 'invalid_token', 'token: this link is invalid or has expired', [
    { field: 'token', message: 'this link is invalid or has expired' },
  ]);

/** Forgotten passwords, and the one-time links (invitation or reset) that set one. Public routes, throttled. */
@Injectable()
export class PasswordResetService implements OnApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly userTokens: UserTokensRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly links: UserLinksService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    private readonly sessionEvents: SessionEvents,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  /**
   * Always answers the same way, at once: the lookup and the email happen after the answer, so neither the body
   * nor the timing says whether the address has an account.
   */
  async requestPasswordReset(rawEmail: string, context: AuditContext): Promise<void> {
    const email = rawEmail.trim().toLowerCase();
    // Keyed by the address typed, not the account: the 429 comes the same for an address with no account.
    await this.rateLimiter.throttle(
      [
        { bucket: 'reset-net', subject: clientNetworkKey(context.ip), ...RESET_PER_IP },
        { bucket: 'reset-address', subject: email, ...RESET_PER_ADDRESS },
      ],
      'Too many requests; try again later',
    );
    const work = this.sendPasswordReset(email, context).catch((error: unknown) => {
      this.logger.error(`password reset email failed: ${(error as Error).message}`);
    });
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }

  private async sendPasswordReset(email: string, context: AuditContext): Promise<void> {
    if (!isEmailAddress(email)) return;
    const user = await this.users.findByEmailForAuthentication(email);
    if (!user || !user.active) return;
    const budget = await this.rateLimiter.hit(
      'reset-user',
      user.id,
      RESET_PER_EMAIL.limit,
      RESET_PER_EMAIL.windowSeconds,
    );
    if (!budget.allowed) return;
    await this.dataSource.transaction(async (manager) => {
      await this.links.send(user, 'password_reset', manager);
      await this.audit.record(
        { ...context, actorId: null, organisationId: user.organisationId },
        { action: 'user.password.reset_requested', targetType: 'user', targetId: user.id },
        manager,
      );
    });
  }

  /** Sets a password with the token of an invitation or reset link; ends every session and clears any lockout. */
  async setPassword(token: string, password: string, context: AuditContext): Promise<void> {
    await this.rateLimiter.throttle(
      [{ bucket: 'set-password-net', subject: clientNetworkKey(context.ip), ...SET_PASSWORD_PER_NETWORK }],
      'Too many attempts; try again later',
    );
    const now = this.clock.now();
    const link = await this.userTokens.findLive(hashToken(token), now);
    if (!link) throw invalidLink();
    const user = await this.users.findByIdForAuthentication(link.userId);
    if (!user || !user.active) throw invalidLink();
    await this.rateLimiter.throttle(
      [{ bucket: 'set-password-account', subject: user.id, ...SET_PASSWORD_PER_ACCOUNT }],
      'Too many attempts; try again later',
    );
    this.passwords.assertStrong(password, user.email, 'password');
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.userTokens.consume(link.id, now, manager))) throw invalidLink();
      await this.userTokens.supersede(user.id, now, manager);
      await this.users.update(user.id, { passwordHash, failedLogins: 0, lockedUntil: null }, manager);
      await this.refreshTokens.revokeAllForUser(user.id, now, manager);
      await this.audit.record(
        { ...context, actorId: user.id, organisationId: user.organisationId },
        {
          action: 'user.password.set',
          targetType: 'user',
          targetId: user.id,
          metadata: { via: link.purpose },
        },
        manager,
      );
    });
    await this.sessionEvents.ended(user.id);
  }
}
