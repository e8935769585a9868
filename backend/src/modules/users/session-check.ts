import { Injectable } from '@nestjs/common';
import { Batcher } from '../../common/batcher.js';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { UsersRepository, type SignedInUserRow } from './users.repository.js';

/**
 * Whether a session is still valid: the account is active and the session not revoked (see
 * `UsersRepository.signedInUsers`). One statement for every concurrent check (see `Batcher`). Used by the
 * access-token strategy on every request and by the live alert stream, at its start and while it stays open.
 */
@Injectable()
export class SessionCheck {
  constructor(private readonly users: UsersRepository) {}

  private readonly signedInUsers = new Batcher<{ userId: string; sessionId: string }, SignedInUserRow | null>(
    (checks) => this.users.signedInUsers(checks),
  );

  /** The user of a still valid session, or null. */
  async signedInUser(userId: string, sessionId: string): Promise<AuthUser | null> {
    if (!isUuid(userId) || !isUuid(sessionId)) return null;
    const user = await this.signedInUsers.submit({ userId, sessionId });
    if (!user) return null;
    return {
      id: user.id,
      role: user.role,
      organisationId: user.organisation_id,
      territory: { departements: user.territory_departements, region: user.territory_region },
      sessionId,
    };
  }

  /** Whether a queue board pass (which names a user, not a session) still belongs to an active platform admin. */
  async isActivePlatformAdmin(userId: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    return (await this.users.activeRole(userId)) === 'platform_admin';
  }
}
