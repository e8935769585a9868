import type { EntityManager } from 'typeorm';
import { AlertEntity } from './alert.entity.js';

/**
 * The alert, row-locked until the caller's transaction ends. A request names its organisation; a job (deadline,
 * paging escalation) acts on the id its own queue gave it.
 */
export function lockAlert(
  manager: EntityManager,
  id: string,
  organisationId?: string,
): Promise<AlertEntity | null> {
  const query = manager
    .createQueryBuilder(AlertEntity, 'alert')
    .setLock('pessimistic_write')
    .where('alert.id = :id', { id });
  if (organisationId !== undefined)
    query.andWhere('alert.organisationId = :organisationId', { organisationId });
  return query.getOne();
}
