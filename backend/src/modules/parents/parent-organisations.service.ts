import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { notFound } from '../../common/errors.js';
import type { PlanningOrganisation } from '../invitations/invitation-planner.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentsRepository } from './parents.repository.js';

/** How long this process reuses an organisation's settings when planning. */
const ORGANISATION_CACHE_MS = 5_000;

/**
 * The organisation (time zone, département, settings) enrolment and START plan with. Read at most every few
 * seconds per organisation by this process: enrolments come in bursts and settings change rarely, so a settings
 * change applies to enrolments within ORGANISATION_CACHE_MS.
 */
@Injectable()
export class ParentOrganisations {
  private readonly organisations = new Map<string, { organisation: OrganisationEntity; until: number }>();

  constructor(private readonly repository: ParentsRepository) {}

  async get(scope: OrgScope, manager?: EntityManager): Promise<OrganisationEntity> {
    const { organisationId } = scope;
    const now = Date.now();
    const cached = this.organisations.get(organisationId);
    if (cached && cached.until > now) return cached.organisation;
    const organisation = await this.repository.organisation(organisationId, manager);
    if (!organisation) throw notFound('Organisation');
    if (this.organisations.size > 5_000) this.organisations.clear();
    this.organisations.set(organisationId, { organisation, until: now + ORGANISATION_CACHE_MS });
    return organisation;
  }
}

/** What the invitation planner needs of an organisation. */
export function planningOf(organisation: OrganisationEntity): PlanningOrganisation {
  return {
    organisationId: organisation.id,
    timeZone: organisation.timeZone,
    departement: organisation.departement,
    settings: organisation.settings,
  };
}
