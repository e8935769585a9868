import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Urgent paging: one row per page of an alert (step, recipient, channel, status, times). */
export class Pages1796416497638 implements MigrationInterface {
  name = 'Pages1796416497638';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "alert_id" uuid NOT NULL, "step" integer NOT NULL, "recipient_user_id" uuid, "channel" character varying(8) NOT NULL, "status" character varying(16) NOT NULL, "phone_enc" text, "token_hash" character varying(64), "provider_sid" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "acknowledged_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8f21ed625aa34c8391d636b7d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "pages_token_hash" ON "pages" ("token_hash")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "pages_alert_step" ON "pages" ("alert_id", "step")`);
    await queryRunner.query(
      `ALTER TABLE "pages" ADD CONSTRAINT "FK_2bdf5057877e1f05d535fdd2ce3" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pages"`);
  }
}
