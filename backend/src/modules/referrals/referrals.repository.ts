import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ReferralResourceEntity } from './referral-resource.entity.js';
import type { ReferralResourceInput } from './referral-resource-input.js';

/** A directory entry with the organisation whose directory holds it. */
export type ScopedReferralResource = ReferralResourceEntity & { organisation: OrganisationEntity };

/**
 * The only database door of the referral directory. Every read names the organisations the caller reaches (own
 * organisation, or the territory's), so an entry outside them is simply absent.
 */
@Injectable()
export class ReferralsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private query(
    organisationIds: readonly string[],
    manager?: EntityManager,
  ): SelectQueryBuilder<ReferralResourceEntity> {
    const query = (manager ?? this.dataSource.manager)
      .createQueryBuilder(ReferralResourceEntity, 'resource')
      .innerJoinAndSelect('resource.organisation', 'organisation');
    // No organisation reached: nothing (an empty IN list is not valid SQL).
    if (organisationIds.length === 0) return query.andWhere('1 = 0');
    return query.andWhere('resource.organisationId IN (:...organisationIds)', {
      organisationIds: [...organisationIds],
    });
  }

  list(organisationIds: readonly string[]): Promise<ScopedReferralResource[]> {
    return this.query(organisationIds)
      .orderBy('resource.name', 'ASC')
      .addOrderBy('organisation.name', 'ASC')
      .addOrderBy('resource.id', 'ASC')
      .getMany() as Promise<ScopedReferralResource[]>;
  }

  async findById(
    organisationIds: readonly string[],
    id: string,
    manager?: EntityManager,
  ): Promise<ScopedReferralResource | null> {
    const row = await this.query(organisationIds, manager).andWhere('resource.id = :id', { id }).getOne();
    return row as ScopedReferralResource | null;
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
