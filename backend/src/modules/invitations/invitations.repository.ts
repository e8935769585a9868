import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';

/** A wave to write as a planned invitation. */
export interface InvitationRow {
  wave: string;
  dueAt: Date;
  deferredFrom: Date | null;
}

/** An invitation the expiry sweep just marked expired, with what the "no answer" task needs. */
export interface ExpiredInvitation {
  id: string;
  wave: string;
  /** Absent when the row was purged meanwhile. */
  organisation: OrganisationEntity | undefined;
  parent: ParentEntity | undefined;
}

/** The only database door for invitations' planning and expiry; always in the caller's transaction. */
@Injectable()
export class InvitationsRepository {
  /** The waves (not ad hoc) that already have a live (not cancelled) invitation. */
  async liveWaves(manager: EntityManager, parentId: string): Promise<Set<string>> {
    const rows = await manager.query<Array<{ wave: string }>>(
      `SELECT wave FROM invitations WHERE parent_id = $1 AND wave <> 'adhoc' AND status <> 'cancelled'`,
      [parentId],
    );
    return new Set(rows.map((row) => row.wave));
  }

  async hasLiveWave(manager: EntityManager, parentId: string, wave: string): Promise<boolean> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM invitations WHERE parent_id = $1 AND wave = $2 AND status <> 'cancelled' LIMIT 1`,
      [parentId, wave],
    );
    return rows.length > 0;
  }

  /** The id of an ad-hoc invitation still waiting to be sent, if any. */
  async pendingAdhoc(manager: EntityManager, parentId: string): Promise<string | null> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM invitations WHERE parent_id = $1 AND wave = 'adhoc' AND status = 'planned' LIMIT 1`,
      [parentId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * The keys among `keys` that invitations of the organisation already carry (a re-screen is stored as
   * "<key>-r<n>"). One probe per key, each stopping at its first row: settings keep at most a few waves.
   */
  async usedWaveKeys(
    manager: EntityManager,
    organisationId: string,
    keys: readonly string[],
  ): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await manager.query<Array<{ key: string }>>(
      `SELECT k.key
         FROM unnest($2::text[]) WITH ORDINALITY AS k(key, position)
        WHERE EXISTS (SELECT 1 FROM invitations i
                       WHERE i.organisation_id = $1
                         AND (i.wave = k.key OR i.wave LIKE replace(replace(k.key, '_', '\\_'), '%', '\\%') || '-r%'))
        ORDER BY k.position`,
      [organisationId, keys],
    );
    return rows.map((row) => row.key);
  }

  /** Inserts one planned invitation per wave (distinct keys); answers each wave's id by its key. */
  async insertPlanned(
    manager: EntityManager,
    organisationId: string,
    parentId: string,
    createdBy: string | null,
    waves: readonly InvitationRow[],
  ): Promise<Map<string, string>> {
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
    // RETURNING order is not promised: rows are matched to waves by key.
    return new Map(rows.map((row) => [row.wave, row.id]));
  }

  /**
   * Marks expired up to `limit` invitations still sent/opened whose link expired by `now`, each claimed by one
   * conditional UPDATE (rows locked elsewhere are skipped), so concurrent or repeated sweeps act once.
   */
  async expireDue(manager: EntityManager, now: Date, limit: number): Promise<ExpiredInvitation[]> {
    const result = await manager.query<[ExpiredRow[], number] | ExpiredRow[]>(
      `UPDATE invitations SET status = 'expired', updated_at = $1
        WHERE id IN (SELECT id FROM invitations
                      WHERE status IN ('sent', 'opened') AND expires_at IS NOT NULL AND expires_at <= $1
                      ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, organisation_id, parent_id, wave`,
      [now, limit],
    );
    const rows: ExpiredRow[] = Array.isArray(result[0]) ? result[0] : (result as ExpiredRow[]);
    if (rows.length === 0) return [];
    const organisations = new Map(
      (
        await manager.findBy(OrganisationEntity, {
          id: In([...new Set(rows.map((row) => row.organisation_id))]),
        })
      ).map((organisation) => [organisation.id, organisation]),
    );
    const parents = new Map(
      (await manager.findBy(ParentEntity, { id: In([...new Set(rows.map((row) => row.parent_id))]) })).map(
        (parent) => [parent.id, parent],
      ),
    );
    return rows.map((row) => ({
      id: row.id,
      wave: row.wave,
      organisation: organisations.get(row.organisation_id),
      parent: parents.get(row.parent_id),
    }));
  }
}

interface ExpiredRow {
  id: string;
  organisation_id: string;
  parent_id: string;
  wave: string;
}
