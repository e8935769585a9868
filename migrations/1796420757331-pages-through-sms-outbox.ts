import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Urgent pages go through the SMS outbox: a page's SMS and its voice call are `sms_messages` rows (kinds `page`
 * and `page_call`) with no parent nor invitation, the number paged kept encrypted on the row, and one row of
 * each kind per page at most (exactly once). Each send attempt of a page SMS has its own acknowledgement link
 * (`page_links`, token hashes only), as each attempt of a parent's SMS has its invitation link. Parents' SMS
 * reports keep counting parents' SMS only. Pages written before this migration and not sent yet get their
 * outbox row here, so that the SMS pipeline sends them.
 */
export class PagesThroughSmsOutbox1796420757331 implements MigrationInterface {
  name = 'PagesThroughSmsOutbox1796420757331';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sms_messages" ALTER COLUMN "parent_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "sms_messages" ALTER COLUMN "invitation_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "sms_messages" ADD "page_id" uuid`);
    await queryRunner.query(`ALTER TABLE "sms_messages" ADD "phone_enc" text`);
    await queryRunner.query(
      `ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_parent_or_page" CHECK (
         (page_id IS NULL AND parent_id IS NOT NULL AND invitation_id IS NOT NULL)
         OR (page_id IS NOT NULL AND parent_id IS NULL AND invitation_id IS NULL AND phone_enc IS NOT NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "sms_messages" ADD CONSTRAINT "FK_sms_messages_page" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "sms_messages_page_kind" ON "sms_messages" ("page_id", "kind") WHERE page_id IS NOT NULL`,
    );
    // Key rotation walks the encrypted numbers by id: only page rows have one.
    await queryRunner.query(
      `CREATE INDEX "sms_messages_phone_enc" ON "sms_messages" ("id") WHERE phone_enc IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "page_links" ("token_hash" character varying(64) NOT NULL, "organisation_id" uuid NOT NULL, "page_id" uuid NOT NULL, "sms_message_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_page_links" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "page_links_sms_message" ON "page_links" ("sms_message_id")`);
    await queryRunner.query(
      `ALTER TABLE "page_links" ADD CONSTRAINT "FK_page_links_page" FOREIGN KEY ("page_id") REFERENCES "pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The same facts as before for parents' SMS; staff pages are not parents' SMS.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_sms_facts(tz varchar, p_due_at timestamptz, p_kind varchar, p_wave varchar, p_status varchar,
        p_segments integer) RETURNS TABLE (day date, subject varchar, dim1 varchar, dim2 varchar, c1 integer, c2 integer, c3 integer, c4 integer, c5 integer, c6 integer, c7 integer, c8 integer)
        LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_due_at, tz), 'sms'::varchar, p_kind, coalesce(p_wave, '')::varchar,
             (p_status <> 'cancelled')::integer,
             (p_status IN ('queued', 'sent', 'delivered', 'undelivered'))::integer,
             (p_status = 'delivered')::integer,
             (p_status = 'undelivered')::integer,
             (p_status = 'failed')::integer,
             CASE WHEN p_status IN ('queued', 'sent', 'delivered', 'undelivered') THEN coalesce(p_segments, 0) ELSE 0 END,
             0, 0
      WHERE p_kind IN ('invitation', 'reminder')
    $fn$`);
    await queryRunner.query(
      `INSERT INTO sms_messages (organisation_id, kind, due_at, page_id, phone_enc)
       SELECT organisation_id, 'page', now(), id, phone_enc FROM pages
       WHERE status = 'pending' AND channel = 'sms' AND phone_enc IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_sms_facts(tz varchar, p_due_at timestamptz, p_kind varchar, p_wave varchar, p_status varchar,
        p_segments integer) RETURNS TABLE (day date, subject varchar, dim1 varchar, dim2 varchar, c1 integer, c2 integer, c3 integer, c4 integer, c5 integer, c6 integer, c7 integer, c8 integer)
        LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_due_at, tz), 'sms'::varchar, p_kind, coalesce(p_wave, '')::varchar,
             (p_status <> 'cancelled')::integer,
             (p_status IN ('queued', 'sent', 'delivered', 'undelivered'))::integer,
             (p_status = 'delivered')::integer,
             (p_status = 'undelivered')::integer,
             (p_status = 'failed')::integer,
             CASE WHEN p_status IN ('queued', 'sent', 'delivered', 'undelivered') THEN coalesce(p_segments, 0) ELSE 0 END,
             0, 0
    $fn$`);
    await queryRunner.query(`DROP TABLE "page_links"`);
    await queryRunner.query(`DELETE FROM sms_messages WHERE page_id IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "sms_messages_page_kind"`);
    await queryRunner.query(`DROP INDEX "sms_messages_phone_enc"`);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP CONSTRAINT "FK_sms_messages_page"`);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP CONSTRAINT "sms_messages_parent_or_page"`);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP COLUMN "phone_enc"`);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP COLUMN "page_id"`);
    await queryRunner.query(`ALTER TABLE "sms_messages" ALTER COLUMN "invitation_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "sms_messages" ALTER COLUMN "parent_id" SET NOT NULL`);
  }
}
