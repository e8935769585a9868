import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole first schema: identity, organisations, parents, the SMS outbox, responses, alerts, audit. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "kind" character varying(20) NOT NULL, "departement" character varying(3) NOT NULL, "region" character varying(100) NOT NULL, "time_zone" character varying(64) NOT NULL, "sms_sender" character varying(11) NOT NULL, "settings" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid, "email" character varying(254) NOT NULL, "display_name" character varying(200) NOT NULL, "role" character varying(20) NOT NULL, "territory_departements" text array NOT NULL DEFAULT '{}', "territory_region" character varying(100), "password_hash" character varying(200), "totp_secret_enc" text, "totp_enabled" boolean NOT NULL DEFAULT false, "oidc_subject" character varying(255), "rpps" character varying(11), "active" boolean NOT NULL DEFAULT true, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2fc4294f8ec97da71d587dc557" ON "users"  ("organisation_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users"  ("email") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_405cd534f70854d875fe5b2ef0" ON "users"  ("oidc_subject") WHERE oidc_subject IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "parents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "first_name_enc" text NOT NULL, "last_name_enc" text NOT NULL, "phone_enc" text NOT NULL, "phone_index" character varying(64) NOT NULL, "last_name_index" character varying(64) NOT NULL, "first_name_index" character varying(64) NOT NULL, "role" character varying(20) NOT NULL, "language" character varying(8) NOT NULL, "birth_date" date, "expected_term_date" date, "referent_user_id" uuid, "consent_recorded_by" uuid NOT NULL, "consent_recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consent_text_version" character varying(32) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'active', "status_changed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9a4dc67c7b8e6a9cb918938d353" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f3ae4b80d1384fb2810159f8b2" ON "parents"  ("phone_index") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_cfbcbdda0c75a27e7baa3bec6d" ON "parents"  ("last_name_index") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e05ac5751b8535d9170e8d5d59" ON "parents"  ("referent_user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "parents_duplicate_guard" ON "parents"  ("organisation_id", "phone_index", "birth_date") WHERE status = 'active' AND birth_date IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_69dd7461c56b3d6f0bf3276fd6" ON "parents"  ("organisation_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "severity" character varying(16) NOT NULL, "severity_rank" smallint NOT NULL, "reasons" character varying(16) array NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "assignee_id" uuid, "acknowledge_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "contact_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "first_contact_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "contact_attempts" integer NOT NULL DEFAULT '0', "referred_at" TIMESTAMP WITH TIME ZONE, "in_care_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "outcome" character varying(16), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8260d4a98d9091b41cc2d4a428" ON "alerts"  ("assignee_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "alerts_one_open_per_parent" ON "alerts"  ("parent_id") WHERE status <> 'closed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "alerts_dashboard" ON "alerts"  ("organisation_id", "status", "severity_rank", "contact_due_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "follow_up_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "alert_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "actor_id" uuid, "type" character varying(24) NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fe8ed3eab2d1c7954a786ff6114" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6bda23b62a20f200cf5a9dbc19" ON "follow_up_events"  ("parent_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_600fd2a68a785c6d7209099984" ON "follow_up_events"  ("alert_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" BIGSERIAL NOT NULL, "organisation_id" uuid, "actor_id" uuid, "action" character varying(64) NOT NULL, "target_type" character varying(32), "target_id" character varying(64), "ip" character varying(64), "request_id" character varying(64), "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d094ef97c51d179723a6287508" ON "audit_events"  ("organisation_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "wave" character varying(16) NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deferred_from" TIMESTAMP WITH TIME ZONE, "status" character varying(16) NOT NULL DEFAULT 'planned', "sent_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "reminders_sent" integer NOT NULL DEFAULT '0', "opened_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "invitations_one_per_wave" ON "invitations"  ("parent_id", "wave") WHERE wave <> 'adhoc' AND status <> 'cancelled'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9e4f21957b6ed05a32506157b9" ON "invitations"  ("organisation_id", "parent_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invitation_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "invitation_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "sms_message_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78ebabba3f0478fbf7c16319b7a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9555a79e9471fae99578f2603e" ON "invitation_links"  ("invitation_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f0043c41cd920c371e640ba7b8" ON "invitation_links"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "email_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid, "to_address" character varying(254) NOT NULL, "subject" character varying(200) NOT NULL, "body" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_922cad79d5a315f5d1d06b077da" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cf997ddb04078a6a388fdc42d7" ON "email_messages"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "invitation_id" uuid NOT NULL, "wave" character varying(16) NOT NULL, "parent_role" character varying(20) NOT NULL, "instrument_id" character varying(16) NOT NULL, "instrument_version" character varying(16) NOT NULL, "language" character varying(8) NOT NULL, "channel" character varying(16) NOT NULL, "answers" smallint array NOT NULL, "item_points" smallint array NOT NULL, "score" smallint NOT NULL, "band" character varying(16) NOT NULL, "item10_positive" boolean NOT NULL, "anxiety_score" smallint NOT NULL, "anxiety_flag" boolean NOT NULL, "alert_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_be3bdac59bd243dff421ad7bf70" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5b53ae981671ba4164ae74053b" ON "responses"  ("invitation_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f1b762afbe146c8805a6dc18e8" ON "responses"  ("parent_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_88e76fc55000c08ff343f2ca1e" ON "responses"  ("organisation_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "dev_sms_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "sms_message_id" uuid NOT NULL, "to_phone" character varying(20) NOT NULL, "sender" character varying(20) NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c6804d71287a39bfee6a431af07" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sms_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "invitation_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deferred_from" TIMESTAMP WITH TIME ZONE, "status" character varying(16) NOT NULL DEFAULT 'pending', "provider_sid" character varying(64), "attempts" integer NOT NULL DEFAULT '0', "error_code" character varying(32), "error_message" character varying(200), "segments" integer, "encoding" character varying(8), "status_history" jsonb NOT NULL DEFAULT '[]', "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6d4cfef86e93e3fde23954d11bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c5bdb7f6748f8d2a0e462293cc" ON "sms_messages"  ("invitation_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_27f657b496bd11214ba5d578a4" ON "sms_messages"  ("provider_sid") WHERE provider_sid IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1b42869a8630fb34106fff39c2" ON "sms_messages"  ("organisation_id", "parent_id") `,
    );
    await queryRunner.query(`CREATE INDEX "sms_messages_due" ON "sms_messages"  ("status", "due_at") `);
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3ddc983c5f7bcf132fd8732c3f" ON "refresh_tokens"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d5e27da0cd39bc3bb2811fc8ba" ON "refresh_tokens"  ("family_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a7838d2ba25be1342091b6695f" ON "refresh_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "user_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "token_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_63764db9d9aaa4af33e07b2f4bf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9e144a67be49e5bba91195ef5d" ON "user_tokens"  ("user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ebdd918653813b59cdd5d379b5" ON "user_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_2fc4294f8ec97da71d587dc5577" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "parents" ADD CONSTRAINT "FK_89fe90a0411750826ee5b0295b4" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "parents" ADD CONSTRAINT "FK_e05ac5751b8535d9170e8d5d597" FOREIGN KEY ("referent_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "FK_edcd4be32198b8883c310176bf5" FOREIGN KEY ("parent_id") REFERENCES "parents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up_events" ADD CONSTRAINT "FK_09efed770d973f2fbe7d673dce5" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_5f2b2ba8bbc043be6cad78ac4cb" FOREIGN KEY ("parent_id") REFERENCES "parents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitation_links" ADD CONSTRAINT "FK_9555a79e9471fae99578f2603ef" FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "responses" ADD CONSTRAINT "FK_5b53ae981671ba4164ae74053b3" FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sms_messages" ADD CONSTRAINT "FK_c5bdb7f6748f8d2a0e462293cc7" FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_tokens" ADD CONSTRAINT "FK_9e144a67be49e5bba91195ef5de" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The audit log is append-only, for every role including the application's own.
    await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER follow_up_events_no_change BEFORE UPDATE ON "follow_up_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "user_tokens" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "refresh_tokens" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "sms_messages" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "dev_sms_outbox" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "responses" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "email_messages" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "invitation_links" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "invitations" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "audit_events" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "follow_up_events" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "alerts" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "parents" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "users" CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS "organisations" CASCADE`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS audit_events_append_only()`);
  }
}
