import type { AuthUser } from './auth-user.js';
import { notFound } from '../errors.js';

/**
 * What a signed-in user may reach, derived once from the user and handed to every repository method:
 * - organisation: professionals and org admins, their own organisation only;
 * - territory: coordinators, the organisations of their départements or region (aggregates only);
 * - platform: platform admins, every organisation (management data only; named parents need membership).
 */
export type AccessScope =
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'territory'; departements: string[]; region: string | null }
  | { kind: 'platform' };

export function scopeOf(user: AuthUser): AccessScope {
  switch (user.role) {
    case 'platform_admin':
      return { kind: 'platform' };
    case 'coordinator':
      return {
        kind: 'territory',
        departements: [...user.territory.departements],
        region: user.territory.region,
      };
    default:
      // A professional or org admin without an organisation reaches nothing: an impossible organisation id.
      return {
        kind: 'organisation',
        organisationId: user.organisationId ?? '00000000-0000-0000-0000-000000000000',
      };
  }
}

/**
 * The scope of a list a caller may filter by organisation: a member naming another organisation than their own
 * gets a 404 (whether it exists is not told); coordinators and platform admins filter within their reach.
 */
export function listScopeOf(user: AuthUser, organisationId: string | undefined): AccessScope {
  const scope = scopeOf(user);
  if (scope.kind === 'organisation' && organisationId && organisationId !== scope.organisationId)
    throw notFound('Organisation');
  return scope;
}
