import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserRole } from '@lien/shared';
import { Batcher } from '../batcher.js';
import { PreparedStatement } from '../../database/prepared-statement.js';
import type { AuthUser } from './auth-user.js';
import { isUuid } from './uuid-param.pipe.js';

interface SignedInUserRow {
  /** Position of the check in its batch (bigint: pg returns it as a string). */
  n: string;
  id: string;
  role: UserRole;
  organisation_id: string | null;
  territory_departements: string[];
  territory_region: string | null;
}

/** The session check of every authenticated request, for a batch of requests (see `Batcher`). */
const SIGNED_IN_USERS = new PreparedStatement(
  'lien_auth_signed_in_users',
  `SELECT c.n, u.id, u.role, u.organisation_id, u.territory_departements, u.territory_region
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS c(user_id, family_id, n)
         JOIN users u ON u.id = c.user_id AND u.active
        WHERE (SELECT rt.revoked_at IS NULL AND rt.user_id = u.id
                 FROM refresh_tokens rt
                WHERE rt.family_id = c.family_id
                ORDER BY rt.created_at DESC
                LIMIT 1)`,
);

/**
 * Whether a session is still valid: the account is active, and the newest token of the session's family belongs
 * to it and is not revoked (no session row: the sub-select is NULL, so no user). One statement for every
 * concurrent check (see `Batcher`), each recognising its own row by its position. Used by the access-token
 * strategy on every request and by the live alert stream, at its start and while it stays open.
 */
@Injectable()
export class SessionCheck {
  constructor(private readonly dataSource: DataSource) {}

  private readonly signedInUsers = new Batcher<{ userId: string; sessionId: string }, SignedInUserRow | null>(
    async (checks) => {
      const { rows } = await SIGNED_IN_USERS.run<SignedInUserRow>(this.dataSource, [
        checks.map((check) => check.userId),
        checks.map((check) => check.sessionId),
      ]);
      const byPosition = new Map(rows.map((row) => [Number(row.n), row]));
      return checks.map((_check, index) => byPosition.get(index + 1) ?? null);
    },
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
}
