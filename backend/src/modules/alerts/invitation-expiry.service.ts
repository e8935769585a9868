import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { parseRescreenWaveKey } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { AlertRulesService } from './alert-rules.service.js';

const BATCH = 200;

interface ExpiredRow {
  id: string;
  organisation_id: string;
  parent_id: string;
  wave: string;
}

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
 * Each invitation is claimed by one conditional UPDATE, so concurrent or repeated sweeps act once.
 */
@Injectable()
export class InvitationExpiryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly rules: AlertRulesService,
  ) {}

  async sweep(): Promise<{ expired: number; tasks: number }> {
    let expired = 0;
    let tasks = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        const rows = await manager.query<[ExpiredRow[], number] | ExpiredRow[]>(
          `UPDATE invitations SET status = 'expired', updated_at = $1
            WHERE id IN (SELECT id FROM invitations
                          WHERE status IN ('sent', 'opened') AND expires_at IS NOT NULL AND expires_at <= $1
                          ORDER BY expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING id, organisation_id, parent_id, wave`,
          [now],
        );
        const expiredRows: ExpiredRow[] = Array.isArray(rows[0]) ? rows[0] : (rows as ExpiredRow[]);
        if (expiredRows.length === 0) return { count: 0, tasks: 0 };
        const organisations = new Map(
          (
            await manager.findBy(OrganisationEntity, {
              id: In([...new Set(expiredRows.map((row) => row.organisation_id))]),
            })
          ).map((o) => [o.id, o]),
        );
        const parents = new Map(
          (
            await manager.findBy(ParentEntity, {
              id: In([...new Set(expiredRows.map((row) => row.parent_id))]),
            })
          ).map((p) => [p.id, p]),
        );
        let created = 0;
        for (const row of expiredRows) {
          const organisation = organisations.get(row.organisation_id);
          const parent = parents.get(row.parent_id);
          if (
            !organisation ||
            !parent ||
            parent.organisationId !== organisation.id ||
            parent.status !== 'active'
          )
            continue;
          if (!wantsNoResponseTask(organisation.settings, row.wave)) continue;
          await this.rules.onNoResponse(manager, { id: row.id, wave: row.wave }, parent, organisation);
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
