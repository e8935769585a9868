import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrganisationSettings } from '@lien/shared';
import { conflict } from '../../common/errors.js';
import type { DueSms } from '../sms/sms-queue.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { holidayRegionFor } from './holidays.js';
import { nextAllowedSendTime, planWaves, type PlannedWave } from './schedule.js';

/** What planning needs to know about the organisation. */
export interface PlanningOrganisation {
  id: string;
  timeZone: string;
  departement: string;
  settings: OrganisationSettings;
}

export interface PlanningParent {
  id: string;
  birthDate: string;
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
  constructor(private readonly outbox: SmsOutboxService) {}

  /** Plans the waves that have no live invitation yet (so it is safe to call again, e.g. after an opt-in). */
  async planWaves(
    manager: EntityManager,
    organisation: PlanningOrganisation,
    parent: PlanningParent,
    now: Date,
    createdBy: string | null,
  ): Promise<PlannedInvitation[]> {
    const existing = await manager.query<Array<{ wave: string }>>(
      `SELECT wave FROM invitations WHERE parent_id = $1 AND wave <> 'adhoc' AND status <> 'cancelled'`,
      [parent.id],
    );
    const taken = new Set(existing.map((row) => row.wave));
    const waves = this.wavesFor(organisation, parent, now).filter((wave) => !taken.has(wave.wave));
    return this.insert(manager, organisation.id, parent.id, waves, createdBy);
  }

  /** The waves a birth still gets (pure: the schedule with the organisation's holiday region). */
  wavesFor(
    organisation: PlanningOrganisation,
    parent: Pick<PlanningParent, 'birthDate' | 'enrolledAt'>,
    now: Date,
  ): PlannedWave[] {
    return planWaves({
      birthDate: parent.birthDate,
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

  /** An ad-hoc invitation now, or at the next allowed time; 409 while another ad-hoc one is still unsent. */
  async planAdhoc(
    manager: EntityManager,
    organisation: PlanningOrganisation,
    parentId: string,
    now: Date,
    createdBy: string | null,
  ): Promise<PlannedInvitation> {
    const pending = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM invitations WHERE parent_id = $1 AND wave = 'adhoc' AND status = 'planned' LIMIT 1`,
      [parentId],
    );
    if (pending[0]) {
      throw conflict(
        'adhoc_invitation_pending',
        'An ad-hoc invitation for this parent has not been sent yet',
        { invitationId: pending[0].id },
      );
    }
    const region = holidayRegionFor({
      timeZone: organisation.timeZone,
      departement: organisation.departement,
    });
    const dueAt = nextAllowedSendTime(now, organisation.timeZone, organisation.settings.quietHours, region);
    const [planned] = await this.insert(
      manager,
      organisation.id,
      parentId,
      [{ wave: 'adhoc', dueAt, deferredFrom: dueAt.getTime() === now.getTime() ? null : now }],
      createdBy,
    );
    return planned!;
  }

  private async insert(
    manager: EntityManager,
    organisationId: string,
    parentId: string,
    waves: ReadonlyArray<{ wave: string; dueAt: Date; deferredFrom: Date | null }>,
    createdBy: string | null,
  ): Promise<PlannedInvitation[]> {
    if (waves.length === 0) return [];
    const values: unknown[] = [organisationId, parentId, createdBy];
    const tuples = waves.map((wave) => {
      values.push(wave.wave, wave.dueAt, wave.deferredFrom);
      const at = values.length;
      return `($1::uuid, $2::uuid, $3::uuid, $${at - 2}, $${at - 1}::timestamptz, $${at}::timestamptz)`;
    });
    const rows = await manager.query<Array<{ id: string; wave: string }>>(
      `INSERT INTO invitations (organisation_id, parent_id, created_by, wave, due_at, deferred_from)
       VALUES ${tuples.join(', ')} RETURNING id, wave`,
      values,
    );
    // Waves are distinct within one call: match rows to waves by key (RETURNING order is not promised).
    const idByWave = new Map(rows.map((row) => [row.wave, row.id]));
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
