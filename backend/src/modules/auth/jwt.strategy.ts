import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { AccessTokenClaims, AuthUser } from '../../common/auth/auth-user.js';
import { SessionCheck } from '../users/session-check.js';

/** Validates the bearer access token, then checks the account is still active and the session not revoked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionCheck,
  ) {
    super({
      // The Authorization header only: a token in a URL ends up in proxy, server and browser logs. The live alert
      // stream (EventSource sends no headers) takes a short-lived single-use stream ticket instead.
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // Imported once as a KeyObject: given the string, jsonwebtoken first tries to parse it as a public key
      // (and fails, throwing) then imports it again, on every request. jsonwebtoken takes a KeyObject;
      // passport-jwt passes it through, only its type declaration says string | Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: 'lien',
      audience: 'lien-console',
    });
  }

  /** One statement on every authenticated request (batched across concurrent requests, see `SessionCheck`). */
  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    return (await this.sessions.signedInUser(claims.sub, claims.sid)) ?? false;
  }
}
