import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { backfillInBatches } from '../../database/backfill.js';
import { namePrefixIndexes } from './name-prefixes.js';
import { ParentsRepository } from './parents.repository.js';

const BATCH = 500;

/**
 * Fills the name prefix indexes of parents enrolled before prefix search (or by an older API during a rolling
 * deployment). SQL migrations cannot compute them (names are encrypted, the key is configuration), so the worker
 * runs this at start-up and hourly; idempotent and safe in several workers at once (rows locked, SKIP LOCKED).
 */
@Injectable()
export class ParentNamePrefixesBackfill {
  private readonly logger = new Logger(ParentNamePrefixesBackfill.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ParentsRepository,
    private readonly encryption: FieldEncryption,
  ) {}

  /** Indexes every parent left; answers how many it indexed. */
  async run(signal?: AbortSignal): Promise<number> {
    const total = await backfillInBatches(this.dataSource, BATCH, signal, async (manager) => {
      const rows = await this.repository.parentsWithoutNamePrefixes(manager, BATCH);
      await this.repository.setNamePrefixes(
        manager,
        rows.map((row) => ({
          id: row.id,
          namePrefixes: namePrefixIndexes(
            (value) => this.encryption.blindIndex(value),
            row.organisationId,
            this.encryption.decrypt(row.firstNameEnc),
            this.encryption.decrypt(row.lastNameEnc),
          ),
        })),
      );
      return rows.length;
    });
    if (total > 0) this.logger.log({ parents: total }, 'parent name prefixes indexed');
    return total;
  }
}
