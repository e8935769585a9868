import { Injectable } from '@nestjs/common';
import { regionOfDepartement, type UserRole } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import type { AccessScope } from '../../common/auth/scope.js';
import { DomainError, invalid, notFound } from '../../common/errors.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import type { InviteUserDto, TerritoryDto } from './dto/users.dto.js';
import type { UserEntity } from './user.entity.js';

export const ORGANISATION_ROLES: readonly UserRole[] = ['professional', 'org_admin'];
export const PLATFORM_ROLES: readonly UserRole[] = ['coordinator', 'platform_admin'];

/** Where an account sits: an organisation (org roles), a territory (coordinators), or neither (platform admins). */
export interface Placement {
  organisationId: string | null;
  territoryDepartements: string[];
  territoryRegion: string | null;
}

const NOWHERE: Placement = { organisationId: null, territoryDepartements: [], territoryRegion: null };

/**
 * Who may place which role where: org admins place professionals and org admins in their own organisation;
 * platform admins place org admins (in an organisation), coordinators (on a territory) and platform admins.
 */
@Injectable()
export class RolePlacement {
  constructor(private readonly organisations: OrganisationsService) {}

  /** Where an invited account goes, by the inviter's role; refuses what the inviter may not create. */
  async forInvite(actor: AuthUser, scope: AccessScope, input: InviteUserDto): Promise<Placement> {
    if (actor.role === 'org_admin') {
      if (!ORGANISATION_ROLES.includes(input.role)) {
        throw new DomainError(
          'forbidden',
          'role_not_allowed',
          'Organisation admins invite professionals and organisation admins',
          [{ field: 'role', message: 'must be professional or org_admin' }],
        );
      }
      if (input.territory) throw invalid('territory', 'only coordinators have a territory');
      const organisationId = scope.kind === 'organisation' ? scope.organisationId : null;
      if (!organisationId || (input.organisationId && input.organisationId !== organisationId))
        throw notFound('Organisation');
      return { ...NOWHERE, organisationId };
    }
    if (actor.role !== 'platform_admin' || input.role === 'professional') {
      throw new DomainError(
        'forbidden',
        'role_not_allowed',
        'Platform admins create org admins, coordinators and platform admins',
        [{ field: 'role', message: 'must be org_admin, coordinator or platform_admin' }],
      );
    }
    if (input.role === 'org_admin') {
      if (!input.organisationId) throw invalid('organisationId', 'is required for an org admin');
      if (input.territory) throw invalid('territory', 'only coordinators have a territory');
      const organisation = await this.organisations.findInScope(scope, input.organisationId);
      if (!organisation) throw invalid('organisationId', 'no such organisation');
      return { ...NOWHERE, organisationId: organisation.id };
    }
    if (input.organisationId)
      throw invalid('organisationId', 'only org admins and professionals belong to an organisation');
    if (input.role === 'coordinator') return { ...NOWHERE, ...territory(input.territory ?? {}) };
    if (input.territory) throw invalid('territory', 'only coordinators have a territory');
    return NOWHERE;
  }

  /**
   * An account created without an inviter (seed scripts, first platform admin): org roles need an existing
   * organisation, coordinators a territory, platform admins neither.
   */
  async forProvision(input: {
    role: UserRole;
    organisationId?: string | null;
    territory?: { departements?: string[]; region?: string | null };
  }): Promise<Placement> {
    const isOrganisationRole = ORGANISATION_ROLES.includes(input.role);
    if (isOrganisationRole && !input.organisationId)
      throw invalid('organisationId', 'is required for this role');
    if (!isOrganisationRole && input.organisationId)
      throw invalid('organisationId', 'only professionals and org admins belong to an organisation');
    if (input.territory && input.role !== 'coordinator')
      throw invalid('territory', 'only coordinators have a territory');
    const placed = input.role === 'coordinator' ? territory(input.territory ?? {}) : {};
    if (
      input.organisationId &&
      !(await this.organisations.findInScope({ kind: 'platform' }, input.organisationId))
    ) {
      throw invalid('organisationId', 'no such organisation');
    }
    return { ...NOWHERE, organisationId: input.organisationId ?? null, ...placed };
  }

  /** A new role for an existing account: within its side (organisation or not), and org admins only org roles. */
  assertRoleChange(actor: AuthUser, user: UserEntity, role: UserRole): void {
    const allowed = user.organisationId ? ORGANISATION_ROLES : PLATFORM_ROLES;
    if (!allowed.includes(role) || (actor.role === 'org_admin' && !ORGANISATION_ROLES.includes(role))) {
      throw invalid(
        'role',
        user.organisationId
          ? 'must be professional or org_admin for a member of an organisation'
          : 'must be coordinator or platform_admin for an account outside organisations',
      );
    }
  }

  /**
   * An RPPS number signs its holder in through Pro Santé Connect, so only a platform admin records it, and never
   * on their own account: not the account holder, not an organisation admin peer.
   */
  assertMayRecordRpps(actor: AuthUser, targetId: string | null): void {
    if (actor.role !== 'platform_admin' || actor.id === targetId) {
      throw new DomainError(
        'forbidden',
        'rpps_platform_admin_only',
        "rpps: only a platform admin records another account's RPPS number",
        [{ field: 'rpps', message: "only a platform admin records another account's RPPS number" }],
      );
    }
  }
}

/** A coordinator's territory: départements (sorted, checked) and/or a region; at least one of them. */
export function territory(
  input: Partial<TerritoryDto> | { departements: string[]; region: string | null },
): Pick<Placement, 'territoryDepartements' | 'territoryRegion'> {
  const departements = [...new Set(input.departements ?? [])].sort();
  const region = input.region ?? null;
  if (departements.length === 0 && !region)
    throw invalid('territory', 'a coordinator needs départements or a region');
  for (const code of departements) {
    if (!regionOfDepartement(code))
      throw invalid('territory.departements', `${code} is not a département code`);
  }
  return { territoryDepartements: departements, territoryRegion: region };
}
