import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The referral directory: care resources per organisation. */
export class ReferralResources1796414580147 implements MigrationInterface {
  name = 'ReferralResources1796414580147';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "referral_resources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "kind" character varying(32) NOT NULL, "address" character varying(300), "phone" character varying(20), "languages" character varying(8) array NOT NULL DEFAULT '{}', "accepts_new_patients" boolean NOT NULL DEFAULT true, "usual_delay_days" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c02173595e0ca7b086b26ce4a77" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0e8bb64137756265f8aa2fd217" ON "referral_resources" ("organisation_id", "name")`,
    );
    await queryRunner.query(
      `ALTER TABLE "referral_resources" ADD CONSTRAINT "FK_691f6cf8a85d0d344e6c7e9098c" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "referral_resources"`);
  }
}
