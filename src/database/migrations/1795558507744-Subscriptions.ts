import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Subscriptions1795558507744 implements MigrationInterface {
  name = 'Subscriptions1795558507744';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "subscription_periods" (
                "merchant_id" text NOT NULL,
                "subscription_id" text NOT NULL,
                "period_index" integer NOT NULL,
                "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "period_end" TIMESTAMP WITH TIME ZONE NOT NULL,
                "base_amount" numeric NOT NULL,
                "items" jsonb NOT NULL,
                "base_invoice_id" text,
                "overage_invoice_ids" text array NOT NULL DEFAULT '{}',
                "billed" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "overage_notified" text array NOT NULL DEFAULT '{}',
                "closed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_a3926753765aa4ab5afa70ea4b4" PRIMARY KEY ("merchant_id", "subscription_id", "period_index")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "subscriptions" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "customer_id" text NOT NULL,
                "status" text NOT NULL,
                "interval" text NOT NULL,
                "interval_count" integer NOT NULL,
                "base_amount" numeric NOT NULL,
                "currency" text NOT NULL,
                "items" jsonb NOT NULL,
                "pending" jsonb,
                "collection_method" text NOT NULL,
                "payment_method_id" text,
                "start_date" TIMESTAMP WITH TIME ZONE NOT NULL,
                "cancel_at_period_end" boolean NOT NULL DEFAULT false,
                "canceled_at" TIMESTAMP WITH TIME ZONE,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "current_period_index" integer,
                "current_period_start" TIMESTAMP WITH TIME ZONE,
                "current_period_end" TIMESTAMP WITH TIME ZONE,
                "idempotency_key" text,
                "request_hash" text,
                "workflow_started_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_951c894863fb7920af7c6cad9ac" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "subscriptions_unstarted" ON "subscriptions" ("created_at")
            WHERE workflow_started_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "subscriptions_customer" ON "subscriptions" ("merchant_id", "customer_id")
            WHERE status = 'active'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "subscriptions_idempotency_key" ON "subscriptions" ("merchant_id", "idempotency_key")
            WHERE idempotency_key IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD "subscription_id" text
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "invoices" DROP COLUMN "subscription_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subscriptions_idempotency_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subscriptions_customer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."subscriptions_unstarted"
        `);
    await queryRunner.query(`
            DROP TABLE "subscriptions"
        `);
    await queryRunner.query(`
            DROP TABLE "subscription_periods"
        `);
  }
}
