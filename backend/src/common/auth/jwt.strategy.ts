import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { UserRole } from '@lien/shared';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';
import { Batcher } from '../batcher.js';
import { PreparedStatement } from '../../database/prepared-statement.js';
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

/** Validates the bearer access token, then checks the account is still active and the session not revoked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        // EventSource cannot send headers: the SSE stream takes the token as a query parameter.
        ExtractJwt.fromUrlQueryParameter('access_token'),
      ]),
      // Imported once as a KeyObject: given the string, jsonwebtoken first tries to parse it as a public key
      // (and fails, throwing) then imports it again, on every request. jsonwebtoken takes a KeyObject;
      // passport-jwt passes it through, only its type declaration says string | Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: 'lien',
      audience: 'lien-console',
    });
  }

  /**
   * One statement on every authenticated request: the account is active, and the newest token of the session's
   * family belongs to it and is not revoked (no session row: the sub-select is NULL, so no user). Concurrent
   * requests share one statement (see `Batcher`), each recognising its own row by its position.
   */
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

  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    if (!isUuid(claims.sub) || !isUuid(claims.sid)) return false;
    const user = await this.signedInUsers.submit({ userId: claims.sub, sessionId: claims.sid });
    if (!user) return false;
    return {
      id: user.id,
      role: user.role,
      organisationId: user.organisation_id,
      territory: { departements: user.territory_departements, region: user.territory_region },
      sessionId: claims.sid,
    };
  }
}
