import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  checkPasswordStrength,
  regionOfDepartement,
  type UserListResponse,
  type UserRole,
  type UserStatus,
  type UserSummary,
} from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { clientNetworkKey, RateLimiter } from '../../common/auth/rate-limiter.js';
import { SessionEvents } from '../../common/auth/session-events.js';
import { scopeOf, type AccessScope } from '../../common/auth/scope.js';
import { Clock } from '../../common/clock.js';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { conflict, DomainError, invalid, notFound } from '../../common/errors.js';
import { isEmailAddress } from '../../common/validation.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { MailService } from '../notifications/mail.service.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import type { InviteUserDto, TerritoryDto, UpdateUserDto, UserListQueryDto } from './dto/users.dto.js';
import { PasswordService } from './password.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import type { UserTokenPurpose } from './user-token.entity.js';
import type { UserEntity } from './user.entity.js';
import { UserTokensRepository } from './user-tokens.repository.js';
import { UsersRepository } from './users.repository.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
export const PASSWORD_RESET_TTL_MS = 3600_000;
const ORGANISATION_ROLES: readonly UserRole[] = ['professional', 'org_admin'];
const PLATFORM_ROLES: readonly UserRole[] = ['coordinator', 'platform_admin'];
/** Reset emails per account per hour (more are silently dropped, so the answer never tells). */
const RESET_PER_EMAIL = { limit: 3, windowSeconds: 3600 };
/** Reset requests per client network (IPv4 address, IPv6 /64) and per address typed (known or not): else 429. */
export const RESET_PER_IP = { limit: 30, windowSeconds: 900 };
export const RESET_PER_ADDRESS = { limit: 5, windowSeconds: 3600 };
/** Set-password attempts (link tokens) per client network, and per account once the token names one. */
export const SET_PASSWORD_PER_NETWORK = { limit: 30, windowSeconds: 900 };
export const SET_PASSWORD_PER_ACCOUNT = { limit: 10, windowSeconds: 900 };

export function userStatus(user: UserEntity, now: Date): UserStatus {
  if (!user.active) return 'inactive';
  if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) return 'locked';
  if (!user.passwordHash && !user.oidcSubject) return 'invited';
  return 'active';
}

export function toUserSummary(user: UserEntity, now: Date): UserSummary {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    organisationId: user.organisationId,
    organisationName: user.organisation?.name ?? null,
    territory: { departements: [...user.territoryDepartements], region: user.territoryRegion },
    rpps: user.rpps,
    status: userStatus(user, now),
    active: user.active,
    totpEnabled: user.totpEnabled,
    oidcLinked: user.oidcSubject !== null,
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    createdAt: user.createdAt.toISOString(),
  };
}

export interface ProvisionUserInput {
  email: string;
  displayName: string;
  role: UserRole;
  password: string;
  organisationId?: string | null;
  territory?: { departements?: string[]; region?: string | null };
  rpps?: string | null;
}

const invalidLink = (): DomainError =>
  new DomainError('invalid', 'invalid_token', 'token: this link is invalid or has expired', [
    { field: 'token', message: 'this link is invalid or has expired' },
  ]);

/**
 * Accounts: invitations, roles, deactivation, passwords. Org admins manage their own organisation's professionals
 * and org admins; platform admins manage org admins, coordinators and platform admins everywhere.
 */
