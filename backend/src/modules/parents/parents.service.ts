import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  NAME_SEARCH_MIN_LENGTH,
  type AdhocInvitationResponse,
  type HouseholdMember,
  type ParentDetail,
  type ParentListResponse,
} from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { FieldEncryption, foldName } from '../../common/crypto/field-encryption.service.js';
import { conflict, isUniqueViolation, notFound } from '../../common/errors.js';
import { pageOf } from '../../common/paging.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { InvitationPlanner, type PlannedInvitation } from '../invitations/invitation-planner.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { DueSms } from '../sms/sms-queue.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { SmsQueueService } from '../sms/sms-queue.service.js';
import { UndeliveredSmsTasks } from '../sms/undelivered-sms-tasks.service.js';
import type { EnrolParentDto, ListParentsQuery, UpdateParentDto } from './dto/parent.dto.js';
import { namePrefixIndexes, prefixIndex, searchPrefix } from './name-prefixes.js';
import type { ParentEntity } from './parent.entity.js';
import { checkBirth, duplicate, FieldProblems, invalidField } from './parent-input.js';
import { ParentOrganisations, planningOf } from './parent-organisations.service.js';
import {
  clearIdentity,
  detailView,
  enrolledEntity,
  householdMemberView,
  invitationSummary,
  plannedFrom,
  plannedRows,
  summaryView,
  type ClearIdentity,
} from './parent-views.js';
import {
  ParentsRepository,
  type EnrolmentAudit,
  type InsertedEnrolment,
  type NewParent,
  type ParentSearch,
  type PlannedWave,
} from './parents.repository.js';
import { looksLikePhone, parseMobilePhone } from './phone.js';

/** One enrolment validated and planned, not yet written. */
export interface PreparedEnrolment {
  values: NewParent;
  waves: PlannedWave[];
  clear: ClearIdentity;
  audit: EnrolmentAudit;
}

/** A phone and birth an update is about to record: checked for a duplicate under the phone's lock. */
interface DuplicateProbe {
  phoneIndex: string;
  birthDate: string | null;
  expectedTermDate: string | null;
}

/**
 * Enrolment and the parent record. Names and phone are encrypted; lookups go through blind indexes. Every read
 * of a named parent and every change is audited; every change and the SMS it plans commit together, and the
 * SMS are enqueued after commit. The organisation scope comes first in every method. Households are in
 * `households.service.ts`, input rules in `parent-input.ts`, views in `parent-views.ts`, STOP/START in
 * `parent-opt-out.service.ts`, the history in `parent-history.service.ts`, SQL in the repositories.
 */
