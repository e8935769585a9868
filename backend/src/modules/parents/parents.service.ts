import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  AdhocInvitationResponse,
  ApiErrorDetail,
  HouseholdMember,
  HouseholdResponse,
  InvitationSummary,
  InviteOtherParentResponse,
  NextInvitation,
  ParentDetail,
  ParentListResponse,
  ParentStatus,
  ParentSummary,
} from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { FieldEncryption, foldName } from '../../common/crypto/field-encryption.service.js';
import { conflict, DomainError, invalidFields, isUniqueViolation, notFound } from '../../common/errors.js';
import { pageOf } from '../../common/paging.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import {
  InvitationPlanner,
  type PlannedInvitation,
  type PlanningOrganisation,
} from '../invitations/invitation-planner.service.js';
import { localDate } from '../invitations/schedule.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { DueSms } from '../sms/sms-queue.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { SmsQueueService } from '../sms/sms-queue.service.js';
import { UndeliveredSmsTasks } from '../sms/undelivered-sms-tasks.service.js';
import type { EnrolParentDto, ListParentsQuery, UpdateParentDto } from './dto/parent.dto.js';
import { ParentEntity } from './parent.entity.js';
import {
  ParentsRepository,
  type EnrolmentAudit,
  type InsertedEnrolment,
  type InvitationRow,
  type NewParent,
  type PlannedWave as PlannedWaveRow,
  type NextInvitationRow,
} from './parents.repository.js';
import { looksLikePhone, parseMobilePhone } from './phone.js';

