import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner API keys (stored as SHA-256 hashes, found by their visible prefix) and outbound webhooks: endpoints
 * (signing secret encrypted at rest) and the delivery outbox, written in the transaction of the change that
 * raises the event and delivered by the worker.
 */
export class PartnerApiKeysAndWebhooks1796412348671 implements MigrationInterface {
  name = 'PartnerApiKeysAndWebhooks1796412348671';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL REFERENCES "organisations" ("id") ON DELETE CASCADE, "owner_user_id" uuid NOT NULL REFERENCES "users" ("id"), "name" character varying(100) NOT NULL, "prefix" character varying(32) NOT NULL, "key_hash" character varying(64) NOT NULL, "scopes" text[] NOT NULL, "allowed_cidrs" text[] NOT NULL DEFAULT '{}', "rate_limit_per_minute" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" uuid, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "api_keys_prefix" ON "api_keys" ("prefix")`);
    await queryRunner.query(
      `CREATE INDEX "api_keys_organisation" ON "api_keys" ("organisation_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL REFERENCES "organisations" ("id") ON DELETE CASCADE, "url" character varying(2048) NOT NULL, "description" character varying(200), "event_types" text[] NOT NULL, "secret_enc" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_endpoints_organisation" ON "webhook_endpoints" ("organisation_id") WHERE enabled`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE, "event_type" character varying(64) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT 0, "last_status_code" integer, "last_error" character varying(200), "last_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_pending" ON "webhook_deliveries" ("created_at") WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "api_keys"`);
  }
}
