import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

export interface AuditRow extends AuditEventEntity {
  actorDisplayName: string | null;
}

/**
 * Reads of the audit log (writes go through AuditService.record). Scoped like every tenant read. Read on the
 * replica when one is configured and within its lag bound.
 */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Absent where a test builds the module graph without it: the primary serves. */
    @Optional() @Inject(ReadReplica) private readonly replica: ReadReplica | null = null,
  ) {}

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
