import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { ROLE_PERMISSIONS, type LoginResponse, type MeResponse, type TotpSetupResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import {
  clientNetworkKey,
  RateLimiter,
  tooManyAttempts,
  type RateLimitCheck,
} from '../../common/auth/rate-limiter.js';
import { Clock } from '../../common/clock.js';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { conflict, DomainError, invalid, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { effectiveSettings } from '../organisations/organisations.service.js';
import { PasswordService } from '../users/password.service.js';
import type { UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import type { LoginDto } from './dto/auth.dto.js';
import { SessionsService } from './sessions.service.js';
import { TotpService } from './totp.service.js';

/** Failed sign-ins before an account locks, and for how long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Sign-in attempts per client network (IPv4 address, IPv6 /64) per window (successes are given back). */
export const IP_ATTEMPTS = { limit: 20, windowSeconds: 15 * 60 };
/** Sign-in attempts per account (the e-mail typed, known or not) per window, from any network. */
export const ACCOUNT_ATTEMPTS = { limit: 10, windowSeconds: 15 * 60 };
/** TOTP checks outside sign-in (confirm, disable, enrolment) per account and per client network per window. */
export const TOTP_ACCOUNT_ATTEMPTS = { limit: 10, windowSeconds: 15 * 60 };
export const TOTP_NETWORK_ATTEMPTS = { limit: 30, windowSeconds: 15 * 60 };
const ENROLMENT_TTL_SECONDS = 600;

/** One answer for unknown address, wrong password, inactive or locked account: nothing to learn from it. */
const invalidCredentials = (): DomainError =>
  new DomainError(
    'unauthorised',
    'invalid_credentials',
    'Invalid email or password, or account temporarily locked',
  );

type FailureReason =
  'unknown_account' | 'no_password' | 'bad_password' | 'locked' | 'inactive' | 'totp_invalid';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly totp: TotpService,
    private readonly audit: AuditService,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Password sign-in. Every path that fails before the password check still runs one argon2 verification, so
   * timing does not tell an unknown address from a wrong password.
   */
  async login(input: LoginDto, context: AuditContext): Promise<LoginResponse> {
    const email = input.email.trim().toLowerCase();
    const budgets: RateLimitCheck[] = [
      { bucket: 'login-net', subject: clientNetworkKey(context.ip), ...IP_ATTEMPTS },
      { bucket: 'login-account', subject: email, ...ACCOUNT_ATTEMPTS },
    ];
    await this.rateLimiter.throttle(budgets, 'Too many sign-in attempts; try again later');
    const giveBack = (): Promise<unknown> =>
      Promise.all(budgets.map((budget) => this.rateLimiter.release(budget.bucket, budget.subject)));
    const user = email.length > 0 ? await this.users.findByEmailForAuthentication(email) : null;
    if (!user || !user.passwordHash) {
      await this.passwords.verifyDummy(input.password);
      await this.fail(user, user ? 'no_password' : 'unknown_account', context);
      throw invalidCredentials();
    }
    const now = this.clock.now();
    const passwordOk = await this.passwords.verify(user.passwordHash, input.password);
    if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
      await this.fail(user, 'locked', context);
      throw invalidCredentials();
    }
    if (!passwordOk) {
      await this.fail(user, 'bad_password', context, true);
      throw invalidCredentials();
    }
    if (!user.active) {
      await this.fail(user, 'inactive', context);
      throw invalidCredentials();
    }

    const required = this.mfaRequired(user);
    if (user.totpEnabled && user.totpSecretEnc) {
      if (!input.totp) {
        await giveBack();
        throw new DomainError('unauthorised', 'totp_required', 'Enter the code of your authenticator app');
      }
      if (!(await this.totp.check(user.id, user.totpSecretEnc, input.totp))) {
        await this.fail(user, 'totp_invalid', context, true);
        throw new DomainError('unauthorised', 'totp_invalid', 'The authenticator code is not valid');
      }
    } else if (required) {
      await giveBack();
      await this.requireEnrolment(
        user,
        context,
        'A second factor is required for your account: set up an authenticator app',
      );
    }
    await giveBack();
    return this.succeed(user, user.totpEnabled ? 'password+totp' : 'password', context);
  }

  async me(actor: AuthUser): Promise<MeResponse> {
    const user = await this.users.findByIdForAuthentication(actor.id);
    if (!user) throw notFound('User');
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      organisation: user.organisation
        ? { id: user.organisation.id, name: user.organisation.name, timeZone: user.organisation.timeZone }
        : null,
      territory: { departements: [...user.territoryDepartements], region: user.territoryRegion },
      permissions: [...ROLE_PERMISSIONS[user.role]],
      mfa: {
        totpEnabled: user.totpEnabled,
        required: this.mfaRequired(user),
      },
      oidcLinked: user.oidcSubject !== null,
    };
  }

  /** Signed-in set-up: stores a new (not yet active) secret and returns it for the authenticator app. */
  async setupTotp(actor: AuthUser, context: AuditContext): Promise<TotpSetupResponse> {
    const user = await this.users.findByIdForAuthentication(actor.id);
    if (!user) throw notFound('User');
    return this.newPendingSecret(user, context);
  }

  async confirmTotp(actor: AuthUser, code: string, context: AuditContext): Promise<{ totpEnabled: true }> {
    const user = await this.users.findByIdForAuthentication(actor.id);
    if (!user) throw notFound('User');
    await this.enableTotp(user, code, context);
    return { totpEnabled: true };
  }

  async disableTotp(actor: AuthUser, code: string, context: AuditContext): Promise<{ totpEnabled: false }> {
    const user = await this.users.findByIdForAuthentication(actor.id);
    if (!user) throw notFound('User');
    if (!user.totpEnabled || !user.totpSecretEnc) return { totpEnabled: false };
    if (this.mfaRequired(user)) {
      throw conflict('totp_required_by_organisation', 'A second factor is required for your account');
    }
    await this.verifyTotp(user, code, 'disable', context);
    await this.users.update(user.id, { totpEnabled: false, totpSecretEnc: null });
    await this.audit.record(
      { ...context, organisationId: user.organisationId },
      { action: 'auth.totp.disabled', targetType: 'user', targetId: user.id },
    );
    return { totpEnabled: false };
  }

  /** Enrolment during sign-in (organisation requires MFA): the token from the 401 stands for the password. */
  async setupTotpWithEnrolment(enrolmentToken: string, context: AuditContext): Promise<TotpSetupResponse> {
    const user = await this.userOfEnrolment(enrolmentToken);
    return this.newPendingSecret(user, { ...context, actorId: user.id });
  }

  async confirmTotpWithEnrolment(
    enrolmentToken: string,
    code: string,
    context: AuditContext,
  ): Promise<LoginResponse> {
    const user = await this.userOfEnrolment(enrolmentToken);
    await this.enableTotp(user, code, { ...context, actorId: user.id });
    await this.redis.del(this.enrolmentKey(enrolmentToken));
    return this.succeed(user, 'password+totp', context);
  }

  private async newPendingSecret(user: UserEntity, context: AuditContext): Promise<TotpSetupResponse> {
    if (user.totpEnabled)
      throw conflict('totp_already_enabled', 'Two-factor sign-in is already on; turn it off first');
    const { secret, secretEnc } = this.totp.newSecret();
    await this.users.update(user.id, { totpSecretEnc: secretEnc, totpEnabled: false });
    await this.audit.record(
      { ...context, organisationId: user.organisationId },
      { action: 'auth.totp.setup', targetType: 'user', targetId: user.id },
    );
    return { otpauthUrl: this.totp.otpauthUrl(secret, user.email), secret };
  }

  private async enableTotp(user: UserEntity, code: string, context: AuditContext): Promise<void> {
    if (user.totpEnabled) throw conflict('totp_already_enabled', 'Two-factor sign-in is already on');
    if (!user.totpSecretEnc) throw conflict('totp_not_set_up', 'Set up the authenticator app first');
    await this.verifyTotp(user, code, 'confirm', context);
    await this.users.update(user.id, { totpEnabled: true });
    user.totpEnabled = true;
    await this.audit.record(
      { ...context, organisationId: user.organisationId },
      { action: 'auth.totp.enabled', targetType: 'user', targetId: user.id },
    );
  }

  /**
   * A second factor is required of this user: by the platform for their role (MFA_REQUIRED_ROLES), or by their
   * organisation's setting. Those without TOTP go through the enrolment flow at sign-in and cannot turn it off.
   */
  mfaRequired(user: UserEntity): boolean {
    if (this.config.mfaRequiredRoles.has(user.role)) return true;
    return user.organisation ? effectiveSettings(user.organisation).requireMfa : false;
  }

  /**
   * Checks a TOTP code outside sign-in (confirm, disable, enrolment): throttled per account and per client
   * network, and each wrong code counts towards the account lockout (the one sign-in uses), so guessing the
   * 10^6 codes is impossible. While locked every code is refused with 429, the right one too.
   */
  private async verifyTotp(
    user: UserEntity,
    code: string,
    purpose: 'confirm' | 'disable',
    context: AuditContext,
  ): Promise<void> {
    await this.rateLimiter.throttle(
      [
        { bucket: 'totp-account', subject: user.id, ...TOTP_ACCOUNT_ATTEMPTS },
        { bucket: 'totp-net', subject: clientNetworkKey(context.ip), ...TOTP_NETWORK_ATTEMPTS },
      ],
      'Too many authenticator codes tried; try again later',
    );
    const now = this.clock.now();
    const current = await this.users.findByIdForAuthentication(user.id);
    const lockedUntil = current?.lockedUntil ?? null;
    if (lockedUntil && lockedUntil.getTime() > now.getTime()) {
      throw tooManyAttempts(
        (lockedUntil.getTime() - now.getTime()) / 1000,
        'Too many wrong codes; try again later',
      );
    }
    if (user.totpSecretEnc && (await this.totp.check(user.id, user.totpSecretEnc, code))) return;
    const { lockedNow } = await this.users.recordFailedLogin(
      user.id,
      now,
      LOCKOUT_THRESHOLD,
      new Date(now.getTime() + LOCKOUT_MS),
    );
    const auditContext = { ...context, organisationId: user.organisationId };
    await this.audit.record(auditContext, {
      action: 'auth.totp.failure',
      targetType: 'user',
      targetId: user.id,
      metadata: { purpose },
    });
    if (lockedNow) {
      await this.audit.record(auditContext, {
        action: 'auth.lockout',
        targetType: 'user',
        targetId: user.id,
        metadata: { minutes: LOCKOUT_MS / 60_000, via: 'totp' },
      });
      throw tooManyAttempts(LOCKOUT_MS / 1000, 'Too many wrong codes; try again later');
    }
    throw invalid('code', 'is not a valid authenticator code');
  }

  private async userOfEnrolment(enrolmentToken: string): Promise<UserEntity> {
    const userId = await this.redis.get(this.enrolmentKey(enrolmentToken));
    const user = userId ? await this.users.findByIdForAuthentication(userId) : null;
    if (!user || !user.active) {
      throw new DomainError(
        'unauthorised',
        'invalid_enrolment_token',
        'This enrolment has expired; sign in again',
      );
    }
    return user;
  }

  private enrolmentKey(token: string): string {
    return `${this.config.queuePrefix}:auth:totp-enrolment:${hashToken(token)}`;
  }

  /**
   * The second factor after a first one other than the password (an OIDC provider not counted as MFA): the TOTP
   * code when the user has one, enrolment when their organisation requires it. Answers the sign-in method.
   */
  async secondFactor(
    user: UserEntity,
    totp: string | undefined,
    first: string,
    context: AuditContext,
  ): Promise<string> {
    if (user.totpEnabled && user.totpSecretEnc) {
      if (!totp)
        throw new DomainError('unauthorised', 'totp_required', 'Enter the code of your authenticator app');
      if (!(await this.totp.check(user.id, user.totpSecretEnc, totp))) {
        await this.fail(user, 'totp_invalid', context, true, first);
        throw new DomainError('unauthorised', 'totp_invalid', 'The authenticator code is not valid');
      }
      return `${first}+totp`;
    }
    if (this.mfaRequired(user))
      await this.requireEnrolment(
        user,
        context,
        'Your organisation requires a second factor: set up an authenticator app',
      );
    return first;
  }

  /** A 401 carrying a short-lived token with which the user sets up their authenticator app (audited). */
  private async requireEnrolment(user: UserEntity, context: AuditContext, message: string): Promise<never> {
    const enrolmentToken = randomToken(32);
    await this.redis.set(this.enrolmentKey(enrolmentToken), user.id, 'EX', ENROLMENT_TTL_SECONDS);
    await this.audit.record(
      { ...context, actorId: user.id, organisationId: user.organisationId },
      { action: 'auth.totp.enrolment_required', targetType: 'user', targetId: user.id },
    );
    throw new DomainError('unauthorised', 'totp_enrolment_required', message, { enrolmentToken });
  }

  /** Records the success, resets the failure counter, opens the session. Also used by the OIDC sign-in. */
  async succeed(user: UserEntity, method: string, context: AuditContext): Promise<LoginResponse> {
    return this.dataSource.transaction(async (manager) => {
      await this.users.recordSuccessfulLogin(user.id, this.clock.now(), manager);
      const session = await this.sessions.start(user, manager);
      await this.audit.record(
        { ...context, actorId: user.id, organisationId: user.organisationId },
        { action: 'auth.login.success', targetType: 'user', targetId: user.id, metadata: { method } },
        manager,
      );
      return session;
    });
  }

  /** Audits a failure (never the address typed); counts it towards the account lockout when `counts`. */
  private async fail(
    user: UserEntity | null,
    reason: FailureReason,
    context: AuditContext,
    counts = false,
    method = 'password',
  ): Promise<void> {
    let locked = false;
    if (user && counts) {
      const now = this.clock.now();
      locked = (
        await this.users.recordFailedLogin(
          user.id,
          now,
          LOCKOUT_THRESHOLD,
          new Date(now.getTime() + LOCKOUT_MS),
        )
      ).lockedNow;
    }
    await this.audit.record(
      { ...context, actorId: user?.id ?? null, organisationId: user?.organisationId ?? null },
      {
        action: 'auth.login.failure',
        ...(user ? { targetType: 'user', targetId: user.id } : {}),
        metadata: { method, reason },
      },
    );
    if (locked && user) {
      await this.audit.record(
        { ...context, actorId: null, organisationId: user.organisationId },
        {
          action: 'auth.lockout',
          targetType: 'user',
          targetId: user.id,
          metadata: { minutes: LOCKOUT_MS / 60_000 },
        },
      );
    }
  }
}
