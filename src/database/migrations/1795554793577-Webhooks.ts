import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1795554793577 implements MigrationInterface {
  name = 'Webhooks1795554793577';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery_attempts" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "event_id" text NOT NULL,
                "endpoint_id" text NOT NULL,
                "attempt" integer NOT NULL,
                "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status_code" integer,
                "duration_ms" integer NOT NULL,
                "response_body" text,
                "error" text,
                "succeeded" boolean NOT NULL,
                CONSTRAINT "PK_8a31620b53bc56c0ef57111b07b" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_delivery_attempts_event" ON "webhook_delivery_attempts" ("merchant_id", "event_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "merchant_id" text NOT NULL,
                "event_id" text NOT NULL,
                "endpoint_id" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "attempt_count" integer NOT NULL DEFAULT '0',
                "last_attempt_at" TIMESTAMP WITH TIME ZONE,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE,
                "workflow_started_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_199be9196eff3db42b90e1bd27f" PRIMARY KEY ("merchant_id", "event_id", "endpoint_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_deliveries_unstarted" ON "webhook_deliveries" ("created_at")
            WHERE workflow_started_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_endpoints" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "url" text NOT NULL,
                "description" text,
                "enabled_events" text array NOT NULL,
                "status" text NOT NULL DEFAULT 'enabled',
                "disabled_reason" text,
                "secret" text NOT NULL,
                "previous_secret" text,
                "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE,
                "idempotency_key" text,
                "request_hash" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_b5acf406d0617e34355302c280d" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "webhook_endpoints_idempotency_key" ON "webhook_endpoints" ("merchant_id", "idempotency_key")
            WHERE idempotency_key IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_events" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "type" text NOT NULL,
                "object" jsonb NOT NULL,
                "payer_id" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3f9bf3ecc65bfcb37a4c674ba2" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_events_type" ON "webhook_events" ("merchant_id", "type", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."webhook_events_type"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_endpoints_idempotency_key"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_endpoints"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_deliveries_unstarted"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_delivery_attempts_event"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_delivery_attempts"
        `);
  }
}
