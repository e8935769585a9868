import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseRescreenWaveKey } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { AlertRulesService } from './alert-rules.service.js';

const BATCH = 200;

/** Whether a wave asks for a "no answer" task: per wave in the settings; ad hoc invitations (and unknown waves) do. */
export function wantsNoResponseTask(settings: OrganisationEntity['settings'], wave: string): boolean {
  if (wave === 'adhoc') return true;
  // A re-screen ("day42-r1") follows its wave.
  const key = parseRescreenWaveKey(wave).wave;
  return settings.waves.find((setting) => setting.key === key)?.noResponseTask ?? true;
}

/**
 * Non-response: invitations still sent/opened after their link expired (the last reminder went unanswered) become
 * `expired`, and, when the wave asks for it, the referent gets a LOW "no answer" task (merged into an open alert).
 * Worker only (AlertsWorkerModule). Each invitation is claimed by one conditional UPDATE
 * (`InvitationsRepository.expireDue`), so concurrent or repeated sweeps act once.
 */
@Injectable()
export class InvitationExpiryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly rules: AlertRulesService,
    private readonly invitations: InvitationsService,
  ) {}

  async sweep(): Promise<{ expired: number; tasks: number }> {
    let expired = 0;
    let tasks = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const expiredRows = await this.invitations.expireDue(manager, this.clock.now(), BATCH);
        if (expiredRows.length === 0) return { count: 0, tasks: 0 };
        let created = 0;
        for (const row of expiredRows) {
          const { organisation, parent } = row;
          if (
            !organisation ||
            !parent ||
            parent.organisationId !== organisation.id ||
            parent.status !== 'active'
          )
            continue;
          if (!wantsNoResponseTask(organisation.settings, row.wave)) continue;
          await this.rules.onNoResponse(organisation, manager, { id: row.id, wave: row.wave }, parent);
          created += 1;
        }
        return { count: expiredRows.length, tasks: created };
      });
      expired += batch.count;
      tasks += batch.tasks;
      if (batch.count < BATCH) break;
    }
    return { expired, tasks };
  }
}
