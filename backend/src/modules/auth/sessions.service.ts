import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { DataSource, type EntityManager } from 'typeorm';
import type { LoginResponse } from '@lien/shared';
import type { AccessTokenClaims } from '../../common/auth/auth-user.js';
import { SessionEvents } from '../../common/auth/session-events.js';
import { Clock } from '../../common/clock.js';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { RefreshTokensRepository } from '../users/refresh-tokens.repository.js';
import type { UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';

export const ACCESS_TOKEN_ISSUER = 'lien';
export const ACCESS_TOKEN_AUDIENCE = 'lien-console';

const invalidSession = (code = 'invalid_refresh_token'): DomainError =>
  new DomainError('unauthorised', code, 'Invalid or expired session');

/**
 * Sessions: a short-lived HS256 access token (claims sub, role, org, sid) and a rotating refresh token stored
 * hashed. One sign-in = one family (sid); each refresh marks the presented token rotated and issues the next one;
 * presenting a rotated token again means it leaked, so the whole family is revoked.
 * Two lifetimes: each refresh token expires REFRESH_TOKEN_TTL_SECONDS after it was issued (sliding), and the
 * family ends REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS after its sign-in whatever the refreshes (absolute): rotation
 * copies the family's end, never moves it.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessionEvents: SessionEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a new session (family) for a user who just proved who they are. */
  async start(user: UserEntity, manager?: EntityManager): Promise<LoginResponse> {
    const sessionExpiresAt = new Date(
      this.clock.now().getTime() + this.config.refreshTokenAbsoluteTtlSeconds * 1000,
    );
    return this.issue(user, randomUUID(), sessionExpiresAt, manager);
  }

  async refresh(refreshToken: string, context: AuditContext): Promise<LoginResponse> {
    const now = this.clock.now();
    const row = await this.refreshTokens.findByHash(hashToken(refreshToken));
    if (!row || row.revokedAt) throw invalidSession();
    const user = await this.users.findByIdForAuthentication(row.userId);
    const auditContext = { ...context, actorId: row.userId, organisationId: user?.organisationId ?? null };
    if (row.rotatedAt) {
      await this.revokeAfterReuse(row.familyId, now, auditContext);
      throw invalidSession('refresh_token_reused');
    }
    if (row.expiresAt.getTime() <= now.getTime() || row.sessionExpiresAt.getTime() <= now.getTime()) {
      throw invalidSession('refresh_token_expired');
    }
    if (!user || !user.active) {
      await this.refreshTokens.revokeFamily(row.familyId, now);
      await this.sessionEvents.ended(row.userId);
      throw invalidSession();
    }
    const issued = await this.dataSource.transaction(async (manager) => {
      // Two refreshes racing with the same token: the loser sees it rotated, exactly like a replay.
      if (!(await this.refreshTokens.markRotated(row.id, now, manager))) return null;
      return this.issue(user, row.familyId, row.sessionExpiresAt, manager);
    });
    if (!issued) {
      await this.revokeAfterReuse(row.familyId, now, auditContext);
      throw invalidSession('refresh_token_reused');
    }
    return issued;
  }

  /** Ends the session the refresh token belongs to (idempotent; unknown tokens are ignored). */
  async logout(refreshToken: string, context: AuditContext): Promise<void> {
    const row = await this.refreshTokens.findByHash(hashToken(refreshToken));
    if (!row) return;
    const revoked = await this.refreshTokens.revokeFamily(row.familyId, this.clock.now());
    if (revoked > 0) {
      // The session's open alert streams end too, in every API process.
      await this.sessionEvents.ended(row.userId);
      const user = await this.users.findByIdForAuthentication(row.userId);
      await this.audit.record(
        { ...context, actorId: row.userId, organisationId: user?.organisationId ?? null },
        { action: 'auth.logout', targetType: 'user', targetId: row.userId },
      );
    }
  }

  /** Signs an access token for an existing session (also used by test factories through the same claims). */
  signAccessToken(
    user: Pick<UserEntity, 'id' | 'role' | 'organisationId'>,
    familyId: string,
    expiresInSeconds = this.config.accessTokenTtlSeconds,
  ): string {
    const claims: AccessTokenClaims = {
      sub: user.id,
      role: user.role,
      org: user.organisationId,
      sid: familyId,
    };
    return jwt.sign(claims, this.config.jwtSecret, {
      algorithm: 'HS256',
      expiresIn: expiresInSeconds,
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
    });
  }

  private async issue(
    user: UserEntity,
    familyId: string,
    sessionExpiresAt: Date,
    manager?: EntityManager,
  ): Promise<LoginResponse> {
    const refreshToken = randomToken(32);
    const now = this.clock.now().getTime();
    const end = sessionExpiresAt.getTime();
    await this.refreshTokens.insert(
      {
        userId: user.id,
        familyId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(Math.min(now + this.config.refreshTokenTtlSeconds * 1000, end)),
        sessionExpiresAt,
      },
      manager,
    );
    // The last access token of a session does not outlive it either.
    const expiresIn = Math.max(
      1,
      Math.min(this.config.accessTokenTtlSeconds, Math.floor((end - now) / 1000)),
    );
    return { accessToken: this.signAccessToken(user, familyId, expiresIn), refreshToken, expiresIn };
  }

  private async revokeAfterReuse(familyId: string, now: Date, context: AuditContext): Promise<void> {
    await this.refreshTokens.revokeFamily(familyId, now);
    if (context.actorId) await this.sessionEvents.ended(context.actorId);
    await this.audit.record(context, {
      action: 'auth.refresh.reuse',
      targetType: 'user',
      ...(context.actorId ? { targetId: context.actorId } : {}),
      metadata: { sessionId: familyId },
    });
  }
}
