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

/** The columns the FHIR mappers read, named as the entity's properties in the raw rows. */
const RESPONSE_COLUMNS = [
  'id',
  'parentId',
  'instrumentVersion',
  'language',
  'answers',
  'itemPoints',
  'score',
  'band',
  'item10Positive',
  'createdAt',
] as const satisfies readonly (keyof ResponseEntity)[];
const ALERT_COLUMNS = [
  'id',
  'parentId',
  'status',
  'severity',
  'reasons',
  'outcome',
  'contactDueAt',
  'createdAt',
  'updatedAt',
  'closedAt',
] as const satisfies readonly (keyof AlertEntity)[];

/** Selects only `alias.column AS column` for each column (raw rows keyed like the records). */
function selectAs<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  alias: string,
  columns: readonly string[],
): SelectQueryBuilder<T> {
  return columns.reduce((query, column) => query.addSelect(`${alias}.${column}`, column), builder.select([]));
}

/** Reads for the FHIR API, the organisation first in every call; ids of other organisations find nothing. */
@Injectable()
export class FhirRepository {
  constructor(private readonly dataSource: DataSource) {}

  private responses(organisationId: string): SelectQueryBuilder<ResponseEntity> {
    const builder = this.dataSource
      .getRepository(ResponseEntity)
      .createQueryBuilder('r')
      .leftJoin(AlertEntity, 'a', 'a.id = r.alertId AND a.organisationId = r.organisationId');
    return selectAs(builder, 'r', RESPONSE_COLUMNS)
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
    const builder = this.dataSource.getRepository(AlertEntity).createQueryBuilder('a');
    return selectAs(builder, 'a', ALERT_COLUMNS).where('a.organisationId = :organisationId', {
      organisationId,
    });
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