@Injectable()
export class ParentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ParentsRepository,
    private readonly organisations: ParentOrganisations,
    private readonly planner: InvitationPlanner,
    private readonly outbox: SmsOutboxService,
    private readonly queue: SmsQueueService,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly undeliveredSms: UndeliveredSmsTasks,
  ) {}

  async enrol(
    scope: OrgScope,
    dto: EnrolParentDto,
    user: AuthUser,
    context: AuditContext,
  ): Promise<ParentDetail> {
    const organisation = await this.organisations.get(scope);
    const now = this.clock.now();
    const problems = new FieldProblems();
    const prepared = await this.prepareEnrolment(organisation, dto, user, now, problems, context, '');
    problems.throwIfAny();
    const { values, waves, clear } = prepared!;
    let inserted: InsertedEnrolment | null;
    try {
      inserted = await this.repository.insertEnrolment(values, waves, prepared!.audit);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      inserted = null;
    }
    if (!inserted) return this.throwDuplicate(scope, values, null);
    const planned = plannedFrom(waves, inserted);
    await this.queue.enqueue(planned.map((p) => p.sms));
    return detailView(enrolledEntity(values, inserted), clear, plannedRows(planned));
  }

  /**
   * Validation and planning of one enrolment, shared by single and household enrolment (nothing written).
   * Problems go into `allProblems` with `prefix` before each field (`parents[1].`); null when there were any.
   */
  async prepareEnrolment(
    organisation: OrganisationEntity,
    dto: EnrolParentDto,
    user: AuthUser,
    now: Date,
    allProblems: FieldProblems,
    context: AuditContext,
    prefix: string,
  ): Promise<PreparedEnrolment | null> {
    const problems = new FieldProblems();
    const organisationId = organisation.id;
    const phone = parseMobilePhone(dto.phone, organisation.departement);
    if (!phone.ok) problems.add('phone', phone.message);
    checkBirth(dto.birthDate, dto.expectedTermDate, organisation.timeZone, now, problems, true);
    const referentUserId = dto.referentUserId ?? user.id;
    if (
      dto.referentUserId &&
      !(await this.repository.isReferentCandidate(dto.referentUserId, organisationId))
    ) {
      problems.add('referentUserId', 'must be an active professional of your organisation');
    }
    for (const detail of problems.details)
      allProblems.details.push({ field: `${prefix}${detail.field}`, message: `${prefix}${detail.message}` });
    if (problems.details.length > 0) return null;
    const e164 = (phone as { e164: string }).e164;
    const phoneIndex = this.encryption.blindIndex(e164);

    const values: NewParent = {
      organisationId,
      firstNameEnc: this.encryption.encrypt(dto.firstName),
      lastNameEnc: this.encryption.encrypt(dto.lastName),
      phoneEnc: this.encryption.encrypt(e164),
      phoneIndex,
      firstNameIndex: this.encryption.blindIndex(foldName(dto.firstName)),
      lastNameIndex: this.encryption.blindIndex(foldName(dto.lastName)),
      namePrefixes: this.namePrefixes({ organisationId }, dto.firstName, dto.lastName),
      role: dto.role,
      language: dto.language,
      birthDate: dto.birthDate ?? null,
      expectedTermDate: dto.birthDate ? null : (dto.expectedTermDate ?? null),
      referentUserId,
      consentRecordedBy: user.id,
      consentRecordedAt: now,
      consentTextVersion: dto.consent.textVersion,
    };
    const waves = values.birthDate
      ? this.planner.wavesFor(
          planningOf(organisation),
          { birthDate: values.birthDate, enrolledAt: now, role: values.role },
          now,
        )
      : [];
    return {
      values,
      waves,
      clear: { firstName: dto.firstName, lastName: dto.lastName, phone: e164 },
      audit: {
        actorId: context.actorId,
        ip: context.ip ?? null,
        requestId: context.requestId ?? null,
        metadata: {
          role: dto.role,
          language: dto.language,
          antenatal: !values.birthDate,
          invitations: waves.map((wave) => wave.wave),
          consentTextVersion: dto.consent.textVersion,
        },
      },
    };
  }

  /**
   * One page of the organisation's parents, newest first. `q` is a phone number (exact, any French format) or
   * the start of a first or last name (at least NAME_SEARCH_MIN_LENGTH letters, case and accents ignored).
   */
  async list(scope: OrgScope, query: ListParentsQuery, context: AuditContext): Promise<ParentListResponse> {
    const { organisationId } = scope;
    const { page, pageSize } = pageOf(query);
    const search: ParentSearch = { status: query.status };
    if (query.q) {
      if (looksLikePhone(query.q)) {
        const organisation = await this.organisations.get(scope);
        const phone = parseMobilePhone(query.q, organisation.departement);
        if (!phone.ok) return { items: [], total: 0, page, pageSize };
        search.phoneIndex = this.encryption.blindIndex(phone.e164);
      } else {
        const folded = foldName(query.q);
        if ([...folded].length < NAME_SEARCH_MIN_LENGTH)
          throw invalidField('q', `must have at least ${NAME_SEARCH_MIN_LENGTH} letters to search by name`);
        search.nameIndex = this.encryption.blindIndex(folded);
        search.namePrefix = prefixIndex(
          (value) => this.encryption.blindIndex(value),
          organisationId,
          searchPrefix(query.q),
        );
      }
    }
    const { rows, total } = await this.repository.search(organisationId, search, page, pageSize);
    if (rows.length > 0) {
      await this.audit.record(context, {
        action: 'parent.list',
        targetType: 'parent',
        metadata: {
          parentIds: rows.map((row) => row.id),
          page,
          search: search.phoneIndex ? 'phone' : search.nameIndex ? 'name' : 'none',
        },
      });
    }
    return {
      items: rows.map((row) => summaryView(row, clearIdentity(this.encryption, row), row.next)),
      total,
      page,
      pageSize,
    };
  }

  async get(scope: OrgScope, id: string, context: AuditContext): Promise<ParentDetail> {
    const { organisationId } = scope;
    const parent = await this.repository.findById(id, organisationId);
    if (!parent) throw notFound('Parent');
    const invitations = await this.repository.invitations(id, organisationId);
    await this.audit.record(context, { action: 'parent.read', targetType: 'parent', targetId: id });
    return detailView(
      parent,
      clearIdentity(this.encryption, parent),
      invitations,
      await this.household(parent, context),
    );
  }

  /**
   * The other parents of a parent's household: names, waves and result bands, never answers or scores. Whoever
   * may read this parent may read them (same organisation, same permission); each is audited as a named read.
   */
  private async household(parent: ParentEntity, context: AuditContext): Promise<HouseholdMember[]> {
    if (!parent.householdId) return [];
    const members = await this.repository.householdMembers(
      parent.organisationId,
      parent.householdId,
      parent.id,
    );
    if (members.length === 0) return [];
    const summaries = await this.repository.householdSummaries(
      parent.organisationId,
      members.map((member) => member.id),
    );
    for (const member of members) {
      await this.audit.record(context, {
        action: 'parent.read',
        targetType: 'parent',
        targetId: member.id,
        metadata: { view: 'household', parentId: parent.id },
      });
    }
    return members.map((member) =>
      householdMemberView(member, clearIdentity(this.encryption, member), summaries),
    );
  }

  async update(
    scope: OrgScope,
    id: string,
    dto: UpdateParentDto,
    user: AuthUser,
    context: AuditContext,
  ): Promise<ParentDetail> {
    const { organisationId } = scope;
    const organisation = await this.organisations.get(scope);
    const now = this.clock.now();
    let planned: PlannedInvitation[] = [];
    let resent: DueSms[] = [];
    let probe: DuplicateProbe | null = null;
    const parent = await this.dataSource
      .transaction(async (manager) => {
        const current = await this.repository.lockById(manager, id, organisationId);
        if (!current) throw notFound('Parent');
        const problems = new FieldProblems();
        const changes: Partial<ParentEntity> = {};
        if (dto.firstName !== undefined) {
          changes.firstNameEnc = this.encryption.encrypt(dto.firstName);
          changes.firstNameIndex = this.encryption.blindIndex(foldName(dto.firstName));
        }
        if (dto.lastName !== undefined) {
          changes.lastNameEnc = this.encryption.encrypt(dto.lastName);
          changes.lastNameIndex = this.encryption.blindIndex(foldName(dto.lastName));
        }
        // A renamed parent is found by the new name's prefixes and no longer by the old one's.
        if (dto.firstName !== undefined || dto.lastName !== undefined) {
          changes.namePrefixes = this.namePrefixes(
            scope,
            dto.firstName ?? this.encryption.decrypt(current.firstNameEnc),
            dto.lastName ?? this.encryption.decrypt(current.lastNameEnc),
          );
        }
        if (dto.phone !== undefined) {
          const phone = parseMobilePhone(dto.phone, organisation.departement);
          if (!phone.ok) problems.add('phone', phone.message);
          else {
            changes.phoneEnc = this.encryption.encrypt(phone.e164);
            changes.phoneIndex = this.encryption.blindIndex(phone.e164);
          }
        }
        if (dto.role !== undefined) changes.role = dto.role;
        if (dto.language !== undefined) changes.language = dto.language;
        if (dto.referentUserId !== undefined) {
          if (await this.repository.isReferentCandidate(dto.referentUserId, organisationId, manager))
            changes.referentUserId = dto.referentUserId;
          else problems.add('referentUserId', 'must be an active professional of your organisation');
        }
        if (dto.birthDate !== undefined && dto.birthDate !== current.birthDate) {
          if (current.birthDate !== null) {
            throw conflict(
              'birth_date_already_recorded',
              'The birth date is already recorded and fixes the schedule; it cannot be changed',
            );
          }
          checkBirth(dto.birthDate, undefined, organisation.timeZone, now, problems, false);
          changes.birthDate = dto.birthDate;
        }
        if (dto.expectedTermDate !== undefined && dto.expectedTermDate !== current.expectedTermDate) {
          if (current.birthDate !== null || changes.birthDate)
            problems.add('expectedTermDate', 'cannot be set once the birth date is recorded');
          else {
            checkBirth(undefined, dto.expectedTermDate, organisation.timeZone, now, problems, false);
            changes.expectedTermDate = dto.expectedTermDate;
          }
        }
        problems.throwIfAny();

        const phoneIndex = changes.phoneIndex ?? current.phoneIndex;
        if (
          current.status === 'active' &&
          (changes.phoneIndex || changes.birthDate || changes.expectedTermDate)
        ) {
          const birthDate = changes.birthDate ?? current.birthDate;
          probe = {
            phoneIndex,
            birthDate,
            expectedTermDate: birthDate ? null : (changes.expectedTermDate ?? current.expectedTermDate),
          };
          await this.repository.lockPhone(manager, organisationId, phoneIndex);
          const existing = await this.repository.findDuplicate(
            organisationId,
            phoneIndex,
            probe,
            id,
            manager,
          );
          if (existing) throw duplicate(existing);
        }
        if (Object.keys(changes).length > 0)
          await this.repository.update(manager, id, organisationId, changes);
        // A corrected number resolves the "check the number" task and sends the invitation again.
        if (changes.phoneEnc && changes.phoneIndex !== current.phoneIndex)
          resent = await this.undeliveredSms.resendAfterCorrection(manager, current, user.id);
        if (changes.birthDate && current.status === 'active') {
          planned = await this.planner.planWaves(
            planningOf(organisation),
            manager,
            {
              id,
              birthDate: changes.birthDate,
              role: changes.role ?? current.role,
              enrolledAt: current.consentRecordedAt,
            },
            now,
            user.id,
          );
        }
        await this.audit.record(
          context,
          {
            action: 'parent.update',
            targetType: 'parent',
            targetId: id,
            metadata: {
              fields: Object.keys(dto).filter((key) => dto[key as keyof UpdateParentDto] !== undefined),
              invitations: planned.map((p) => p.wave),
            },
          },
          manager,
        );
        return Object.assign(current, changes);
      })
      .catch(async (error: unknown) => {
        const seen = probe;
        if (isUniqueViolation(error) && seen) await this.throwDuplicate(scope, seen, id);
        throw error;
      });
    await this.queue.enqueue([...planned.map((p) => p.sms), ...resent]);
    const invitations = await this.repository.invitations(id, organisationId);
    return detailView(parent, clearIdentity(this.encryption, parent), invitations);
  }

  async withdraw(scope: OrgScope, id: string, context: AuditContext): Promise<ParentDetail> {
    const { organisationId } = scope;
    await this.dataSource.transaction(async (manager) => {
      const parent = await this.repository.lockById(manager, id, organisationId);
      if (!parent) throw notFound('Parent');
      await this.outbox.stopParent(manager, id, 'withdrawn', context);
    });
    const parent = await this.repository.findById(id, organisationId);
    if (!parent) throw notFound('Parent');
    const invitations = await this.repository.invitations(id, organisationId);
    // The answer names the parent: audited as a read on every call, a repeated withdrawal (which changes
    // nothing and records no parent.withdraw) included.
    await this.audit.record(context, {
      action: 'parent.read',
      targetType: 'parent',
      targetId: id,
      metadata: { view: 'withdraw' },
    });
    return detailView(parent, clearIdentity(this.encryption, parent), invitations);
  }

  async sendAdhoc(
    scope: OrgScope,
    id: string,
    user: AuthUser,
    context: AuditContext,
  ): Promise<AdhocInvitationResponse> {
    const { organisationId } = scope;
    const organisation = await this.organisations.get(scope);
    const now = this.clock.now();
    const planned = await this.dataSource.transaction(async (manager) => {
      const parent = await this.repository.lockById(manager, id, organisationId);
      if (!parent) throw notFound('Parent');
      if (parent.status !== 'active') {
        throw conflict(
          'parent_not_active',
          `This parent is ${parent.status.replace('_', ' ')}: no SMS can be sent`,
          { status: parent.status },
        );
      }
      const invitation = await this.planner.planAdhoc(planningOf(organisation), manager, id, now, user.id);
      await this.audit.record(
        context,
        {
          action: 'invitation.adhoc',
          targetType: 'parent',
          targetId: id,
          metadata: { invitationId: invitation.id, dueAt: invitation.dueAt.toISOString() },
        },
        manager,
      );
      return invitation;
    });
    await this.queue.enqueue([planned.sms]);
    const [row] = plannedRows([planned]);
    return { invitation: invitationSummary(row!) };
  }

  // ---------------------------------------------------------------------------------------------------------

  private namePrefixes(scope: OrgScope, firstName: string, lastName: string): string[] {
    return namePrefixIndexes(
      (value) => this.encryption.blindIndex(value),
      scope.organisationId,
      firstName,
      lastName,
    );
  }

  /** The 409 of a duplicate found after the fact (a unique-index race): names the existing parent if it can. */
  private async throwDuplicate(
    scope: OrgScope,
    probe: DuplicateProbe,
    excludeId: string | null,
  ): Promise<never> {
    const existing = probe.phoneIndex
      ? await this.repository.findDuplicate(scope.organisationId, probe.phoneIndex, probe, excludeId)
      : null;
    throw duplicate(existing);
  }
}
