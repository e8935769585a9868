import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { backfillInBatches } from '../../database/backfill.js';
import { AlertsRepository } from './alerts.repository.js';
import { sealNote } from './follow-up-notes.js';

const BATCH = 500;

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
    private readonly repository: AlertsRepository,
    private readonly encryption: FieldEncryption,
  ) {}

  /** Encrypts every plaintext note left; answers how many events it changed. */
  async run(signal?: AbortSignal): Promise<number> {
    const total = await backfillInBatches(this.dataSource, BATCH, signal, async (manager) => {
      const rows = await this.repository.plaintextNotes(manager, BATCH);
      await this.repository.sealNotes(
        manager,
        rows.map((row) => ({ id: row.id, ...sealNote(row.type, row.payload, this.encryption) })),
      );
      return rows.length;
    });
    if (total > 0) this.logger.log({ events: total }, 'follow-up notes encrypted');
    return total;
  }
}
