import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { RefreshTokenEntity } from '../../modules/users/refresh-token.entity.js';
import { UserEntity } from '../../modules/users/user.entity.js';
import type { AccessTokenClaims, AuthUser } from './auth-user.js';
import { isUuid } from './uuid-param.pipe.js';

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
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      issuer: 'lien',
      audience: 'lien-console',
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    if (!isUuid(claims.sub) || !isUuid(claims.sid)) return false;
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: claims.sub });
    if (!user || !user.active) return false;
    const session = await this.dataSource.getRepository(RefreshTokenEntity).findOne({
      where: { familyId: claims.sid },
      select: { id: true, userId: true, revokedAt: true },
      order: { createdAt: 'DESC' },
    });
    if (!session || session.revokedAt || session.userId !== user.id) return false;
    return {
      id: user.id,
      role: user.role,
      organisationId: user.organisationId,
      territory: { departements: user.territoryDepartements, region: user.territoryRegion },
      sessionId: claims.sid,
    };
  }
}
