import { roleHasPermission, type AuditParentView } from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { scopeOf } from '../../common/auth/scope.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import type { AuditEventEntity } from './audit-event.entity.js';

/**
 * Who sees parents' names in the audit log, and which parents an event is about (pure functions, no database).
 *
 * Names, not initials: the log answers "who read or changed this parent's record", which initials shared by many
 * parents of an organisation cannot answer without opening records (more named reads). The organisation's
 * `alertListParentName` setting is about the alert dashboard, a screen left open all day in shared rooms; this
 * log is opened on purpose, by the organisation's admin, who may read those records anyway. List reads are not
 * expanded into names (a page of the log would become a list of hundreds of names): their ids stay in the
 * metadata, and the page shows how many parents they named.
 */

/**
 * The organisation whose parents the reader may see named: a member of an organisation whose role reads parents
 * (its org admin, the only such role with `audit.read`). A platform admin reads across organisations without
 * being a member of any: no names, like a coordinator or a partner key.
 */
export function parentNamesScope(actor: AuthUser): OrgScope | null {
  if (actor.apiKey || !actor.organisationId || !roleHasPermission(actor.role, 'parents.read')) return null;
  const scope = scopeOf(actor);
  return scope.kind === 'organisation' ? { organisationId: scope.organisationId } : null;
}

/** The parents an event is about: its target parent, then the parent its metadata names (`parentId`). */
export function parentIdsOf(event: Pick<AuditEventEntity, 'targetType' | 'targetId' | 'metadata'>): string[] {
  const ids: string[] = [];
  if (event.targetType === 'parent' && isUuid(event.targetId)) ids.push(event.targetId.toLowerCase());
  const named = event.metadata['parentId'];
  if (isUuid(named)) ids.push(named.toLowerCase());
  return [...new Set(ids)];
}

/** The event's parents, named when `names` (the reader's allowed ones) holds them. */
export function parentViews(ids: readonly string[], names: ReadonlyMap<string, string>): AuditParentView[] {
  return ids.map((id) => ({ id, name: names.get(id) ?? null }));
}