/** Collects field problems so one 400 names every bad field. */
class FieldProblems {
  readonly details: ApiErrorDetail[] = [];
  add(field: string, message: string): void {
    this.details.push({ field, message: `${field} ${message}` });
  }
  throwIfAny(): void {
    if (this.details.length === 0) return;
    throw invalidFields(this.details);
  }
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The birth and term date limits of one local day (ISO dates), the same for every enrolment of that day. */
interface BirthBounds {
  today: string;
  yearAgo: string;
  monthAgo: string;
  tenMonthsAhead: string;
}

const boundsByDay = new Map<string, BirthBounds>();

function birthBounds(today: string): BirthBounds {
  let bounds = boundsByDay.get(today);
  if (!bounds) {
    const day = DateTime.fromISO(today, { zone: 'utc' });
    bounds = {
      today,
      yearAgo: day.minus({ years: 1 }).toISODate()!,
      monthAgo: day.minus({ months: 1 }).toISODate()!,
      tenMonthsAhead: day.plus({ months: 10 }).toISODate()!,
    };
    if (boundsByDay.size > 1_000) boundsByDay.clear();
    boundsByDay.set(today, bounds);
  }
  return bounds;
}

/** The parents of one birth: a mother and a father or co-parent, or three with a co-parent (as enrolment allows). */
const MAX_HOUSEHOLD_PARENTS = 3;

/** How long this process reuses an organisation's settings when planning. */
const ORGANISATION_CACHE_MS = 5_000;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/**
 * Enrolment and the parent record. Names and phone are encrypted; lookups go through blind indexes. Every read
 * of a named parent and every change is audited; every change and the SMS it plans commit together, and the
 * SMS are enqueued after commit.
 */
@Injectable()
export class ParentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ParentsRepository,
    private readonly planner: InvitationPlanner,
    private readonly outbox: SmsOutboxService,
    private readonly queue: SmsQueueService,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly undeliveredSms: UndeliveredSmsTasks,
  ) {}

  async enrol(
    dto: EnrolParentDto,
    user: AuthUser,
    organisationId: string,
    context: AuditContext,
  ): Promise<ParentDetail> {
    const organisation = await this.organisation(organisationId);
    const now = this.clock.now();
    const problems = new FieldProblems();
    const prepared = await this.prepareEnrolment(dto, user, organisation, now, problems, context, '');
    problems.throwIfAny();
    const { values, waves, clear } = prepared!;
    let inserted: Awaited<ReturnType<ParentsRepository['insertEnrolment']>>;
    try {
      inserted = await this.repository.insertEnrolment(values, waves, prepared!.audit);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      inserted = null;
    }
    if (!inserted)
      return this.throwDuplicate(
        organisationId,
        values.phoneIndex,
        values.birthDate,
        values.expectedTermDate,
        null,
      );
    const planned = plannedFrom(waves, inserted);
    await this.queue.enqueue(planned.map((p) => p.sms));
    return this.detail(this.enrolled(values, inserted), clear, plannedRows(planned));
  }

  /**
   * The parents of one birth (mother and father/co-parent) enrolled in one transaction, each through the same
   * validation, duplicate detection, consent record and wave planning as a single enrolment, then linked as a
   * household. Problems are named per parent (`parents[1].phone`); a duplicate of either enrols neither.
   */
  async enrolHousehold(
    dtos: readonly EnrolParentDto[],
    user: AuthUser,
    organisationId: string,
    context: AuditContext,
  ): Promise<HouseholdResponse> {
    const organisation = await this.organisation(organisationId);
    const now = this.clock.now();
    const problems = new FieldProblems();
    const prepared: PreparedEnrolment[] = [];
    for (const [index, dto] of dtos.entries()) {
      const one = await this.prepareEnrolment(
        dto,
        user,
        organisation,
        now,
        problems,
        context,
        `parents[${index}].`,
      );
      if (one) prepared.push(one);
    }
    problems.throwIfAny();
    const first = prepared[0]!;
    prepared.slice(1).forEach((other, offset) => {
      const index = offset + 1;
      if (prepared.slice(0, index).some((earlier) => earlier.values.phoneIndex === other.values.phoneIndex))
        problems.add(
          `parents[${index}].phone`,
          'must differ from the other parent’s (each parent has their own)',
        );
      if (
        other.values.birthDate !== first.values.birthDate ||
        other.values.expectedTermDate !== first.values.expectedTermDate
      )
        problems.add(
          `parents[${index}].${other.values.birthDate ? 'birthDate' : 'expectedTermDate'}`,
          'must be the same birth as the first parent’s',
        );
    });
    problems.throwIfAny();
    const householdId = randomUUID();
    const inserted = await this.dataSource.transaction(async (manager) => {
      for (const one of prepared) {
        await this.lockPhone(manager, organisationId, one.values.phoneIndex);
        await this.refuseDuplicate(
          manager,
          organisationId,
          one.values.phoneIndex,
          one.values.birthDate,
          one.values.expectedTermDate,
          null,
        );
      }
      const rows = await this.repository.insertHouseholdEnrolments(
        manager,
        prepared.map((one) => ({
          values: one.values,
          waves: one.waves,
          audit: { ...one.audit, metadata: { ...one.audit.metadata, householdId } },
        })),
      );
      if (rows.some((row) => row === null)) throw duplicate(null);
      await this.repository.setHousehold(
        manager,
        organisationId,
        householdId,
        rows.map((row) => row!.id),
      );
      return rows as InsertedEnrolment[];
    });
    const planned = prepared.map((one, index) => plannedFrom(one.waves, inserted[index]!));
    await this.queue.enqueue(planned.flat().map((p) => p.sms));
    const parents = prepared.map((one, index) => {
      const parent = Object.assign(this.enrolled(one.values, inserted[index]!), { householdId });
      return this.detail(parent, one.clear, plannedRows(planned[index]!));
    });
    // Each parent's view lists the others (freshly enrolled: no answer yet).
    for (const parent of parents) {
      parent.household = parents
        .filter((other) => other.id !== parent.id)
        .map((other) => ({
          id: other.id,
          firstName: other.firstName,
          lastName: other.lastName,
          role: other.role,
          status: other.status,
          invitations: other.invitations.map((i) => ({
            wave: i.wave,
            status: i.status,
            dueAt: i.dueAt,
            completedAt: i.completedAt,
          })),
          results: [],
        }));
    }
    return { householdId, parents };
  }

  /**
   * Links another parent of the same organisation and birth to this parent's household (creating it). A parent
   * of another organisation is not found (404); parents already in two different households are refused (409).
   */
  async linkHousehold(
    id: string,
    otherId: string,
    organisationId: string,
    context: AuditContext,
  ): Promise<ParentDetail> {
    if (id === otherId)
      throw invalidFields([{ field: 'parentId', message: 'parentId must be another parent' }]);
    await this.dataSource.transaction(async (manager) => {
      // Locked in id order, so two links of the same pair made at once cannot deadlock.
      const [firstId, secondId] = [id, otherId].sort();
      const first = await this.repository.lockById(manager, firstId!, organisationId);
      const second = await this.repository.lockById(manager, secondId!, organisationId);
      if (!first || !second) throw notFound('Parent');
      if (!sameBirth(first, second)) {
        throw conflict('household_birth_mismatch', 'These parents are not recorded for the same birth', {
          parentId: otherId,
        });
      }
      if (first.householdId && second.householdId && first.householdId !== second.householdId) {
        throw conflict('household_conflict', 'These parents already belong to two different households', {
          parentId: otherId,
        });
      }
      const householdId = first.householdId ?? second.householdId ?? randomUUID();
      const joining = [first, second].filter((parent) => parent.householdId !== householdId).length;
      const members = await this.repository.householdSize(manager, organisationId, householdId);
      if (members + joining > MAX_HOUSEHOLD_PARENTS) {
        throw conflict('household_full', `A household has at most ${MAX_HOUSEHOLD_PARENTS} parents`, {
          parentId: otherId,
        });
      }
      await this.repository.setHousehold(manager, organisationId, householdId, [id, otherId]);
      await this.audit.record(
        context,
        {
          action: 'parent.household_link',
          targetType: 'parent',
          targetId: id,
          metadata: { householdId, parentId: otherId },
        },
        manager,
      );
    });
    return this.get(id, organisationId, context);
  }

  /**
   * From an alert on one parent: the other parent of the household gets an ad-hoc invitation now; when there is
   * none yet, `dto` enrols them (same birth, own phone and consent) into the alerted parent's household.
   */
  async inviteOtherParent(
    alertId: string,
    dto: EnrolParentDto | undefined,
    user: AuthUser,
    organisationId: string,
    context: AuditContext,
  ): Promise<InviteOtherParentResponse> {
    const parentId = await this.repository.alertParentId(alertId, organisationId);
    const parent = parentId ? await this.repository.findById(parentId, organisationId) : null;
    if (!parent) throw notFound('Alert');
    const [other] = parent.householdId
      ? await this.repository.householdMembers(organisationId, parent.householdId, parent.id)
      : [];
    if (other) {
      if (dto)
        throw conflict('other_parent_enrolled', 'The other parent is already enrolled: invite them instead', {
          parentId: other.id,
        });
      const { invitation } = await this.sendAdhoc(other.id, organisationId, user, context);
      await this.audit.record(context, {
        action: 'alert.invite_other_parent',
        targetType: 'alert',
        targetId: alertId,
        metadata: { parentId: other.id, invitationId: invitation.id },
      });
      return { parentId: other.id, enrolled: false, invitations: [invitation] };
    }
    if (!dto) {
      throw invalidFields([
        { field: 'parent', message: 'parent is required: the other parent is not enrolled yet' },
      ]);
    }
    const birthProbe = { birthDate: dto.birthDate ?? null, expectedTermDate: dto.expectedTermDate ?? null };
    if (!sameBirth(parent, birthProbe)) {
      const field = dto.birthDate ? 'parent.birthDate' : 'parent.expectedTermDate';
      throw invalidFields([{ field, message: `${field} must be the birth of the alerted parent` }]);
    }
    const enrolled = await this.enrol(dto, user, organisationId, context);
    await this.linkHousehold(parent.id, enrolled.id, organisationId, context);
    await this.audit.record(context, {
      action: 'alert.invite_other_parent',
      targetType: 'alert',
      targetId: alertId,
      metadata: { parentId: enrolled.id, enrolled: true },
    });
    return { parentId: enrolled.id, enrolled: true, invitations: enrolled.invitations };
  }

  /** Validation and planning of one enrolment, shared by single and household enrolment (nothing written). */
  private async prepareEnrolment(
    dto: EnrolParentDto,
    user: AuthUser,
    organisation: OrganisationEntity,
    now: Date,
    allProblems: FieldProblems,
    context: AuditContext,
    prefix: string,
  ): Promise<PreparedEnrolment | null> {
    const problems = new FieldProblems();
    const organisationId = organisation.id;
    const phone = parseMobilePhone(dto.phone, organisation.departement);
    if (!phone.ok) problems.add('phone', phone.message);
    this.checkBirth(dto.birthDate, dto.expectedTermDate, organisation.timeZone, now, problems, true);
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
          this.planning(organisation),
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

  /** The entity of a row just inserted by an enrolment. */
  private enrolled(values: NewParent, inserted: InsertedEnrolment): ParentEntity {
    return Object.assign(new ParentEntity(), values, {
      id: inserted.id,
      status: 'active' as const,
      statusChangedAt: null,
      householdId: null,
      createdAt: inserted.createdAt,
      updatedAt: inserted.createdAt,
    });
  }

  async list(
    organisationId: string,
    query: ListParentsQuery,
    context: AuditContext,
  ): Promise<ParentListResponse> {
    const { page, pageSize } = pageOf(query);
    const search: { phoneIndex?: string; nameIndex?: string; status?: ParentStatus } = {
      status: query.status,
    };
    if (query.q) {
      if (looksLikePhone(query.q)) {
        const organisation = await this.organisation(organisationId);
        const phone = parseMobilePhone(query.q, organisation.departement);
        if (!phone.ok) return { items: [], total: 0, page, pageSize };
        search.phoneIndex = this.encryption.blindIndex(phone.e164);
      } else {
        search.nameIndex = this.encryption.blindIndex(foldName(query.q));
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
    return { items: rows.map((row) => this.summary(row, this.clear(row), row.next)), total, page, pageSize };
  }

  async get(id: string, organisationId: string, context: AuditContext): Promise<ParentDetail> {
    const parent = await this.repository.findById(id, organisationId);
    if (!parent) throw notFound('Parent');
    const invitations = await this.repository.invitations(id, organisationId);
    await this.audit.record(context, { action: 'parent.read', targetType: 'parent', targetId: id });
    return this.detail(parent, this.clear(parent), invitations, await this.household(parent, context));
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
    const ids = members.map((member) => member.id);
    const { invitations, results } = await this.repository.householdSummaries(parent.organisationId, ids);
    for (const member of members) {
      await this.audit.record(context, {
        action: 'parent.read',
        targetType: 'parent',
        targetId: member.id,
        metadata: { view: 'household', parentId: parent.id },
      });
    }
    return members.map((member) => {
      const clear = this.clear(member);
      return {
        id: member.id,
        firstName: clear.firstName,
        lastName: clear.lastName,
        role: member.role,
        status: member.status,
        invitations: invitations
          .filter((row) => row.parentId === member.id)
          .map((row) => ({
            wave: row.wave,
            status: row.status,
            dueAt: row.dueAt.toISOString(),
            completedAt: iso(row.completedAt),
          })),
        results: results
          .filter((row) => row.parentId === member.id)
          .map((row) => ({ wave: row.wave, band: row.band, receivedAt: row.receivedAt.toISOString() })),
      };
    });
  }

  async update(
    id: string,
    dto: UpdateParentDto,
    organisationId: string,
    user: AuthUser,
    context: AuditContext,
  ): Promise<ParentDetail> {
    const organisation = await this.organisation(organisationId);
    const now = this.clock.now();
    let planned: PlannedInvitation[] = [];
    let resent: DueSms[] = [];
    let probe: { phoneIndex: string; birthDate: string | null; expectedTermDate: string | null } | null =
      null;
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
          this.checkBirth(dto.birthDate, undefined, organisation.timeZone, now, problems, false);
          changes.birthDate = dto.birthDate;
        }
        if (dto.expectedTermDate !== undefined && dto.expectedTermDate !== current.expectedTermDate) {
          if (current.birthDate !== null || changes.birthDate)
            problems.add('expectedTermDate', 'cannot be set once the birth date is recorded');
          else {
            this.checkBirth(undefined, dto.expectedTermDate, organisation.timeZone, now, problems, false);
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
          await this.lockPhone(manager, organisationId, phoneIndex);
          await this.refuseDuplicate(
            manager,
            organisationId,
            phoneIndex,
            probe.birthDate,
            probe.expectedTermDate,
            id,
          );
        }
        if (Object.keys(changes).length > 0)
          await this.repository.update(manager, id, organisationId, changes);
        // A corrected number resolves the "check the number" task and sends the invitation again.
        if (changes.phoneEnc && changes.phoneIndex !== current.phoneIndex)
          resent = await this.undeliveredSms.resendAfterCorrection(manager, current, user.id);
        if (changes.birthDate && current.status === 'active') {
          planned = await this.planner.planWaves(
            manager,
            this.planning(organisation),
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
        if (isUniqueViolation(error) && seen)
          await this.throwDuplicate(
            organisationId,
            seen.phoneIndex,
            seen.birthDate,
            seen.expectedTermDate,
            id,
          );
        throw error;
      });
    await this.queue.enqueue([...planned.map((p) => p.sms), ...resent]);
    const invitations = await this.repository.invitations(id, organisationId);
    return this.detail(parent, this.clear(parent), invitations);
  }

  async withdraw(id: string, organisationId: string, context: AuditContext): Promise<ParentDetail> {
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
    return this.detail(parent, this.clear(parent), invitations);
  }

  async sendAdhoc(
    id: string,
    organisationId: string,
    user: AuthUser,
    context: AuditContext,
  ): Promise<AdhocInvitationResponse> {
    const organisation = await this.organisation(organisationId);
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
      const invitation = await this.planner.planAdhoc(manager, this.planning(organisation), id, now, user.id);
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

  /** Inbound STOP: every active parent with this number, in every organisation, stops receiving SMS. */
  async optOutByPhone(e164: string, context: { ip?: string | null }): Promise<number> {
    const phoneIndex = this.encryption.blindIndex(e164);
    return this.dataSource.transaction(async (manager) => {
      const parents = await this.repository.findByPhoneAllOrganisations(phoneIndex, ['active'], manager);
      let count = 0;
      for (const parent of parents) {
        const stopped = await this.outbox.stopParent(
          manager,
          parent.id,
          'opted_out',
          { actorId: null, organisationId: parent.organisationId, ip: context.ip ?? null },
          { source: 'inbound_sms' },
        );
        if (stopped) count += 1;
      }
      return count;
    });
  }

  /** Inbound START: parents who opted out become active again; waves still ahead are planned again. */
  async optInByPhone(e164: string, context: { ip?: string | null }): Promise<number> {
    const phoneIndex = this.encryption.blindIndex(e164);
    const now = this.clock.now();
    const toEnqueue: DueSms[] = [];
    const count = await this.dataSource.transaction(async (manager) => {
      const parents = await this.repository.findByPhoneAllOrganisations(phoneIndex, ['opted_out'], manager);
      for (const parent of parents) {
        await this.repository.update(manager, parent.id, parent.organisationId, {
          status: 'active',
          statusChangedAt: now,
        });
        let waves: string[] = [];
        if (parent.birthDate) {
          const organisation = await this.organisation(parent.organisationId, manager);
          const planned = await this.planner.planWaves(
            manager,
            this.planning(organisation),
            {
              id: parent.id,
              birthDate: parent.birthDate,
              role: parent.role,
              enrolledAt: parent.consentRecordedAt,
            },
            now,
            null,
          );
          waves = planned.map((p) => p.wave);
          toEnqueue.push(...planned.map((p) => p.sms));
        }
        await this.audit.record(
          { actorId: null, organisationId: parent.organisationId, ip: context.ip ?? null },
          {
            action: 'parent.opt_in',
            targetType: 'parent',
            targetId: parent.id,
            metadata: { source: 'inbound_sms', invitations: waves },
          },
          manager,
        );
      }
      return parents.length;
    });
    await this.queue.enqueue(toEnqueue);
    return count;
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * The organisation (time zone, département, settings) for planning. Read at most every few seconds per
   * organisation by this process: enrolments come in bursts and settings change rarely, so a settings change
   * applies to enrolments within ORGANISATION_CACHE_MS.
   */
  private async organisation(organisationId: string, manager?: EntityManager): Promise<OrganisationEntity> {
    const now = Date.now();
    const cached = this.organisations.get(organisationId);
    if (cached && cached.until > now) return cached.organisation;
    const organisation = await this.repository.organisation(organisationId, manager);
    if (!organisation) throw notFound('Organisation');
    if (this.organisations.size > 5_000) this.organisations.clear();
    this.organisations.set(organisationId, { organisation, until: now + ORGANISATION_CACHE_MS });
    return organisation;
  }

  private readonly organisations = new Map<string, { organisation: OrganisationEntity; until: number }>();

  private planning(organisation: OrganisationEntity): PlanningOrganisation {
    return {
      id: organisation.id,
      timeZone: organisation.timeZone,
      departement: organisation.departement,
      settings: organisation.settings,
    };
  }

  /** Serialises enrolments of one phone in one organisation, so the duplicate check cannot race. */
  private async lockPhone(manager: EntityManager, organisationId: string, phoneIndex: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7310))`, [
      `${organisationId}:${phoneIndex}`,
    ]);
  }

  private async refuseDuplicate(
    manager: EntityManager,
    organisationId: string,
    phoneIndex: string,
    birthDate: string | null,
    expectedTermDate: string | null,
    excludeId: string | null,
  ): Promise<void> {
    const existing = await this.repository.findDuplicate(
      organisationId,
      phoneIndex,
      { birthDate, expectedTermDate },
      excludeId,
      manager,
    );
    if (existing) throw duplicate(existing);
  }

  private async throwDuplicate(
    organisationId: string,
    phoneIndex: string,
    birthDate: string | null,
    expectedTermDate: string | null,
    excludeId: string | null,
  ): Promise<never> {
    const existing = phoneIndex
      ? await this.repository.findDuplicate(
          organisationId,
          phoneIndex,
          { birthDate, expectedTermDate },
          excludeId,
        )
      : null;
    throw duplicate(existing);
  }

  /**
   * Birth date: a real date, not after today, not more than a year ago. Expected term: from a month ago to ten
   * months ahead. On enrolment exactly one of them is given. "Today" is the organisation's local date.
   */
  private checkBirth(
    birthDate: string | undefined,
    expectedTermDate: string | undefined,
    timeZone: string,
    now: Date,
    problems: FieldProblems,
    exactlyOne: boolean,
  ): void {
    if (exactlyOne && birthDate === undefined && expectedTermDate === undefined) {
      problems.add('birthDate', 'is required (or expectedTermDate for an antenatal enrolment)');
      return;
    }
    if (exactlyOne && birthDate !== undefined && expectedTermDate !== undefined) {
      problems.add('birthDate', 'and expectedTermDate cannot both be given');
      problems.add('expectedTermDate', 'and birthDate cannot both be given');
      return;
    }
    // Calendar arithmetic on dates: the time zone only decides which day "today" is. ISO dates compare as text.
    const bounds = birthBounds(localDate(now, timeZone));
    if (birthDate !== undefined) {
      if (!isCalendarDate(birthDate)) problems.add('birthDate', 'is not a valid date');
      else if (birthDate > bounds.today) problems.add('birthDate', 'cannot be in the future');
      else if (birthDate < bounds.yearAgo) problems.add('birthDate', 'cannot be more than a year ago');
    }
    if (expectedTermDate !== undefined) {
      if (!isCalendarDate(expectedTermDate)) problems.add('expectedTermDate', 'is not a valid date');
      else if (expectedTermDate < bounds.monthAgo || expectedTermDate > bounds.tenMonthsAhead) {
        problems.add('expectedTermDate', 'must be between a month ago and ten months ahead');
      }
    }
  }

  private clear(parent: ParentEntity): { firstName: string; lastName: string; phone: string } {
    return {
      firstName: this.encryption.decrypt(parent.firstNameEnc),
      lastName: this.encryption.decrypt(parent.lastNameEnc),
      phone: this.encryption.decrypt(parent.phoneEnc),
    };
  }

  private summary(
    parent: ParentEntity,
    clear: { firstName: string; lastName: string; phone: string },
    next: NextInvitationRow | null,
  ): ParentSummary {
    const nextInvitation: NextInvitation | null = next
      ? {
          invitationId: next.invitationId,
          wave: next.wave,
          dueAt: next.dueAt.toISOString(),
          deferredFrom: iso(next.deferredFrom),
        }
      : null;
    return {
      id: parent.id,
      ...clear,
      role: parent.role,
      language: parent.language,
      status: parent.status,
      birthDate: parent.birthDate,
      expectedTermDate: parent.expectedTermDate,
      referentUserId: parent.referentUserId,
      createdAt: parent.createdAt.toISOString(),
      nextInvitation,
    };
  }

  private detail(
    parent: ParentEntity,
    clear: { firstName: string; lastName: string; phone: string },
    invitations: InvitationRow[],
    household: HouseholdMember[] = [],
  ): ParentDetail {
    const next = invitations
      .filter((i) => i.status === 'planned')
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
    return {
      ...this.summary(
        parent,
        clear,
        next
          ? { invitationId: next.id, wave: next.wave, dueAt: next.dueAt, deferredFrom: next.deferredFrom }
          : null,
      ),
      consent: {
        recordedBy: parent.consentRecordedBy,
        recordedAt: parent.consentRecordedAt.toISOString(),
        textVersion: parent.consentTextVersion,
      },
      statusChangedAt: iso(parent.statusChangedAt),
      invitations: invitations.map(invitationSummary),
      householdId: parent.householdId ?? null,
      household,
    };
  }
}

/** One enrolment validated and planned, not yet written. */
interface PreparedEnrolment {
  values: NewParent;
  waves: PlannedWaveRow[];
  clear: { firstName: string; lastName: string; phone: string };
  audit: EnrolmentAudit;
}

/** The planned waves of an enrolment matched with the rows its statement inserted. */
function plannedFrom(waves: readonly PlannedWaveRow[], inserted: InsertedEnrolment): PlannedInvitation[] {
  return waves.map((wave) => {
    const row = inserted.invitations.find((invitation) => invitation.wave === wave.wave)!;
    return {
      id: row.id,
      wave: wave.wave,
      dueAt: wave.dueAt,
      deferredFrom: wave.deferredFrom,
      sms: { id: row.smsId, dueAt: wave.dueAt },
    };
  });
}

/**
 * Whether two parent records are of the same birth: the same birth date, the same expected term, or a term
 * within 60 days of the other's birth date (the duplicate rule's tolerance).
 */
function sameBirth(
  a: Pick<ParentEntity, 'birthDate' | 'expectedTermDate'>,
  b: Pick<ParentEntity, 'birthDate' | 'expectedTermDate'>,
): boolean {
  if (a.birthDate && b.birthDate) return a.birthDate === b.birthDate;
  if (!a.birthDate && !b.birthDate) return a.expectedTermDate === b.expectedTermDate;
  const birth = (a.birthDate ?? b.birthDate)!;
  const term = a.birthDate ? b.expectedTermDate : a.expectedTermDate;
  if (!term) return false;
  const days = Math.abs(Date.parse(`${birth}T00:00:00Z`) - Date.parse(`${term}T00:00:00Z`)) / 86_400_000;
  return days <= 60;
}

function duplicate(existingParentId: string | null): DomainError {
  return conflict(
    'duplicate_parent',
    'This phone number is already enrolled for this birth in your organisation',
    existingParentId ? { existingParentId } : {},
  );
}

/** Freshly planned invitations as rows, without reading them back. */
function plannedRows(planned: readonly PlannedInvitation[]): InvitationRow[] {
  return planned.map((p) => ({
    id: p.id,
    wave: p.wave,
    status: 'planned',
    dueAt: p.dueAt,
    deferredFrom: p.deferredFrom,
    sentAt: null,
    expiresAt: null,
    remindersSent: 0,
    completedAt: null,
    sms: [
      {
        id: p.sms.id,
        invitationId: p.id,
        kind: 'invitation',
        status: 'pending',
        dueAt: p.dueAt,
        deferredFrom: p.deferredFrom,
        sentAt: null,
        attempts: 0,
        segments: null,
        encoding: null,
        errorCode: null,
      },
    ],
  }));
}

function invitationSummary(row: InvitationRow): InvitationSummary {
  return {
    id: row.id,
    wave: row.wave,
    status: row.status,
    dueAt: row.dueAt.toISOString(),
    deferredFrom: iso(row.deferredFrom),
    sentAt: iso(row.sentAt),
    expiresAt: iso(row.expiresAt),
    remindersSent: row.remindersSent,
    completedAt: iso(row.completedAt),
    sms: row.sms.map((sms) => ({
      id: sms.id,
      kind: sms.kind,
      status: sms.status,
      dueAt: sms.dueAt.toISOString(),
      deferredFrom: iso(sms.deferredFrom),
      sentAt: iso(sms.sentAt),
      attempts: sms.attempts,
      segments: sms.segments,
      encoding: sms.encoding,
      errorCode: sms.errorCode,
    })),
  };
}
