import { Injectable } from '@nestjs/common';
import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { AlertStatus } from '@lien/shared';
import { AlertEntity } from '../alerts/alert.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { ResponseEntity } from '../questionnaire/response.entity.js';
import type { ResponseRecord } from './mappers/clinical.mapper.js';
import type { AlertRecord } from './mappers/task.mapper.js';
import type { DateBounds } from './search-params.js';

export interface ResponseQuery {
  parentId?: string;
  dates: DateBounds;
  /** Only responses with item 10 positive (the Flags). */
  item10Only?: boolean;
  offset: number;
  limit: number;
}

export interface AlertQuery {
  parentId?: string;
  statuses?: AlertStatus[];
  offset: number;
  limit: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

/**
 * One page of a search, newest first (ties by id: a stable order across pages), and the count of all matches
 * (FHIR's `total`); `_count=0` asks for the count alone.
 */
async function newestFirst<T>(
  builder: SelectQueryBuilder<ObjectLiteral>,
  alias: string,
  page: { offset: number; limit: number },
): Promise<Page<T>> {
  const [rows, total] = await Promise.all([
    page.limit === 0
      ? Promise.resolve([])
      : builder
          .clone()
          .orderBy(`${alias}.createdAt`, 'DESC')
          .addOrderBy(`${alias}.id`, 'DESC')
          .offset(page.offset)
          .limit(page.limit)
          .getRawMany<T>(),
    builder.clone().getCount(),
  ]);
  return { rows, total };
}

/** Reads for the FHIR API, the organisation first in every call; ids of other organisations find nothing. */
@Injectable()
export class FhirRepository {
  constructor(private readonly dataSource: DataSource) {}

  private responses(organisationId: string): SelectQueryBuilder<ResponseEntity> {
    return this.dataSource
      .getRepository(ResponseEntity)
      .createQueryBuilder('r')
      .leftJoin(AlertEntity, 'a', 'a.id = r.alertId AND a.organisationId = r.organisationId')
      .select('r.id', 'id')
      .addSelect('r.parentId', 'parentId')
      .addSelect('r.instrumentVersion', 'instrumentVersion')
      .addSelect('r.language', 'language')
      .addSelect('r.answers', 'answers')
      .addSelect('r.itemPoints', 'itemPoints')
      .addSelect('r.score', 'score')
      .addSelect('r.band', 'band')
      .addSelect('r.item10Positive', 'item10Positive')
      .addSelect('r.createdAt', 'createdAt')
      .addSelect('a.status', 'alertStatus')
      .addSelect('a.closedAt', 'alertClosedAt')
      .where('r.organisationId = :organisationId', { organisationId });
  }

  async findResponse(organisationId: string, id: string): Promise<ResponseRecord | null> {
    const row = await this.responses(organisationId)
      .andWhere('r.id = :id', { id })
      .getRawOne<ResponseRecord>();
    return row ?? null;
  }

  async searchResponses(organisationId: string, query: ResponseQuery): Promise<Page<ResponseRecord>> {
    const builder = this.responses(organisationId);
    if (query.parentId) builder.andWhere('r.parentId = :parentId', { parentId: query.parentId });
    if (query.dates.from) builder.andWhere('r.createdAt >= :from', { from: query.dates.from });
    if (query.dates.to) builder.andWhere('r.createdAt < :to', { to: query.dates.to });
    if (query.item10Only) builder.andWhere('r.item10Positive = true');
    return newestFirst<ResponseRecord>(builder, 'r', query);
  }

  private alerts(organisationId: string): SelectQueryBuilder<AlertEntity> {
    return this.dataSource
      .getRepository(AlertEntity)
      .createQueryBuilder('a')
      .select('a.id', 'id')
      .addSelect('a.parentId', 'parentId')
      .addSelect('a.status', 'status')
      .addSelect('a.severity', 'severity')
      .addSelect('a.reasons', 'reasons')
      .addSelect('a.outcome', 'outcome')
      .addSelect('a.contactDueAt', 'contactDueAt')
      .addSelect('a.createdAt', 'createdAt')
      .addSelect('a.updatedAt', 'updatedAt')
      .addSelect('a.closedAt', 'closedAt')
      .where('a.organisationId = :organisationId', { organisationId });
  }

  async findAlert(organisationId: string, id: string): Promise<AlertRecord | null> {
    const row = await this.alerts(organisationId).andWhere('a.id = :id', { id }).getRawOne<AlertRecord>();
    return row ?? null;
  }

  async searchAlerts(organisationId: string, query: AlertQuery): Promise<Page<AlertRecord>> {
    const builder = this.alerts(organisationId);
    if (query.parentId) builder.andWhere('a.parentId = :parentId', { parentId: query.parentId });
    if (query.statuses) {
      if (query.statuses.length === 0) return { rows: [], total: 0 };
      builder.andWhere('a.status IN (:...statuses)', { statuses: query.statuses });
    }
    return newestFirst<AlertRecord>(builder, 'a', query);
  }

  findParent(organisationId: string, id: string): Promise<ParentEntity | null> {
    return this.dataSource.getRepository(ParentEntity).findOneBy({ id, organisationId });
  }
}
