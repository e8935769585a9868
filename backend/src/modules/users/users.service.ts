import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserListResponse, UserRole, UserStatus, UserSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { SessionEvents } from '../../common/auth/session-events.js';
import { listScopeOf, scopeOf } from '../../common/auth/scope.js';
import { Clock } from '../../common/clock.js';
import { conflict, invalid, notFound } from '../../common/errors.js';
import { pageOf } from '../../common/paging.js';
import { isEmailAddress } from '../../common/validation.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { UpdateUserDto, UserListQueryDto } from './dto/users.dto.js';
import { PasswordService } from './password.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { RolePlacement, territory } from './role-placement.service.js';
import type { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

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

/**
 * Accounts: reading, provisioning, changing and deactivating them, and changing one's own password. Org admins
 * manage their own organisation's professionals and org admins; platform admins manage org admins, coordinators
 * and platform admins everywhere. Invitations: `AccountInvitationsService`; password links:
 * `PasswordResetService`; who goes where: `RolePlacement`.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly placement: RolePlacement,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessionEvents: SessionEvents,
  ) {}

  async list(actor: AuthUser, query: UserListQueryDto): Promise<UserListResponse> {
    const { page, pageSize } = pageOf(query);
    const scope = listScopeOf(actor, query.organisationId);
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

  async get(actor: AuthUser, id: string): Promise<UserSummary> {
    const user = await this.users.findById(id, scopeOf(actor));
    if (!user) throw notFound('User');
    return toUserSummary(user, this.clock.now());
  }

  /** The account's current email address (unscoped: for the signed-in account itself), or null. */
  async currentEmail(userId: string): Promise<string | null> {
    return (await this.users.findById(userId, { kind: 'platform' }))?.email ?? null;
  }

  /**
   * Creates an active account with a password, without any email: for seed scripts and for bootstrapping the first
   * platform admin (no HTTP route). Same placement rules as invitations: org roles need an organisation, coordinators
   * a territory, platform admins neither. The password must pass the strength rule.
   */
  async provision(input: ProvisionUserInput, context: AuditContext): Promise<UserSummary> {
    const email = input.email.trim().toLowerCase();
    if (!isEmailAddress(email)) throw invalid('email', 'must be an email address');
    const placement = await this.placement.forProvision(input);
    this.passwords.assertStrong(input.password, email, 'password');
    const passwordHash = await this.passwords.hash(input.password);
    const id = await this.dataSource.transaction(async (manager) => {
      if (await this.users.emailTaken(email, manager))
        throw conflict('email_taken', 'An account already uses this email address');
      const user = await this.users.insert(
        {
          email,
          displayName: input.displayName.trim(),
          role: input.role,
          ...placement,
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

  async update(
    actor: AuthUser,
    id: string,
    input: UpdateUserDto,
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
        this.placement.assertRoleChange(actor, user, input.role);
        changes.role = input.role;
      }
      const role = changes.role ?? user.role;
      if (input.territory !== undefined) {
        if (role !== 'coordinator') throw invalid('territory', 'only coordinators have a territory');
        Object.assign(changes, territory(input.territory));
      } else if (changes.role === 'coordinator') {
        Object.assign(
          changes,
          territory({ departements: user.territoryDepartements, region: user.territoryRegion }),
        );
      } else if (changes.role && user.role === 'coordinator') {
        Object.assign(changes, { territoryDepartements: [], territoryRegion: null });
      }
      if (input.rpps !== undefined && input.rpps !== user.rpps) {
        this.placement.assertMayRecordRpps(actor, user.id);
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
    return this.get(actor, id);
  }

  deactivate(actor: AuthUser, id: string, context: AuditContext): Promise<UserSummary> {
    return this.update(actor, id, { active: false }, context);
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
    this.passwords.assertStrong(newPassword, user.email, 'newPassword');
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
}
