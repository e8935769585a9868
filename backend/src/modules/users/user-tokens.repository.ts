import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';
import { UserTokenEntity, type UserTokenPurpose } from './user-token.entity.js';

/** One-time email links (invitation, password reset), stored hashed, single use, expiring. */
@Injectable()
export class UserTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    values: { userId: string; purpose: UserTokenPurpose; tokenHash: string; expiresAt: Date },
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).insert(UserTokenEntity, values);
  }

  /** A live (unused, unexpired) token, without consuming it. */
  findLive(tokenHash: string, now: Date): Promise<UserTokenEntity | null> {
    return this.dataSource
      .getRepository(UserTokenEntity)
      .findOneBy({ tokenHash, usedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** Consumes a live token atomically; false when it was used (or expired) meanwhile. */
  async consume(id: string, now: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(
      UserTokenEntity,
      { id, usedAt: IsNull(), expiresAt: MoreThan(now) },
      { usedAt: now },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Every other live link of the user stops working (a new invitation or reset supersedes older ones). */
  async supersede(userId: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.update(UserTokenEntity, { userId, usedAt: IsNull() }, { usedAt: now });
  }
}
