import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DataSource, type EntityManager, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  type OrganisationKind,
  type OrganisationSettings,
  type UserRole,
} from '@lien/shared';
import type { AppConfig } from '../config/config.js';
import type { AccessTokenClaims } from '../common/auth/auth-user.js';
import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';
import { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { RefreshTokenEntity } from '../modules/users/refresh-token.entity.js';
import { UserEntity } from '../modules/users/user.entity.js';
import { hashToken, randomToken } from '../common/crypto/field-encryption.service.js';

/** Builds rows for tests straight through TypeORM; each helper takes overrides for what the test cares about. */

/** Inserts one row and reads it back whole: its id, defaults and timestamps as the database set them. */
export async function insertRow<Entity extends { id: string }>(
  db: DataSource | EntityManager,
  entity: EntityTarget<Entity>,
  values: QueryDeepPartialEntity<Entity>,
): Promise<Entity> {
  const { identifiers } = await db.getRepository(entity).insert(values);
  const id = (identifiers[0] as { id: string }).id;
  return db.getRepository(entity).findOneByOrFail({ id } as FindOptionsWhere<Entity>);
}

export async function makeOrganisation(
  dataSource: DataSource,
  overrides: Partial<Omit<OrganisationEntity, 'settings'>> & {
    settings?: Partial<OrganisationSettings>;
    kind?: OrganisationKind;
  } = {},
): Promise<OrganisationEntity> {
  const { settings, ...rest } = overrides;
  return dataSource.getRepository(OrganisationEntity).save({
    name: 'PMI Pas-de-Calais',
    kind: 'pmi',
    departement: '62',
    region: 'Hauts-de-France',
    timeZone: 'Europe/Paris',
    smsSender: 'Lien62',
    settings: { ...DEFAULT_ORGANISATION_SETTINGS, ...settings },
    ...rest,
  });
}

export async function makeUser(
  dataSource: DataSource,
  overrides: Partial<UserEntity> & { role?: UserRole } = {},
): Promise<UserEntity> {
  return dataSource.getRepository(UserEntity).save({
    email: `user-${randomUUID().slice(0, 8)}@lien.test`,
    displayName: 'Test User',
    role: 'professional',
    organisationId: null,
    territoryDepartements: [],
    territoryRegion: null,
    passwordHash: null,
    active: true,
    ...overrides,
  });
}

/**
 * A signed-in session for a user, as the auth service issues it: a refresh-token family row plus an access
 * token with the same claims, so tests can call protected routes without the login flow.
 */
export async function signIn(dataSource: DataSource, config: AppConfig, user: UserEntity): Promise<string> {
  const familyId = randomUUID();
  await dataSource.getRepository(RefreshTokenEntity).insert({
    userId: user.id,
    familyId,
    tokenHash: hashToken(randomToken()),
    expiresAt: new Date(Date.now() + 3600_000),
    sessionExpiresAt: new Date(Date.now() + 3600_000),
  });
  const claims: AccessTokenClaims = {
    sub: user.id,
    role: user.role,
    org: user.organisationId,
    sid: familyId,
  };
  return jwt.sign(claims, config.jwtSecret, {
    algorithm: 'HS256',
    expiresIn: 900,
    issuer: 'lien',
    audience: 'lien-console',
  });
}

/** A new user (`overrides` as for `makeUser`), signed in: its access token. */
export async function signInNewUser(
  dataSource: DataSource,
  config: AppConfig,
  overrides: Parameters<typeof makeUser>[1] = {},
): Promise<string> {
  return signIn(dataSource, config, await makeUser(dataSource, overrides));
}

/** The one audit event matching `where` (the test fails when there is none). */
export const auditEventOf = (
  dataSource: DataSource,
  where: FindOptionsWhere<AuditEventEntity>,
): Promise<AuditEventEntity> => dataSource.getRepository(AuditEventEntity).findOneByOrFail(where);

/** How many audit events match `where`. */
export const auditCount = (
  dataSource: DataSource,
  where: FindOptionsWhere<AuditEventEntity>,
): Promise<number> => dataSource.getRepository(AuditEventEntity).countBy(where);
