import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, IsNull, Not, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { UserRole } from '@lien/shared';
import type { AccessScope } from '../../common/auth/scope.js';
import { PreparedStatement } from '../../common/prepared-statement.js';
import { UserEntity } from './user.entity.js';

export interface UserListFilters {
  organisationId?: string;
  role?: UserRole;
  active?: boolean;
  search?: string;
  page: number;
  pageSize: number;
}

export interface SignedInUserRow {
  id: string;
  role: UserRole;
  organisation_id: string | null;
  territory_departements: string[];
  territory_region: string | null;
}

/** The session check of every authenticated request, for a batch of requests (see `SessionCheck`). */
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
 * The only database door for users. Management reads take the caller's scope (org admins: their organisation;
 * platform admins: all; coordinators: none). The `…ForAuthentication` methods are unscoped by nature: signing
 * in happens before any scope exists.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(
    scope: AccessScope,
    manager?: EntityManager,
    withOrganisation = true,
  ): SelectQueryBuilder<UserEntity> {
    const query = (manager ?? this.dataSource.manager).createQueryBuilder(UserEntity, 'user');
    if (withOrganisation) query.leftJoinAndSelect('user.organisation', 'organisation');
    switch (scope.kind) {
      case 'platform':
        return query;
      case 'organisation':
        return query.andWhere('user.organisationId = :scopeOrganisationId', {
          scopeOrganisationId: scope.organisationId,
        });
      case 'territory':
        return query.andWhere('1 = 0');
    }
  }

  findById(id: string, scope: AccessScope, manager?: EntityManager): Promise<UserEntity | null> {
    return this.scoped(scope, manager).andWhere('user.id = :id', { id }).getOne();
  }

  /** The account's role while it is active, else null (one column: checked on every queue board request). */
  async activeRole(id: string): Promise<UserRole | null> {
    const user = await this.dataSource.manager.findOne(UserEntity, {
      where: { id, active: true },
      select: { role: true },
    });
    return user?.role ?? null;
  }

  /** Locks the row (without its organisation) for a read-modify-write in the caller's transaction. */
  findByIdForUpdate(id: string, scope: AccessScope, manager: EntityManager): Promise<UserEntity | null> {
    return this.scoped(scope, manager, false)
      .andWhere('user.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async list(scope: AccessScope, filters: UserListFilters): Promise<{ items: UserEntity[]; total: number }> {
    const query = this.scoped(scope);
    if (filters.organisationId)
      query.andWhere('user.organisationId = :organisationId', { organisationId: filters.organisationId });
    if (filters.role) query.andWhere('user.role = :role', { role: filters.role });
    if (filters.active !== undefined) query.andWhere('user.active = :active', { active: filters.active });
    if (filters.search) {
      const pattern = `%${filters.search.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      query.andWhere(
        new Brackets((where) => {
          where
            .where('user.email LIKE :pattern', { pattern })
            .orWhere('LOWER(user.displayName) LIKE :pattern', { pattern });
        }),
      );
    }
    const [items, total] = await query
      .orderBy('user.displayName', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .skip((filters.page - 1) * filters.pageSize)
      .take(filters.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  findByEmailForAuthentication(email: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { email }, relations: { organisation: true } });
  }

  findByIdForAuthentication(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return (manager ?? this.dataSource.manager)
      .getRepository(UserEntity)
      .findOne({ where: { id }, relations: { organisation: true } });
  }

  findByOidcSubjectForAuthentication(subject: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { oidcSubject: subject }, relations: { organisation: true } });
  }

  /** Accounts whose RPPS number a platform admin recorded (no other RPPS links an identity). */
  findByRppsForAuthentication(rpps: string): Promise<UserEntity[]> {
    return this.dataSource
      .getRepository(UserEntity)
      .find({ where: { rpps, rppsRecordedBy: Not(IsNull()) }, relations: { organisation: true }, take: 2 });
  }

  async emailTaken(email: string, manager?: EntityManager): Promise<boolean> {
    return (await (manager ?? this.dataSource.manager).getRepository(UserEntity).countBy({ email })) > 0;
  }

  async rppsTaken(rpps: string, exceptUserId: string | null, manager?: EntityManager): Promise<boolean> {
    const query = (manager ?? this.dataSource.manager)
      .createQueryBuilder(UserEntity, 'user')
      .where('user.rpps = :rpps', { rpps });
    if (exceptUserId) query.andWhere('user.id <> :exceptUserId', { exceptUserId });
    return (await query.getCount()) > 0;
  }

  async insert(values: Partial<UserEntity>, manager?: EntityManager): Promise<UserEntity> {
    return (manager ?? this.dataSource.manager).getRepository(UserEntity).save(values);
  }

  async update(id: string, values: Partial<UserEntity>, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).update(UserEntity, { id }, values);
  }

  /**
   * One failed sign-in, atomically: the counter goes up, and at `threshold` the account locks until `lockUntil`
   * and the counter starts again. Failures while locked do not extend the lock. Answers whether this failure locked it.
   */
  async recordFailedLogin(
    id: string,
    now: Date,
    threshold: number,
    lockUntil: Date,
  ): Promise<{ lockedNow: boolean }> {
    const rows = await this.dataSource.query<[Array<{ lockedUntil: Date | null }>, number]>(
      `UPDATE "users"
          SET "failed_logins" = CASE WHEN "failed_logins" + 1 >= $2 THEN 0 ELSE "failed_logins" + 1 END,
              "locked_until" = CASE WHEN "failed_logins" + 1 >= $2 THEN $3::timestamptz ELSE "locked_until" END
        WHERE "id" = $1 AND ("locked_until" IS NULL OR "locked_until" <= $4::timestamptz)
        RETURNING "locked_until" AS "lockedUntil"`,
      [id, threshold, lockUntil.toISOString(), now.toISOString()],
    );
    // UPDATE … RETURNING answers [rows, affected count].
    const lockedUntil = rows[0][0]?.lockedUntil ?? null;
    return { lockedNow: lockedUntil !== null && new Date(lockedUntil).getTime() === lockUntil.getTime() };
  }

  async recordSuccessfulLogin(id: string, now: Date, manager?: EntityManager): Promise<void> {
    await this.update(id, { failedLogins: 0, lockedUntil: null, lastLoginAt: now }, manager);
  }

  /**
   * For each (user, session) pair, the user if the account is active and the newest token of the session's family
   * belongs to it and is not revoked (no session row: the sub-select is NULL, so no user); else null. One
   * statement for the whole batch, each row recognised by its position.
   */
  async signedInUsers(
    checks: ReadonlyArray<{ userId: string; sessionId: string }>,
  ): Promise<Array<SignedInUserRow | null>> {
    // n: the position of the check in its batch (bigint: pg returns it as a string).
    const { rows } = await SIGNED_IN_USERS.run<SignedInUserRow & { n: string }>(this.dataSource, [
      checks.map((check) => check.userId),
      checks.map((check) => check.sessionId),
    ]);
    const byPosition = new Map(rows.map((row) => [Number(row.n), row]));
    return checks.map((_check, index) => byPosition.get(index + 1) ?? null);
  }
}
