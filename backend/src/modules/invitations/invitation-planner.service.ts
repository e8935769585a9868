import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import {
  parseRescreenWaveKey,
  rescreenWaveKey,
  type EpdsBand,
  type OrganisationSettings,
  type ParentRole,
} from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { conflict } from '../../common/errors.js';
import type { DueSms } from '../sms/sms-queue.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { holidayRegionFor } from './holidays.js';
import { InvitationsRepository, type InvitationRow } from './invitations.repository.js';
import { nextAllowedSendTime, planWaves, type PlannedWave } from './schedule.js';

/** The organisation scope with what planning needs to know about the organisation. */
export interface PlanningOrganisation extends OrgScope {
  timeZone: string;
  departement: string;
  settings: OrganisationSettings;
}

export interface PlanningParent {
  id: string;
  birthDate: string;
  /** Only the waves for this role are planned. */
  role: ParentRole;
  /** When consent was recorded: a wave whose time had passed by then is "late" (sent within its window). */
  enrolledAt: Date;
}

export interface PlannedInvitation {
  id: string;
  wave: string;
  dueAt: Date;
  deferredFrom: Date | null;
  sms: DueSms;
}

/**
 * Turns the schedule (`planWaves`, pure) into rows: one invitation per wave (status planned) and its first
 * SMS (kind invitation, pending, same due time), in the caller's transaction. Waves that can no longer be sent
 * (enrolled after the window) get no row at all: absence means skipped. The caller enqueues the returned SMS
 * after commit.
 */
@Injectable()
export class InvitationPlanner {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly outbox: SmsOutboxService,
  ) {}

  /** Plans the waves that have no live invitation yet (so it is safe to call again, e.g. after an opt-in). */
  async planWaves(
    scope: PlanningOrganisation,
    manager: EntityManager,
    parent: PlanningParent,
    now: Date,
    createdBy: string | null,
  ): Promise<PlannedInvitation[]> {
    const taken = await this.invitations.liveWaves(manager, parent.id);
    const waves = this.wavesFor(scope, parent, now).filter((wave) => !taken.has(wave.wave));
    return this.insert(scope, manager, parent.id, waves, createdBy);
  }

  /** The waves a birth still gets (pure: the schedule with the organisation's holiday region). */
  wavesFor(
    organisation: PlanningOrganisation,
    parent: Pick<PlanningParent, 'birthDate' | 'enrolledAt' | 'role'>,
    now: Date,
  ): PlannedWave[] {
    return planWaves({
      birthDate: parent.birthDate,
      role: parent.role,
      enrolledAt: parent.enrolledAt,
      now,
      settings: organisation.settings,
      timeZone: organisation.timeZone,
      holidayRegion: holidayRegionFor({
        timeZone: organisation.timeZone,
        departement: organisation.departement,
      }),
    });
  }

  /**
   * Adaptive re-screening: an answer to a wave (or to one of its re-screens) whose band the wave's `rescreen`
   * rule lists invites the parent again `afterDays` later (at `sendTime`, out of quiet hours), up to `maxTimes`
   * re-screens per wave. Null when no rule applies or the maximum is reached; the caller enqueues the SMS after
   * commit.
   */
  async planRescreen(
    scope: PlanningOrganisation,
    manager: EntityManager,
    parentId: string,
    answered: { wave: string; band: EpdsBand; at: Date },
    createdBy: string | null,
  ): Promise<PlannedInvitation | null> {
    const { wave: waveKey, n } = parseRescreenWaveKey(answered.wave);
    const wave = scope.settings.waves.find((candidate) => candidate.key === waveKey);
    const rule = wave?.rescreen;
    if (!rule || !rule.bands.includes(answered.band) || n >= rule.maxTimes) return null;
    const key = rescreenWaveKey(waveKey, n + 1);
    if (await this.invitations.hasLiveWave(manager, parentId, key)) return null;
    const region = holidayRegionFor({ timeZone: scope.timeZone, departement: scope.departement });
    const { timeZone, settings } = scope;
    const answeredDay = DateTime.fromJSDate(answered.at, { zone: timeZone });
    const [hour, minute] = settings.sendTime.split(':').map(Number);
    const nominal = answeredDay
      .plus({ days: rule.afterDays })
      .set({ hour: hour ?? 10, minute: minute ?? 0, second: 0, millisecond: 0 })
      .toJSDate();
    const dueAt = nextAllowedSendTime(nominal, timeZone, settings.quietHours, region);
    const [planned] = await this.insert(
      scope,
      manager,
      parentId,
      [{ wave: key, dueAt, deferredFrom: dueAt.getTime() === nominal.getTime() ? null : nominal }],
      createdBy,
    );
    return planned!;
  }

  /** An ad-hoc invitation now, or at the next allowed time; 409 while another ad-hoc one is still unsent. */
  async planAdhoc(
    scope: PlanningOrganisation,
    manager: EntityManager,
    parentId: string,
    now: Date,
    createdBy: string | null,
  ): Promise<PlannedInvitation> {
    const pending = await this.invitations.pendingAdhoc(manager, parentId);
    if (pending) {
      throw conflict(
        'adhoc_invitation_pending',
        'An ad-hoc invitation for this parent has not been sent yet',
        { invitationId: pending },
      );
    }
    const region = holidayRegionFor({ timeZone: scope.timeZone, departement: scope.departement });
    const dueAt = nextAllowedSendTime(now, scope.timeZone, scope.settings.quietHours, region);
    const [planned] = await this.insert(
      scope,
      manager,
      parentId,
      [{ wave: 'adhoc', dueAt, deferredFrom: dueAt.getTime() === now.getTime() ? null : now }],
      createdBy,
    );
    return planned!;
  }

  private async insert(
    scope: OrgScope,
    manager: EntityManager,
    parentId: string,
    waves: readonly InvitationRow[],
    createdBy: string | null,
  ): Promise<PlannedInvitation[]> {
    if (waves.length === 0) return [];
    const { organisationId } = scope;
    // Waves are distinct within one call: the repository answers each one's id by its key.
    const idByWave = await this.invitations.insertPlanned(
      manager,
      organisationId,
      parentId,
      createdBy,
      waves,
    );
    const planned = waves.map((wave) => ({ ...wave, id: idByWave.get(wave.wave)! }));
    const sms = await this.outbox.createPending(
      manager,
      planned.map((wave) => ({
        organisationId,
        parentId,
        invitationId: wave.id,
        kind: 'invitation' as const,
        dueAt: wave.dueAt,
        deferredFrom: wave.deferredFrom,
      })),
    );
    return planned.map((wave, index) => ({ ...wave, sms: sms[index]! }));
  }
}
