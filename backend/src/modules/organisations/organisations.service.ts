import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  defaultTimeZoneOfDepartement,
  regionOfDepartement,
  type ApiErrorDetail,
  type OrganisationSettings,
  type OrganisationSettingsResponse,
  type OrganisationSummary,
} from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { scopeOf, type AccessScope } from '../../common/auth/scope.js';
import { invalid, invalidFields, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import type { CreateOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import type { OrganisationEntity } from './organisation.entity.js';
import { OrganisationsRepository } from './organisations.repository.js';
import { applySettingsPatch } from './settings-validation.js';

export function toOrganisationSummary(organisation: OrganisationEntity): OrganisationSummary {
  return {
    id: organisation.id,
    name: organisation.name,
    kind: organisation.kind,
    departement: organisation.departement,
    region: organisation.region,
    timeZone: organisation.timeZone,
    smsSender: organisation.smsSender,
    createdAt: organisation.createdAt.toISOString(),
  };
}

/** Stored settings with any default added since they were written (new keys get their default). */
export function effectiveSettings(organisation: Pick<OrganisationEntity, 'settings'>): OrganisationSettings {
  return { ...DEFAULT_ORGANISATION_SETTINGS, ...organisation.settings };
}

function waveKeys(settings: OrganisationSettings): string[] {
  return settings.waves.map((wave) => wave.key);
}

/**
 * A wave whose key invitations already carry keeps its key: renaming or removing it would cut those invitations
 * (and their answers, reminders and reports) off from their wave. Named at the key's old place in the list.
 */
function usedWaveProblems(
  before: OrganisationSettings,
  after: OrganisationSettings,
  usedKeys: readonly string[],
): ApiErrorDetail[] {
  const keptKeys = new Set(waveKeys(after));
  return before.waves.flatMap((wave, index) =>
    usedKeys.includes(wave.key) && !keptKeys.has(wave.key)
      ? [
          {
            field: index < after.waves.length ? `waves[${index}].key` : 'waves',
            message: `wave "${wave.key}" is used by existing invitations: it cannot be renamed or removed`,
          },
        ]
      : [],
  );
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly invitations: InvitationsService,
  ) {}

  /** Platform admins: all; coordinators: their territory; others: their own organisation. */
  async list(user: AuthUser): Promise<OrganisationSummary[]> {
    return (await this.organisations.list(scopeOf(user))).map(toOrganisationSummary);
  }

  async get(user: AuthUser, id: string): Promise<OrganisationSummary> {
    const organisation = await this.organisations.findById(id, scopeOf(user));
    if (!organisation) throw notFound('Organisation');
    return toOrganisationSummary(organisation);
  }

  /** The organisations a scope reaches (a coordinator's territory), for other services. */
  listInScope(scope: AccessScope): Promise<OrganisationEntity[]> {
    return this.organisations.list(scope);
  }

  /** An organisation within a scope (null when absent or out of scope), for other services. */
  findInScope(scope: AccessScope, id: string): Promise<OrganisationEntity | null> {
    return this.organisations.findById(id, scope);
  }

  async create(input: CreateOrganisationDto, context: AuditContext): Promise<OrganisationSummary> {
    const region = this.regionFor(input.departement, input.region);
    const patched = applySettingsPatch(DEFAULT_ORGANISATION_SETTINGS, input.smsSender, {
      ...(input.settings ?? {}),
    });
    if (patched.problems.length > 0) {
      throw invalidFields(
        patched.problems.map((problem) => ({ ...problem, field: `settings.${problem.field}` })),
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const organisation = await this.organisations.insert(
        {
          name: input.name.trim(),
          kind: input.kind,
          departement: input.departement,
          region,
          timeZone: input.timeZone ?? defaultTimeZoneOfDepartement(input.departement),
          smsSender: input.smsSender,
          settings: patched.settings,
        },
        manager,
      );
      await this.audit.record(
        { ...context, organisationId: organisation.id },
        { action: 'organisation.create', targetType: 'organisation', targetId: organisation.id },
        manager,
      );
      return toOrganisationSummary(organisation);
    });
  }

  async update(
    id: string,
    input: UpdateOrganisationDto,
    context: AuditContext,
  ): Promise<OrganisationSummary> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.organisations.findByIdForUpdate(id, { kind: 'platform' }, manager);
      if (!current) throw notFound('Organisation');
      const departement = input.departement ?? current.departement;
      const region =
        input.region !== undefined || input.departement !== undefined
          ? this.regionFor(departement, input.region)
          : current.region;
      const changes = {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.departement !== undefined ? { departement } : {}),
        ...(region !== current.region ? { region } : {}),
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
      };
      if (Object.keys(changes).length > 0) {
        await this.organisations.update(id, changes, manager);
        await this.audit.record(
          { ...context, organisationId: id },
          {
            action: 'organisation.update',
            targetType: 'organisation',
            targetId: id,
            metadata: { fields: Object.keys(changes) },
          },
          manager,
        );
      }
      return toOrganisationSummary({ ...current, ...changes });
    });
  }

  /** Professionals and org admins of the organisation; anyone else gets 404. */
  async getSettings(user: AuthUser, id: string): Promise<OrganisationSettingsResponse> {
    const organisation = await this.organisations.findById(id, scopeOf(user));
    if (!organisation) throw notFound('Organisation');
    const settings = effectiveSettings(organisation);
    const usedWaveKeys = await this.invitations.usedWaveKeys(
      { organisationId: id },
      this.dataSource.manager,
      waveKeys(settings),
    );
    return { ...settings, smsSender: organisation.smsSender, usedWaveKeys };
  }

  /** Merges a partial patch, validates the result (400 naming each field), saves and audits the field names. */
  async patchSettings(
    user: AuthUser,
    id: string,
    patch: unknown,
    context: AuditContext,
  ): Promise<OrganisationSettingsResponse> {
    return this.dataSource.transaction(async (manager) => {
      const organisation = await this.organisations.findByIdForUpdate(id, scopeOf(user), manager);
      if (!organisation) throw notFound('Organisation');
      const current = effectiveSettings(organisation);
      const result = applySettingsPatch(current, organisation.smsSender, patch);
      if (result.problems.length > 0) throw invalidFields(result.problems);
      // Only a valid result is compared with the waves invitations carry.
      const usedWaveKeys = await this.invitations.usedWaveKeys(
        { organisationId: id },
        manager,
        waveKeys(current),
      );
      const waveProblems = usedWaveProblems(current, result.settings, usedWaveKeys);
      if (waveProblems.length > 0) throw invalidFields(waveProblems);
      if (result.changedFields.length > 0) {
        await this.organisations.update(
          id,
          { settings: result.settings, smsSender: result.smsSender },
          manager,
        );
        await this.audit.record(
          { ...context, organisationId: id },
          {
            action: 'settings.update',
            targetType: 'organisation',
            targetId: id,
            metadata: { fields: [...result.changedFields].sort() },
          },
          manager,
        );
      }
      const stillUsed = usedWaveKeys.filter((key) => waveKeys(result.settings).includes(key));
      return { ...result.settings, smsSender: result.smsSender, usedWaveKeys: stillUsed };
    });
  }

  private regionFor(departement: string, region: string | undefined): string {
    const expected = regionOfDepartement(departement);
    if (!expected)
      throw invalid('departement', 'must be an INSEE département code such as "62", "2A" or "974"');
    if (region !== undefined && region !== expected)
      throw invalid('region', `département ${departement} is in ${expected}`);
    return expected;
  }
}
