import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { ResponseEntity } from '../questionnaire/response.entity.js';
import { ContactRequestEntity } from './contact-request.entity.js';
import { ScreeningSourceEntity } from './screening-source.entity.js';
import { SelfScreeningEntity } from './self-screening.entity.js';

export type NewSelfScreening = Omit<SelfScreeningEntity, 'id' | 'source'>;
export type NewContactRequest = Omit<
  ContactRequestEntity,
  'id' | 'organisation' | 'screening' | 'createdAt'
> & {
  createdAt: Date;
};

/** The screening module's only door to the database. Tenant methods take the organisation id first. */
@Injectable()
export class ScreeningRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findSourceByCode(code: string): Promise<ScreeningSourceEntity | null> {
    return this.dataSource.getRepository(ScreeningSourceEntity).findOneBy({ code });
  }

  /** A new source; null when its code is taken. */
  async insertSource(
    values: Pick<ScreeningSourceEntity, 'organisationId' | 'code' | 'name' | 'partner'>,
  ): Promise<ScreeningSourceEntity | null> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ScreeningSourceEntity)
      .values(values)
      .orIgnore()
      .returning('*')
      .execute();
    const id = (rows.identifiers[0] as { id?: string } | undefined)?.id;
    return id ? this.dataSource.getRepository(ScreeningSourceEntity).findOneBy({ id }) : null;
  }

  sourcesOf(organisationId: string): Promise<ScreeningSourceEntity[]> {
    return this.dataSource
      .getRepository(ScreeningSourceEntity)
      .find({ where: { organisationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findSource(organisationId: string, id: string): Promise<ScreeningSourceEntity | null> {
    return this.dataSource.getRepository(ScreeningSourceEntity).findOneBy({ id, organisationId });
  }

  /** Screenings, positive screenings and contact requests per source. */
  async countsBySource(
    sourceIds: readonly string[],
  ): Promise<Map<string, { screenings: number; positive: number; contactRequests: number }>> {
    if (sourceIds.length === 0) return new Map();
    const rows = await this.dataSource.query<
      { source_id: string; screenings: number; positive: number; contact_requests: number }[]
    >(
      `SELECT s.source_id,
              count(*)::int AS screenings,
              count(*) FILTER (WHERE s.band <> 'low' OR s.item10_positive)::int AS positive,
              count(c.id)::int AS contact_requests
         FROM self_screenings s
         LEFT JOIN LATERAL (SELECT id FROM contact_requests WHERE screening_id = s.id LIMIT 1) c ON true
        WHERE s.source_id = ANY($1::uuid[])
        GROUP BY s.source_id`,
      [sourceIds],
    );
    return new Map(
      rows.map((row) => [
        row.source_id,
        { screenings: row.screenings, positive: row.positive, contactRequests: row.contact_requests },
      ]),
    );
  }

  async insertScreening(values: NewSelfScreening): Promise<string> {
    const result = await this.dataSource.getRepository(SelfScreeningEntity).insert(values);
    return (result.identifiers[0] as { id: string }).id;
  }

  /** The parent's full row (their encrypted identity is copied onto their contact request). */
  findParent(organisationId: string, id: string): Promise<ParentEntity | null> {
    return this.dataSource.getRepository(ParentEntity).findOneBy({ id, organisationId });
  }

  findOrganisation(id: string): Promise<OrganisationEntity | null> {
    return this.dataSource.getRepository(OrganisationEntity).findOneBy({ id });
  }

  /** The response that completed an invitation. */
  responseOfInvitation(organisationId: string, invitationId: string): Promise<ResponseEntity | null> {
    return this.dataSource.getRepository(ResponseEntity).findOneBy({ invitationId, organisationId });
  }

  findScreening(id: string): Promise<SelfScreeningEntity | null> {
    return this.dataSource.getRepository(SelfScreeningEntity).findOneBy({ id });
  }

  /** Organisations that list this postal code among those they serve, oldest first. */
  organisationsServing(postalCode: string): Promise<OrganisationEntity[]> {
    return this.dataSource
      .getRepository(OrganisationEntity)
      .createQueryBuilder('organisation')
      .where(`organisation.settings -> 'servedPostalCodes' ? :postalCode`, { postalCode })
      .orderBy('organisation.createdAt', 'ASC')
      .addOrderBy('organisation.id', 'ASC')
      .getMany();
  }

  organisationsOfDepartement(departement: string): Promise<OrganisationEntity[]> {
    return this.dataSource
      .getRepository(OrganisationEntity)
      .find({ where: { departement }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  organisationsOfRegion(region: string): Promise<OrganisationEntity[]> {
    return this.dataSource
      .getRepository(OrganisationEntity)
      .find({ where: { region }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  firstOrganisation(): Promise<OrganisationEntity | null> {
    return this.dataSource
      .getRepository(OrganisationEntity)
      .findOne({ where: {}, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async insertContactRequest(
    manager: EntityManager,
    values: NewContactRequest,
  ): Promise<ContactRequestEntity> {
    const result = await manager.insert(ContactRequestEntity, values);
    const id = (result.identifiers[0] as { id: string }).id;
    return Object.assign(new ContactRequestEntity(), values, { id });
  }

  findContactRequest(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<ContactRequestEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(ContactRequestEntity, { id, organisationId });
  }

  lockContactRequest(
    manager: EntityManager,
    organisationId: string,
    id: string,
  ): Promise<ContactRequestEntity | null> {
    return manager
      .createQueryBuilder(ContactRequestEntity, 'request')
      .setLock('pessimistic_write')
      .where('request.id = :id AND request.organisationId = :organisationId', { id, organisationId })
      .getOne();
  }

  alertOf(
    organisationId: string,
    contactRequestId: string,
    manager?: EntityManager,
  ): Promise<AlertEntity | null> {
    return (manager ?? this.dataSource.manager).findOne(AlertEntity, {
      where: { contactRequestId, organisationId },
      order: { createdAt: 'DESC' },
    });
  }

  /** The request became an enrolment: the request records the parent, and its alert now follows that parent. */
  async markEnrolled(
    manager: EntityManager,
    organisationId: string,
    id: string,
    parentId: string,
    at: Date,
  ): Promise<void> {
    await manager.update(
      ContactRequestEntity,
      { id, organisationId },
      { status: 'enrolled', enrolledParentId: parentId },
    );
    await manager.update(AlertEntity, { contactRequestId: id, organisationId }, { parentId, updatedAt: at });
  }
}
