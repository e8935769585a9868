import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { AlertEntity } from './alert.entity.js';
import { FollowUpEventEntity } from './follow-up-event.entity.js';

/**
 * Appends an event without a free-text note (a system step, a resolved SMS, a page) to an alert's follow-up
 * log, in the caller's transaction. Events with a note are sealed first (follow-up-notes.ts).
 */
export async function appendFollowUpEvent(
  manager: EntityManager,
  alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
  event: Pick<FollowUpEventEntity, 'type' | 'actorId' | 'payload' | 'createdAt'>,
): Promise<void> {
  await manager.insert(FollowUpEventEntity, {
    organisationId: alert.organisationId,
    alertId: alert.id,
    parentId: alert.parentId,
    ...event,
  } as QueryDeepPartialEntity<FollowUpEventEntity>);
}
