import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertEventType, SystemAlertEventType } from '@lien/shared';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { backfillInBatches } from '../../database/backfill.js';
import { sealNote } from './follow-up-notes.js';

const BATCH = 500;

interface NoteRow {
  id: string;
  type: AlertEventType | SystemAlertEventType;
  payload: Record<string, unknown>;
}

/**
 * Moves plaintext follow-up notes written before notes were encrypted (or by an older API during a rolling
 * deployment) into `note_enc`. SQL migrations cannot encrypt (the keys are configuration), so the worker runs this
 * at start-up and hourly; it is idempotent and safe in several workers at once (rows locked, SKIP LOCKED).
 */
@Injectable()
export class FollowUpNotesBackfill {
  private readonly logger = new Logger(FollowUpNotesBackfill.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly encryption: FieldEncryption,
  ) {}

  /** Encrypts every plaintext note left; answers how many events it changed. */
  async run(signal?: AbortSignal): Promise<number> {
    const total = await backfillInBatches(this.dataSource, BATCH, signal, async (manager) => {
      // Follow-up events are append-only; this setting lets this transaction move notes, and nothing else.
      await manager.query(`SET LOCAL lien.notes_backfill = 'on'`);
      const rows = await manager.query<NoteRow[]>(
        `SELECT id, type, payload FROM follow_up_events
            WHERE note_enc IS NULL
              AND ((type = 'note' AND payload ? 'text') OR (type <> 'note' AND payload ? 'note'))
            ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      for (const row of rows) {
        const sealed = sealNote(row.type, row.payload, this.encryption);
        await manager.query(`UPDATE follow_up_events SET payload = $2, note_enc = $3 WHERE id = $1`, [
          row.id,
          sealed.payload,
          sealed.noteEnc,
        ]);
      }
      return rows.length;
    });
    if (total > 0) this.logger.log({ events: total }, 'follow-up notes encrypted');
    return total;
  }
}
