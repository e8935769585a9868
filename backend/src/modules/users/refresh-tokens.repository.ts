import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity.js';

/** Refresh tokens (stored hashed), grouped in families: one family per sign-in, revoked as a whole. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    values: { userId: string; familyId: string; tokenHash: string; expiresAt: Date; sessionExpiresAt: Date },
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).insert(RefreshTokenEntity, values);
  }

  findByHash(tokenHash: string, manager?: EntityManager): Promise<RefreshTokenEntity | null> {
    return (manager ?? this.dataSource.manager).getRepository(RefreshTokenEntity).findOneBy({ tokenHash });
  }

  /** Marks a live token rotated; false when another request rotated (or revoked) it first. */
  async markRotated(id: string, now: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(
      RefreshTokenEntity,
      { id, rotatedAt: IsNull(), revokedAt: IsNull() },
      { rotatedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  async revokeFamily(familyId: string, now: Date, manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.dataSource.manager).update(
      RefreshTokenEntity,
      { familyId, revokedAt: IsNull() },
      { revokedAt: now },
    );
    return result.affected ?? 0;
  }

  /** Ends every session of a user (deactivation, password reset), but the family `exceptFamilyId` when given. */
  async revokeAllForUser(
    userId: string,
    now: Date,
    manager?: EntityManager,
    exceptFamilyId?: string,
  ): Promise<number> {
    const result = await (manager ?? this.dataSource.manager).update(
      RefreshTokenEntity,
      { userId, revokedAt: IsNull(), ...(exceptFamilyId ? { familyId: Not(exceptFamilyId) } : {}) },
      { revokedAt: now },
    );
    return result.affected ?? 0;
  }
}
