import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { AccessScope } from '../../common/auth/scope.js';
import { OrganisationEntity } from './organisation.entity.js';

/** The only database door for organisations; every read takes the caller's scope. */
@Injectable()
export class OrganisationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private query(scope: AccessScope, manager?: EntityManager): SelectQueryBuilder<OrganisationEntity> {
    const query = (manager ?? this.dataSource.manager).createQueryBuilder(OrganisationEntity, 'organisation');
    return applyOrganisationScope(query, 'organisation', scope);
  }

  list(scope: AccessScope): Promise<OrganisationEntity[]> {
    return this.query(scope)
      .orderBy('organisation.name', 'ASC')
      .addOrderBy('organisation.id', 'ASC')
      .getMany();
  }

  findById(id: string, scope: AccessScope, manager?: EntityManager): Promise<OrganisationEntity | null> {
    return this.query(scope, manager).andWhere('organisation.id = :id', { id }).getOne();
  }

  /** Locks the row for a read-modify-write (settings patches) inside the caller's transaction. */
  findByIdForUpdate(
    id: string,
    scope: AccessScope,
    manager: EntityManager,
  ): Promise<OrganisationEntity | null> {
    return this.query(scope, manager)
      .andWhere('organisation.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async insert(
    values: Omit<OrganisationEntity, 'id' | 'createdAt' | 'updatedAt'>,
    manager?: EntityManager,
  ): Promise<OrganisationEntity> {
    return (manager ?? this.dataSource.manager).getRepository(OrganisationEntity).save(values);
  }

  async update(
    id: string,
    values: Partial<
      Pick<
        OrganisationEntity,
        'name' | 'kind' | 'departement' | 'region' | 'timeZone' | 'smsSender' | 'settings'
      >
    >,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(OrganisationEntity, { id }, values);
  }
}

/**
 * Restricts a query on organisations to a scope: the own organisation, the organisations of a territory
 * (départements or region), or all of them for the platform.
 */
export function applyOrganisationScope<T extends object>(
  query: SelectQueryBuilder<T>,
  alias: string,
  scope: AccessScope,
): SelectQueryBuilder<T> {
  switch (scope.kind) {
    case 'platform':
      return query;
    case 'organisation':
      return query.andWhere(`${alias}.id = :scopeOrganisationId`, {
        scopeOrganisationId: scope.organisationId,
      });
    case 'territory':
      if (scope.departements.length === 0 && !scope.region) return query.andWhere('1 = 0');
      return query.andWhere(
        new Brackets((where) => {
          where.where('1 = 0');
          if (scope.departements.length > 0)
            where.orWhere(`${alias}.departement IN (:...scopeDepartements)`, {
              scopeDepartements: scope.departements,
            });
          if (scope.region) where.orWhere(`${alias}.region = :scopeRegion`, { scopeRegion: scope.region });
        }),
      );
  }
}