@Injectable()
export class UsersService implements OnApplicationShutdown {
  private readonly logger = new Logger('UsersService');
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly userTokens: UserTokensRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly passwords: PasswordService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    private readonly sessionEvents: SessionEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  async list(actor: AuthUser, query: UserListQueryDto): Promise<UserListResponse> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const scope = scopeOf(actor);
    if (
      scope.kind === 'organisation' &&
      query.organisationId &&
      query.organisationId !== scope.organisationId
    ) {
      throw notFound('Organisation');
    }
    const { items, total } = await this.users.list(scope, {
      ...(query.organisationId ? { organisationId: query.organisationId } : {}),
      ...(query.role ? { role: query.role } : {}),
      ...(query.active ? { active: query.active === 'true' } : {}),
      ...(query.search?.trim() ? { search: query.search.trim() } : {}),
      page,
      pageSize,
    });
    const now = this.clock.now();
    return { items: items.map((user) => toUserSummary(user, now)), total, page, pageSize };
  }

  async get(id: string, actor: AuthUser): Promise<UserSummary> {
    const user = await this.users.findById(id, scopeOf(actor));
    if (!user) throw notFound('User');
    return toUserSummary(user, this.clock.now());
  }

  /** Creates the account and emails a one-time link to choose a password, all in one transaction. */
  async invite(input: InviteUserDto, actor: AuthUser, context: AuditContext): Promise<UserSummary> {
    const email = input.email.trim().toLowerCase();
    const scope = scopeOf(actor);
    const placement = await this.placementForInvite(input, actor, scope);
    if (input.rpps) this.assertMayRecordRpps(actor, null);
    const created = await this.dataSource.transaction(async (manager) => {
      if (await this.users.emailTaken(email, manager))
        throw conflict('email_taken', 'An account already uses this email address');
      if (input.rpps && (await this.users.rppsTaken(input.rpps, null, manager))) {
        throw conflict('rpps_taken', 'Another account already has this RPPS number');
      }
      let user: UserEntity;
      try {
        user = await this.users.insert(
          {
            email,
            displayName: input.displayName.trim(),
            role: input.role,
            organisationId: placement.organisationId,
            territoryDepartements: placement.departements,
            territoryRegion: placement.region,
            rpps: input.rpps ?? null,
            rppsRecordedBy: input.rpps ? actor.id : null,
            passwordHash: null,
            active: true,
          },
          manager,
        );
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          throw conflict('email_taken', 'An account already uses this email address');
        throw error;
      }
      await this.sendLink(user, 'invitation', manager);
      await this.audit.record(
        { ...context, organisationId: placement.organisationId ?? context.organisationId },
        { action: 'user.invite', targetType: 'user', targetId: user.id, metadata: { role: user.role } },
        manager,
      );
      if (user.rpps) {
        await this.audit.record(
          { ...context, organisationId: placement.organisationId ?? context.organisationId },
          {
            action: 'user.rpps.recorded',
            targetType: 'user',
            targetId: user.id,
            metadata: { cleared: false },
          },
          manager,
        );
      }
      return user.id;
    });
    return this.get(created, actor);
  }

  /**
   * Creates an active account with a password, without any email: for seed scripts and for bootstrapping the first
   * platform admin (no HTTP route). Same placement rules as invitations: org roles need an organisation, coordinators
   * a territory, platform admins neither. The password must pass the strength rule.
   */
  async provision(input: ProvisionUserInput, context: AuditContext): Promise<UserSummary> {
    const email = input.email.trim().toLowerCase();
    if (!isEmailAddress(email)) throw invalid('email', 'must be an email address');
    const isOrganisationRole = ORGANISATION_ROLES.includes(input.role);
    if (isOrganisationRole && !input.organisationId)
      throw invalid('organisationId', 'is required for this role');
    if (!isOrganisationRole && input.organisationId)
      throw invalid('organisationId', 'only professionals and org admins belong to an organisation');
    if (input.territory && input.role !== 'coordinator')
      throw invalid('territory', 'only coordinators have a territory');
    const territory =
      input.role === 'coordinator'
        ? this.territory(input.territory ?? {})
        : { territoryDepartements: [], territoryRegion: null };
    if (
      input.organisationId &&
      !(await this.organisations.findById(input.organisationId, { kind: 'platform' }))
    ) {
      throw invalid('organisationId', 'no such organisation');
    }
    this.assertStrong(input.password, email, 'password');
    const passwordHash = await this.passwords.hash(input.password);
    const id = await this.dataSource.transaction(async (manager) => {
      if (await this.users.emailTaken(email, manager))
        throw conflict('email_taken', 'An account already uses this email address');
      const user = await this.users.insert(
        {
          email,
          displayName: input.displayName.trim(),
          role: input.role,
          organisationId: input.organisationId ?? null,
          ...territory,
          rpps: input.rpps ?? null,
          passwordHash,
          active: true,
        },
        manager,
      );
      await this.audit.record(
        { ...context, organisationId: user.organisationId },
        { action: 'user.provision', targetType: 'user', targetId: user.id, metadata: { role: user.role } },
        manager,
      );
      return user.id;
    });
    const created = await this.users.findById(id, { kind: 'platform' });
    if (!created) throw notFound('User');
    return toUserSummary(created, this.clock.now());
  }

  /** Sends a fresh invitation link (older links stop working) to an account that has not signed in yet. */
  async resendInvitation(id: string, actor: AuthUser, context: AuditContext): Promise<UserSummary> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByIdForUpdate(id, scopeOf(actor), manager);
      if (!user) throw notFound('User');
      if (!user.active) throw conflict('user_inactive', 'This account is deactivated');
      if (user.passwordHash || user.oidcSubject)
        throw conflict('already_activated', 'This account already has a password or a linked identity');
      await this.sendLink(user, 'invitation', manager);
      await this.audit.record(
        { ...context, organisationId: user.organisationId ?? context.organisationId },
        { action: 'user.invite.resend', targetType: 'user', targetId: user.id },
        manager,
      );
    });
    return this.get(id, actor);
  }

  async update(
    id: string,
    input: UpdateUserDto,
    actor: AuthUser,
    context: AuditContext,
  ): Promise<UserSummary> {
    let sessionsChanged: string | null = null;
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByIdForUpdate(id, scopeOf(actor), manager);
      if (!user) throw notFound('User');
      const changes: Partial<UserEntity> = {};
      if (input.displayName !== undefined) changes.displayName = input.displayName.trim();
      const self = user.id === actor.id;
      if (input.role !== undefined && input.role !== user.role) {
        if (self) throw conflict('cannot_change_own_access', 'You cannot change your own role');
        const allowed = user.organisationId ? ORGANISATION_ROLES : PLATFORM_ROLES;
        if (
          !allowed.includes(input.role) ||
          (actor.role === 'org_admin' && !ORGANISATION_ROLES.includes(input.role))
        ) {
          throw invalid(
            'role',
            user.organisationId
              ? 'must be professional or org_admin for a member of an organisation'
              : 'must be coordinator or platform_admin for an account outside organisations',
          );
        }
        changes.role = input.role;
      }
      const role = changes.role ?? user.role;
      if (input.territory !== undefined) {
        if (role !== 'coordinator') throw invalid('territory', 'only coordinators have a territory');
        Object.assign(changes, this.territory(input.territory));
      } else if (changes.role === 'coordinator') {
        Object.assign(
          changes,
          this.territory({ departements: user.territoryDepartements, region: user.territoryRegion }),
        );
      } else if (changes.role && user.role === 'coordinator') {
        Object.assign(changes, { territoryDepartements: [], territoryRegion: null });
      }
      if (input.rpps !== undefined && input.rpps !== user.rpps) {
        this.assertMayRecordRpps(actor, user.id);
        if (input.rpps && (await this.users.rppsTaken(input.rpps, user.id, manager))) {
          throw conflict('rpps_taken', 'Another account already has this RPPS number');
        }
        changes.rpps = input.rpps;
        changes.rppsRecordedBy = input.rpps ? actor.id : null;
      }
      if (input.active !== undefined && input.active !== user.active) {
        if (self) throw conflict('cannot_change_own_access', 'You cannot deactivate your own account');
        changes.active = input.active;
        if (input.active) Object.assign(changes, { failedLogins: 0, lockedUntil: null });
      }
      if (Object.keys(changes).length === 0) return;
      await this.users.update(user.id, changes, manager);
      if (changes.active === false)
        await this.refreshTokens.revokeAllForUser(user.id, this.clock.now(), manager);
      if (changes.active === false || changes.role) sessionsChanged = user.id;
      const auditContext = { ...context, organisationId: user.organisationId ?? context.organisationId };
      await this.audit.record(
        auditContext,
        {
          action: 'user.update',
          targetType: 'user',
          targetId: user.id,
          metadata: { fields: Object.keys(changes).sort() },
        },
        manager,
      );
      if (changes.active === false) {
        await this.audit.record(
          auditContext,
          { action: 'user.deactivate', targetType: 'user', targetId: user.id },
          manager,
        );
      }
      if (changes.rpps !== undefined) {
        await this.audit.record(
          auditContext,
          {
            action: 'user.rpps.recorded',
            targetType: 'user',
            targetId: user.id,
            metadata: { cleared: changes.rpps === null },
          },
          manager,
        );
      }
    });
    // After the commit: the user's open alert streams, in every API process, end or are re-checked.
    if (sessionsChanged) await this.sessionEvents.ended(sessionsChanged);
    return this.get(id, actor);
  }

  /**
   * An RPPS number signs its holder in through Pro Santé Connect, so only a platform admin records it, and never
   * on their own account: not the account holder, not an organisation admin peer.
   */
  private assertMayRecordRpps(actor: AuthUser, targetId: string | null): void {
    if (actor.role !== 'platform_admin' || actor.id === targetId) {
      throw new DomainError(
        'forbidden',
        'rpps_platform_admin_only',
        "rpps: only a platform admin records another account's RPPS number",
        [{ field: 'rpps', message: "only a platform admin records another account's RPPS number" }],
      );
    }
  }

  deactivate(id: string, actor: AuthUser, context: AuditContext): Promise<UserSummary> {
    return this.update(id, { active: false }, actor, context);
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
      await this.sendLink(user, 'password_reset', manager);
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
    this.assertStrong(password, user.email, 'password');
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

  /** A signed-in user changes their password; other sessions end, the current one stays. */
  async changePassword(
    actor: AuthUser,
    currentPassword: string,
    newPassword: string,
    context: AuditContext,
  ): Promise<void> {
    const user = await this.users.findByIdForAuthentication(actor.id);
    if (!user) throw notFound('User');
    const ok = user.passwordHash
      ? await this.passwords.verify(user.passwordHash, currentPassword)
      : await this.passwords.verifyDummy(currentPassword);
    if (!ok) throw invalid('currentPassword', 'is not your current password');
    this.assertStrong(newPassword, user.email, 'newPassword');
    const passwordHash = await this.passwords.hash(newPassword);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await this.users.update(user.id, { passwordHash }, manager);
      const revoked = await this.refreshTokens.revokeAllForUser(user.id, now, manager, actor.sessionId);
      await this.audit.record(
        { ...context, organisationId: user.organisationId },
        {
          action: 'user.password.change',
          targetType: 'user',
          targetId: user.id,
          metadata: { sessionsEnded: revoked },
        },
        manager,
      );
    });
    await this.sessionEvents.ended(user.id);
  }

  private assertStrong(password: string, email: string, field: string): void {
    const problems = checkPasswordStrength(password, email);
    if (problems.length > 0) {
      throw new DomainError(
        'invalid',
        'weak_password',
        `${field}: ${problems.join('; ')}`,
        problems.map((message) => ({ field, message })),
      );
    }
  }

  /** Writes a one-time link and queues its email in the caller's transaction; older links of the user stop working. */
  private async sendLink(user: UserEntity, purpose: UserTokenPurpose, manager: EntityManager): Promise<void> {
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
    const mail =
      purpose === 'invitation'
        ? {
            subject: 'Lien : activez votre compte / activate your account',
            body: [
              'Bonjour,',
              '',
              'Un compte Lien a été créé pour vous. Pour choisir votre mot de passe, ouvrez ce lien (valable 7 jours) :',
              url,
              '',
              'Hello,',
              '',
              'A Lien account was created for you. To choose your password, open this link (valid for 7 days):',
              url,
            ].join('\n'),
          }
        : {
            subject: 'Lien : réinitialisation du mot de passe / password reset',
            body: [
              'Bonjour,',
              '',
              'Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure) :',
              url,
              "Si vous n'avez rien demandé, ignorez ce message.",
              '',
              'Hello,',
              '',
              'To choose a new password, open this link (valid for 1 hour):',
              url,
              'If you did not ask for it, ignore this message.',
            ].join('\n'),
          };
    await this.mail.enqueue({ to: user.email, organisationId: user.organisationId, ...mail }, manager);
  }

  /** Where an invited account goes, by the inviter's role; refuses what the inviter may not create. */
  private async placementForInvite(
    input: InviteUserDto,
    actor: AuthUser,
    scope: AccessScope,
  ): Promise<{ organisationId: string | null; departements: string[]; region: string | null }> {
    if (actor.role === 'org_admin') {
      if (!ORGANISATION_ROLES.includes(input.role)) {
        throw new DomainError(
          'forbidden',
          'role_not_allowed',
          'Organisation admins invite professionals and organisation admins',
          [{ field: 'role', message: 'must be professional or org_admin' }],
        );
      }
      if (input.territory) throw invalid('territory', 'only coordinators have a territory');
      const organisationId = scope.kind === 'organisation' ? scope.organisationId : null;
      if (!organisationId || (input.organisationId && input.organisationId !== organisationId))
        throw notFound('Organisation');
      return { organisationId, departements: [], region: null };
    }
    if (actor.role !== 'platform_admin' || input.role === 'professional') {
      throw new DomainError(
        'forbidden',
        'role_not_allowed',
        'Platform admins create org admins, coordinators and platform admins',
        [{ field: 'role', message: 'must be org_admin, coordinator or platform_admin' }],
      );
    }
    if (input.role === 'org_admin') {
      if (!input.organisationId) throw invalid('organisationId', 'is required for an org admin');
      if (input.territory) throw invalid('territory', 'only coordinators have a territory');
      const organisation = await this.organisations.findById(input.organisationId, scope);
      if (!organisation) throw invalid('organisationId', 'no such organisation');
      return { organisationId: organisation.id, departements: [], region: null };
    }
    if (input.organisationId)
      throw invalid('organisationId', 'only org admins and professionals belong to an organisation');
    if (input.role === 'coordinator') {
      const territory = this.territory(input.territory ?? {});
      return {
        organisationId: null,
        departements: territory.territoryDepartements,
        region: territory.territoryRegion,
      };
    }
    if (input.territory) throw invalid('territory', 'only coordinators have a territory');
    return { organisationId: null, departements: [], region: null };
  }

  private territory(input: Partial<TerritoryDto> | { departements: string[]; region: string | null }): {
    territoryDepartements: string[];
    territoryRegion: string | null;
  } {
    const departements = [...new Set(input.departements ?? [])].sort();
    const region = input.region ?? null;
    if (departements.length === 0 && !region)
      throw invalid('territory', 'a coordinator needs départements or a region');
    for (const code of departements) {
      if (!regionOfDepartement(code))
        throw invalid('territory.departements', `${code} is not a département code`);
    }
    return { territoryDepartements: departements, territoryRegion: region };
  }
}
