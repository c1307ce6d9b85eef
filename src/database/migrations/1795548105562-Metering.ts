import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Metering1795548105562 implements MigrationInterface {
  name = 'Metering1795548105562';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "billing_metric_events" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "reference" text NOT NULL,
                "metric_id" text NOT NULL,
                "event_name" text NOT NULL,
                "customer_id" text,
                "account_id" text,
                "value" numeric,
                "unique_value" text,
                "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL,
                "start_time" TIMESTAMP WITH TIME ZONE,
                "end_time" TIMESTAMP WITH TIME ZONE,
                "markup_percentage" numeric,
                "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "status" text NOT NULL DEFAULT 'logged',
                "payload_hash" bytea NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_408b8ddd8eadd68afc0f3beafa5" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "billing_metric_events_seq_idx" ON "billing_metric_events" ("seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "billing_metric_events_reference_key" ON "billing_metric_events" ("merchant_id", "reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "billing_metrics" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "name" text NOT NULL,
                "event_name" text NOT NULL,
                "aggregation" text NOT NULL,
                "unit_amount" numeric NOT NULL,
                "currency" text NOT NULL,
                "time_unit" text,
                "description" text,
                "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "status" text NOT NULL DEFAULT 'active',
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a33201005c03fae03f6f1e3b3ea" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "billing_metrics_active_event_name_key" ON "billing_metrics" ("merchant_id", "event_name")
            WHERE status = 'active'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."billing_metrics_active_event_name_key"
        `);
    await queryRunner.query(`
            DROP TABLE "billing_metrics"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."billing_metric_events_reference_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."billing_metric_events_seq_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "billing_metric_events"
        `);
  }
}
