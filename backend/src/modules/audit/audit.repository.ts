import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ReadReplica } from '../../database/read-replica.js';
import type { AccessScope } from '../../common/auth/scope.js';
import { UserEntity } from '../users/user.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';

export interface AuditFilters {
  organisationId?: string;
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export type NewAuditEvent = Pick<
  AuditEventEntity,
  'organisationId' | 'actorId' | 'ip' | 'requestId' | 'action' | 'targetType' | 'targetId' | 'metadata'
>;

export interface AuditRow extends AuditEventEntity {
  actorDisplayName: string | null;
}

/**
 * The audit log's door: `append`, its one write (through AuditService.record), and its reads, scoped like every
 * tenant read and served by the replica when one is configured and within its lag bound.
 */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Absent where a test builds the module graph without it: the primary serves. */
    @Optional() @Inject(ReadReplica) private readonly replica: ReadReplica | null = null,
  ) {}

  /** Appends one event, in the caller's transaction when `manager` is given (it then commits with the change). */
  async append(event: NewAuditEvent, manager?: EntityManager): Promise<void> {
    // TypeORM's partial type does not take a jsonb column's Record: the cast is that, not a loosening.
    await (manager ?? this.dataSource.manager).insert(
      AuditEventEntity,
      event as QueryDeepPartialEntity<AuditEventEntity>,
    );
  }

  async list(scope: AccessScope, filters: AuditFilters): Promise<{ items: AuditRow[]; total: number }> {
    const work = (dataSource: DataSource) => this.listOn(dataSource, scope, filters);
    return this.replica ? this.replica.read(work) : work(this.dataSource);
  }

  private async listOn(
    dataSource: DataSource,
    scope: AccessScope,
    filters: AuditFilters,
  ): Promise<{ items: AuditRow[]; total: number }> {
    const query = dataSource.createQueryBuilder(AuditEventEntity, 'event');
    if (scope.kind === 'organisation')
      query.andWhere('event.organisationId = :scopeOrganisationId', {
        scopeOrganisationId: scope.organisationId,
      });
    else if (scope.kind === 'territory') query.andWhere('1 = 0');
    if (filters.organisationId)
      query.andWhere('event.organisationId = :organisationId', { organisationId: filters.organisationId });
    if (filters.action) {
      if (filters.action.endsWith('*')) {
        query.andWhere('event.action LIKE :actionPrefix', {
          actionPrefix: `${filters.action.slice(0, -1).replace(/_/g, '\\_')}%`,
        });
      } else query.andWhere('event.action = :action', { action: filters.action });
    }
    if (filters.actorId) query.andWhere('event.actorId = :actorId', { actorId: filters.actorId });
    if (filters.from) query.andWhere('event.createdAt >= :from', { from: filters.from });
    if (filters.to) query.andWhere('event.createdAt < :to', { to: filters.to });
    // Counted before joining the actor (at most one row per event): a plain COUNT, where the join would make
    // TypeORM count DISTINCT primary keys, a sort of every matching row of a log that grows for years.
    const total = await query.clone().getCount();
    const { entities, raw } = await query
      .leftJoin(UserEntity, 'actor', 'actor.id = event.actorId')
      .addSelect('actor.displayName', 'actor_display_name')
      .orderBy('event.createdAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .offset((filters.page - 1) * filters.pageSize)
      .limit(filters.pageSize)
      .getRawAndEntities<{ actor_display_name: string | null }>();
    return {
      items: entities.map((event, index) =>
        Object.assign(event, { actorDisplayName: raw[index]?.actor_display_name ?? null }),
      ),
      total,
    };
  }
}
