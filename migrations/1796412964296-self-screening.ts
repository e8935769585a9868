import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-screening (issue 15): partner sources, anonymous screenings (no answers, no score, no IP address) and
 * "be contacted" requests (identity encrypted). A contact request raises an alert before anyone is enrolled, so
 * alerts (and their follow-up events) may have no parent yet: every alert has a parent or a contact request.
 */
export class SelfScreening1796412964296 implements MigrationInterface {
  name = 'SelfScreening1796412964296';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "screening_sources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "code" character varying(40) NOT NULL, "name" character varying(120) NOT NULL, "partner" character varying(120), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c2bf1bc82196a2d4b885d21ea1d" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_d6b57cff7ede2311f0cef619d5" ON "screening_sources" ("organisation_id")`,
      `CREATE UNIQUE INDEX "IDX_88007123cdc1eb1ac22ebf22f8" ON "screening_sources" ("code")`,
      `CREATE TABLE "self_screenings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_id" uuid, "source_code" character varying(40) NOT NULL, "role" character varying(20) NOT NULL, "child_age" character varying(8) NOT NULL, "departement" character varying(3), "language" character varying(8) NOT NULL, "band" character varying(10) NOT NULL, "item10_positive" boolean NOT NULL, "anxiety_flag" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3914be1b29b3c936b13adf0a22e" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_cb01915fc50056ca8059c69ff9" ON "self_screenings" ("source_id")`,
      `CREATE INDEX "IDX_5edaddc32b9430ff2ca05a4be7" ON "self_screenings" ("source_code", "created_at")`,
      `CREATE TABLE "contact_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "screening_id" uuid, "routing" character varying(16) NOT NULL, "postal_code" character varying(5), "departement" character varying(3), "role" character varying(20) NOT NULL, "language" character varying(8) NOT NULL, "child_age_weeks" smallint, "pregnant" boolean NOT NULL, "band" character varying(10), "item10_positive" boolean NOT NULL, "first_name_enc" text NOT NULL, "phone_enc" text, "email_enc" text, "channel" character varying(8) NOT NULL, "time_slots" character varying(12) array NOT NULL, "consent_text_version" character varying(32) NOT NULL, "consented_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "enrolled_parent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5fc5cfa569e4e66051c6acde3b9" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_da306e50e251e2c26d7932b536" ON "contact_requests" ("screening_id")`,
      `CREATE INDEX "IDX_ee171b9189b9125ecc246c49fa" ON "contact_requests" ("organisation_id", "created_at")`,
      `ALTER TABLE "alerts" ADD "contact_request_id" uuid`,
      `ALTER TABLE "alerts" ALTER COLUMN "parent_id" DROP NOT NULL`,
      `ALTER TABLE "follow_up_events" ALTER COLUMN "parent_id" DROP NOT NULL`,
      `CREATE INDEX "IDX_cecb706bb8374b6061812604ca" ON "alerts" ("contact_request_id")`,
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_has_subject" CHECK ("parent_id" IS NOT NULL OR "contact_request_id" IS NOT NULL)`,
      `ALTER TABLE "screening_sources" ADD CONSTRAINT "FK_d6b57cff7ede2311f0cef619d5d" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      `ALTER TABLE "self_screenings" ADD CONSTRAINT "FK_cb01915fc50056ca8059c69ff91" FOREIGN KEY ("source_id") REFERENCES "screening_sources"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
      `ALTER TABLE "contact_requests" ADD CONSTRAINT "FK_6167e1973a574c02de09ab273a8" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      `ALTER TABLE "contact_requests" ADD CONSTRAINT "FK_da306e50e251e2c26d7932b5364" FOREIGN KEY ("screening_id") REFERENCES "self_screenings"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
      `ALTER TABLE "alerts" ADD CONSTRAINT "FK_cecb706bb8374b6061812604cab" FOREIGN KEY ("contact_request_id") REFERENCES "contact_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `DELETE FROM "alerts" WHERE "parent_id" IS NULL`,
      `DELETE FROM "follow_up_events" WHERE "parent_id" IS NULL`,
      `ALTER TABLE "alerts" DROP CONSTRAINT "FK_cecb706bb8374b6061812604cab"`,
      `ALTER TABLE "alerts" DROP CONSTRAINT "alerts_has_subject"`,
      `DROP INDEX "IDX_cecb706bb8374b6061812604ca"`,
      `ALTER TABLE "follow_up_events" ALTER COLUMN "parent_id" SET NOT NULL`,
      `ALTER TABLE "alerts" ALTER COLUMN "parent_id" SET NOT NULL`,
      `ALTER TABLE "alerts" DROP COLUMN "contact_request_id"`,
      `DROP TABLE "contact_requests"`,
      `DROP TABLE "self_screenings"`,
      `DROP TABLE "screening_sources"`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }
}
