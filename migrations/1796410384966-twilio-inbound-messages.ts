import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inbound Twilio messages already acted on (by MessageSid): a replayed STOP/START webhook changes nothing. */
export class TwilioInboundMessages1796410384966 implements MigrationInterface {
  name = 'TwilioInboundMessages1796410384966';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "twilio_inbound_messages" ("message_sid" character varying(64) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b5c3aaa7040d6b116ad8dde3b2e" PRIMARY KEY ("message_sid"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "twilio_inbound_messages"`);
  }
}
