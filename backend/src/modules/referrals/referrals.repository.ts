import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { AccessScope } from '../../common/auth/scope.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { applyOrganisationScope } from '../organisations/organisations.repository.js';
import { ReferralResourceEntity } from './referral-resource.entity.js';
import type { ReferralResourceInput } from './referral-resource-input.js';

/** A directory entry with the name of the organisation whose directory holds it. */
export type ScopedReferralResource = ReferralResourceEntity & { organisation: OrganisationEntity };

/**
 * The only database door of the referral directory. Every read goes through the organisations the caller's
 * scope reaches (own organisation, or the territory's), so an entry outside it is simply absent.
 */
@Injectable()
export class ReferralsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private query(scope: AccessScope, manager?: EntityManager): SelectQueryBuilder<ReferralResourceEntity> {
    const query = (manager ?? this.dataSource.manager)
      .createQueryBuilder(ReferralResourceEntity, 'resource')
      .innerJoinAndSelect('resource.organisation', 'organisation');
    return applyOrganisationScope(query, 'organisation', scope);
  }

  list(scope: AccessScope, organisationId?: string): Promise<ScopedReferralResource[]> {
    const query = this.query(scope);
    if (organisationId) query.andWhere('resource.organisationId = :organisationId', { organisationId });
    return query
      .orderBy('resource.name', 'ASC')
      .addOrderBy('organisation.name', 'ASC')
      .addOrderBy('resource.id', 'ASC')
      .getMany() as Promise<ScopedReferralResource[]>;
  }

  async findById(
    scope: AccessScope,
    id: string,
    manager?: EntityManager,
  ): Promise<ScopedReferralResource | null> {
    const row = await this.query(scope, manager).andWhere('resource.id = :id', { id }).getOne();
    return row as ScopedReferralResource | null;
  }

  /** The organisation `id` when the scope reaches it (a directory to write into), else null. */
  findOrganisation(
    scope: AccessScope,
    id: string,
    manager?: EntityManager,
  ): Promise<OrganisationEntity | null> {
    const query = (manager ?? this.dataSource.manager).createQueryBuilder(OrganisationEntity, 'organisation');
    return applyOrganisationScope(query, 'organisation', scope)
      .andWhere('organisation.id = :id', { id })
      .getOne();
  }

  async insert(
    organisationId: string,
    values: Partial<ReferralResourceInput>,
    manager: EntityManager,
  ): Promise<ReferralResourceEntity> {
    return manager.save(ReferralResourceEntity, {
      organisationId,
      address: null,
      phone: null,
      languages: [],
      acceptsNewPatients: true,
      usualDelayDays: null,
      ...values,
    });
  }

  async update(id: string, values: Partial<ReferralResourceInput>, manager: EntityManager): Promise<void> {
    if (Object.keys(values).length === 0) return;
    await manager.update(ReferralResourceEntity, { id }, values);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(ReferralResourceEntity, { id });
  }
}
