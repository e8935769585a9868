import {
  departementsOfRegion,
  formatTerritoryItem,
  regionOfDepartement,
  type TerritoryItem,
} from '@lien/shared';
import type { AccessScope } from '../../common/auth/scope.js';
import { DomainError, notFound } from '../../common/errors.js';
import type { ReportFilter } from './report-query.js';
import type { ReportOrganisation } from './reports.repository.js';

/**
 * Which organisations a report covers: the caller's scope (platform: all; coordinator: the organisations
 * of their départements or region; org admin: their own), narrowed by the filters.
 *
 * Refusals are consistent: a `territory` item outside the caller's territory is a 403
 * (`territory_out_of_scope`: départements and regions are public names, refusing reveals nothing), an
 * `organisationId` outside the scope a 404, exactly like an organisation that does not exist.
 */
export interface ReportScope {
  organisations: ReportOrganisation[];
  /** True when the report covers every organisation (no filter needed in SQL). */
  everything: boolean;
}

function matches(organisation: ReportOrganisation, item: TerritoryItem): boolean {
  return item.kind === 'departement'
    ? organisation.departement === item.code
    : organisation.region === item.name || departementsOfRegion(item.name).includes(organisation.departement);
}

function covers(access: AccessScope, own: ReportOrganisation | undefined, item: TerritoryItem): boolean {
  switch (access.kind) {
    case 'platform':
      return true;
    case 'territory':
      return item.kind === 'departement'
        ? access.departements.includes(item.code) ||
            (access.region !== null && regionOfDepartement(item.code) === access.region)
        : item.name === access.region ||
            departementsOfRegion(item.name).every((code) => access.departements.includes(code));
    case 'organisation':
      return own !== undefined && matches(own, item);
  }
}

export function resolveReportScope(
  access: AccessScope,
  filter: ReportFilter,
  all: ReportOrganisation[],
): ReportScope {
  let base: ReportOrganisation[];
  let own: ReportOrganisation | undefined;
  switch (access.kind) {
    case 'platform':
      base = all;
      break;
    case 'territory':
      if (access.departements.length === 0 && !access.region) {
        throw new DomainError('forbidden', 'no_territory', 'This coordinator account has no territory yet');
      }
      base = all.filter(
        (o) =>
          access.departements.includes(o.departement) ||
          (access.region !== null && o.region === access.region),
      );
      break;
    case 'organisation':
      own = all.find((o) => o.id === access.organisationId);
      base = own ? [own] : [];
      break;
  }

  for (const item of filter.territory) {
    if (!covers(access, own, item)) {
      throw new DomainError(
        'forbidden',
        'territory_out_of_scope',
        `territory: ${formatTerritoryItem(item)} is outside your scope`,
        [{ field: 'territory', message: `${formatTerritoryItem(item)} is outside your scope` }],
      );
    }
  }

  let organisations =
    filter.territory.length === 0
      ? base
      : base.filter((o) => filter.territory.some((item) => matches(o, item)));
  if (filter.organisationId !== null) {
    if (!base.some((o) => o.id === filter.organisationId)) throw notFound('Organisation');
    organisations = organisations.filter((o) => o.id === filter.organisationId);
  }
  return {
    organisations,
    everything: access.kind === 'platform' && filter.territory.length === 0 && filter.organisationId === null,
  };
}
