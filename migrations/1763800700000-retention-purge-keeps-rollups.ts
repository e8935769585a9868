import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SOURCES, trackFunction } from './1763800500000-report-rollups.js';

/**
 * The retention purge deletes old parents and their rows, but the reports must keep counting them: the
 * report triggers of the five source tables now ignore DELETE statements run in a transaction that set
 * `lien.retention_purge` to 'on' (`SET LOCAL`, so it ends with the transaction). Every other statement,
 * and every delete outside the purge, is tracked exactly as before. The functions are generated from the
 * rollups migration's own code, with one guard added; down() puts the original definitions back.
 */
const PURGE_GUARD = `IF TG_OP = 'DELETE' AND current_setting('lien.retention_purge', true) = 'on' THEN RETURN NULL; END IF;`;
const BODY_START = '$fn$\n    BEGIN\n';

/** The original definition, as CREATE OR REPLACE (the triggers keep pointing at the same function). */
function original(table: string): string {
  const sql = trackFunction(table);
  if (!sql.startsWith('CREATE FUNCTION ')) throw new Error(`Unexpected report_track_${table} definition`);
  return sql.replace('CREATE FUNCTION ', 'CREATE OR REPLACE FUNCTION ');
}

function guarded(table: string): string {
  const sql = original(table);
  if (!sql.includes(BODY_START)) throw new Error(`Unexpected report_track_${table} body`);
  return sql.replace(BODY_START, `${BODY_START}      ${PURGE_GUARD}\n`);
}

export class RetentionPurgeKeepsRollups1763800700000 implements MigrationInterface {
  name = 'RetentionPurgeKeepsRollups1763800700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(SOURCES)) await queryRunner.query(guarded(table));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(SOURCES)) await queryRunner.query(original(table));
  }
}
