import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free-text follow-up notes (the `text` of a note event, the `note` of a contact attempt, referral, in-care or
 * close event) move out of the `payload` JSON into `note_enc`, encrypted like names (AES-256-GCM, key id in the
 * ciphertext). SQL cannot encrypt (the keys live in the configuration): this migration adds the column, and the
 * worker's start-up backfill (`FollowUpNotesBackfill`) encrypts the notes already stored and removes them from
 * `payload`. Until it has run, reads still show a plaintext note left in `payload`.
 *
 * Follow-up events stay append-only: the one update allowed is that move, in a transaction that set
 * `lien.notes_backfill` to 'on' (`SET LOCAL`), on a row without `note_enc` yet, changing nothing but removing
 * `text`/`note` from `payload` and filling `note_enc`; and key rotation (`npm run keys:rotate`), in a transaction
 * that set `lien.key_rotation` to 'on', rewriting an existing `note_enc` under another key and nothing else.
 */
const APPEND_ONLY_UNLESS_BACKFILL = `CREATE FUNCTION follow_up_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('lien.notes_backfill', true) = 'on'
           AND OLD.note_enc IS NULL
           AND NEW.payload = OLD.payload - 'text' - 'note'
           AND (NEW.id, NEW.organisation_id, NEW.alert_id, NEW.parent_id, NEW.actor_id, NEW.type, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.organisation_id, OLD.alert_id, OLD.parent_id, OLD.actor_id, OLD.type, OLD.created_at)
        THEN
          RETURN NEW;
        END IF;
        IF current_setting('lien.key_rotation', true) = 'on'
           AND OLD.note_enc IS NOT NULL AND NEW.note_enc IS NOT NULL
           AND NEW.payload = OLD.payload
           AND (NEW.id, NEW.organisation_id, NEW.alert_id, NEW.parent_id, NEW.actor_id, NEW.type, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.organisation_id, OLD.alert_id, OLD.parent_id, OLD.actor_id, OLD.type, OLD.created_at)
        THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'follow_up_events is append-only';
      END $$`;

export class FollowUpNotesEncrypted1796410535589 implements MigrationInterface {
  name = 'FollowUpNotesEncrypted1796410535589';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "follow_up_events" ADD "note_enc" text`);
    await queryRunner.query(APPEND_ONLY_UNLESS_BACKFILL);
    await queryRunner.query(`DROP TRIGGER follow_up_events_no_change ON "follow_up_events"`);
    await queryRunner.query(
      `CREATE TRIGGER follow_up_events_no_change BEFORE UPDATE ON "follow_up_events" FOR EACH ROW EXECUTE FUNCTION follow_up_events_append_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Going back would leave the encrypted notes unreadable to the old code: refuse while any exists.
    const [row] = (await queryRunner.query(
      `SELECT count(*)::int AS count FROM "follow_up_events" WHERE "note_enc" IS NOT NULL`,
    )) as { count: number }[];
    if ((row?.count ?? 0) > 0)
      throw new Error('follow_up_events.note_enc holds encrypted notes: decrypt them before reverting');
    await queryRunner.query(`DROP TRIGGER follow_up_events_no_change ON "follow_up_events"`);
    await queryRunner.query(
      `CREATE TRIGGER follow_up_events_no_change BEFORE UPDATE ON "follow_up_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
    await queryRunner.query(`DROP FUNCTION follow_up_events_append_only()`);
    await queryRunner.query(`ALTER TABLE "follow_up_events" DROP COLUMN "note_enc"`);
  }
}
