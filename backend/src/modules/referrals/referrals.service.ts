import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiErrorDetail, ReferralResourceView } from '@lien/shared';
import type { AccessScope } from '../../common/auth/scope.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { DomainError, invalid, invalidFields, notFound } from '../../common/errors.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { AuditService, type AuditContext, type AuditRecord } from '../audit/audit.service.js';
import { readReferralResource } from './referral-resource-input.js';
import { ReferralsRepository, type ScopedReferralResource } from './referrals.repository.js';

export type { ReferralResourceView };

const view = (row: ScopedReferralResource): ReferralResourceView => ({
  id: row.id,
  organisationId: row.organisationId,
  organisationName: row.organisation.name,
  name: row.name,
  kind: row.kind,
  address: row.address,
  phone: row.phone,
  languages: row.languages,
  acceptsNewPatients: row.acceptsNewPatients,
  usualDelayDays: row.usualDelayDays,
  updatedAt: row.updatedAt.toISOString(),
});

/** The 404 of an organisation the caller does not reach (absent or elsewhere: never told apart), by its field. */
const organisationNotFound = (): DomainError =>
  new DomainError('not_found', 'not_found', 'organisationId: Organisation not found', [
    { field: 'organisationId', message: 'organisationId names no organisation you keep the directory of' },
  ]);

/**
 * The referral directory: read by an organisation's professionals (their own), kept by its admins (their own)
 * and by coordinators (every organisation of their territory). The caller's scope decides which entries exist.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly resources: ReferralsRepository,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
  ) {}

  /** The organisations whose directory the scope reaches: one's own, or every organisation of the territory. */
  private async reached(scope: AccessScope): Promise<string[]> {
    if (scope.kind === 'organisation') return [scope.organisationId];
    return (await this.organisations.listInScope(scope)).map((organisation) => organisation.id);
  }

  /** Every entry the scope reaches, or one organisation's (which the scope must reach: else 404). */
  async list(scope: AccessScope, organisationId?: string): Promise<ReferralResourceView[]> {
    let organisationIds = await this.reached(scope);
    if (organisationId !== undefined) {
      if (!isUuid(organisationId)) throw invalid('organisationId', 'must be a UUID');
      if (!organisationIds.includes(organisationId.toLowerCase())) throw organisationNotFound();
      organisationIds = [organisationId.toLowerCase()];
    }
    return (await this.resources.list(organisationIds)).map(view);
  }

  async get(scope: AccessScope, id: string): Promise<ReferralResourceView> {
    const row = await this.resources.findById(await this.reached(scope), id);
    if (!row) throw notFound('Referral resource');
    return view(row);
  }

  async create(scope: AccessScope, body: unknown, context: AuditContext): Promise<ReferralResourceView> {
    const { organisationId: named, rest } = splitOrganisation(body);
    const { value, problems } = readReferralResource(rest, false);
    const organisationProblem = readOrganisationId(scope, named);
    if (organisationProblem) problems.unshift(organisationProblem);
    if (problems.length > 0) throw invalidFields(problems);
    const organisationId = isUuid(named)
      ? named.toLowerCase()
      : scope.kind === 'organisation'
        ? scope.organisationId
        : '';
    const organisation = await this.organisations.findInScope(scope, organisationId);
    if (!organisation) throw organisationNotFound();
    const saved = await this.dataSource.transaction(async (manager) => {
      const row = await this.resources.insert(organisation.id, value, manager);
      await this.record(
        { ...context, organisationId: organisation.id },
        { action: 'referral_resource.create', targetId: row.id },
        manager,
      );
      return row;
    });
    return this.get(scope, saved.id);
  }

  async update(
    scope: AccessScope,
    id: string,
    body: unknown,
    context: AuditContext,
  ): Promise<ReferralResourceView> {
    const { value, problems } = readReferralResource(body, true);
    if (problems.length > 0) throw invalidFields(problems);
    const organisationIds = await this.reached(scope);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.resources.findById(organisationIds, id, manager);
      if (!row) throw notFound('Referral resource');
      await this.resources.update(id, value, manager);
      await this.record(
        { ...context, organisationId: row.organisationId },
        { action: 'referral_resource.update', targetId: id, metadata: { fields: Object.keys(value) } },
        manager,
      );
    });
    return this.get(scope, id);
  }

  async remove(scope: AccessScope, id: string, context: AuditContext): Promise<void> {
    const organisationIds = await this.reached(scope);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.resources.findById(organisationIds, id, manager);
      if (!row) throw notFound('Referral resource');
      await this.resources.delete(id, manager);
      await this.record(
        { ...context, organisationId: row.organisationId },
        { action: 'referral_resource.delete', targetId: id },
        manager,
      );
    });
  }

  /** In the organisation of the entry (a coordinator's change shows in that organisation's log). */
  private record(
    context: AuditContext,
    record: Omit<AuditRecord, 'targetType'>,
    manager: Parameters<AuditService['record']>[2],
  ): Promise<unknown> {
    return this.audit.record(context, { ...record, targetType: 'referral_resource' }, manager);
  }
}

/** `organisationId` apart from the entry's own fields (it says where the entry goes, not what it is). */
function splitOrganisation(body: unknown): { organisationId: unknown; rest: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { organisationId: undefined, rest: body };
  const { organisationId, ...rest } = body as Record<string, unknown>;
  return { organisationId, rest };
}

/** Coordinators must name the organisation; org admins may (their own). A malformed id is a 400. */
function readOrganisationId(scope: AccessScope, value: unknown): ApiErrorDetail | null {
  if (value === undefined || value === null) {
    return scope.kind === 'organisation'
      ? null
      : {
          field: 'organisationId',
          message: 'organisationId is required: the organisation whose directory receives the entry',
        };
  }
  if (!isUuid(value)) return { field: 'organisationId', message: 'organisationId must be a UUID' };
  return null;
}
