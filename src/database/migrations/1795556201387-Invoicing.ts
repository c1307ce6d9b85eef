import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Invoicing1795556201387 implements MigrationInterface {
  name = 'Invoicing1795556201387';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "charges" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "invoice_id" text NOT NULL,
                "attempt" integer NOT NULL,
                "idempotency_key" text NOT NULL,
                "payment_method_id" text,
                "amount" numeric NOT NULL,
                "currency" text NOT NULL,
                "status" text NOT NULL,
                "failure_code" text,
                "failure_message" text,
                "gateway_charge_id" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3f815793cd3d14f754f29a06f44" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "charges_invoice_attempt_key" ON "charges" ("merchant_id", "invoice_id", "attempt")
        `);
    await queryRunner.query(`
            CREATE TABLE "sandbox_gateway_charges" (
                "merchant_id" text NOT NULL,
                "idempotency_key" text NOT NULL,
                "gateway_charge_id" text NOT NULL,
                "reference" text NOT NULL,
                "token" text NOT NULL,
                "amount_minor" numeric NOT NULL,
                "currency" text NOT NULL,
                "status" text NOT NULL,
                "decline_code" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e104aedfb4bb406ca4d2127fec7" PRIMARY KEY ("merchant_id", "idempotency_key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "sandbox_gateway_charges_reference" ON "sandbox_gateway_charges" ("merchant_id", "reference", "token")
        `);
    await queryRunner.query(`
            CREATE TABLE "invoice_counters" (
                "merchant_id" text NOT NULL,
                "last_number" integer NOT NULL,
                CONSTRAINT "PK_27343fa0de0a1d9b794b39040d9" PRIMARY KEY ("merchant_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "invoice_lines" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "invoice_id" text NOT NULL,
                "kind" text NOT NULL,
                "metric_id" text,
                "description" text NOT NULL,
                "quantity" numeric NOT NULL,
                "unit_amount" numeric NOT NULL,
                "amount" numeric NOT NULL,
                "idempotency_key" text,
                "request_hash" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_eb2d77c304629490f92d3b69a22" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "invoice_lines_idempotency_key" ON "invoice_lines" ("merchant_id", "idempotency_key")
            WHERE idempotency_key IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "invoice_lines_invoice" ON "invoice_lines" ("merchant_id", "invoice_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "invoices" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "kind" text NOT NULL,
                "number" text,
                "payer_kind" text NOT NULL,
                "payer_id" text NOT NULL,
                "status" text NOT NULL,
                "collection_method" text NOT NULL,
                "payment_method_id" text,
                "currency" text NOT NULL,
                "period_start" TIMESTAMP WITH TIME ZONE,
                "period_end" TIMESTAMP WITH TIME ZONE,
                "total" numeric NOT NULL DEFAULT '0',
                "amount_paid" numeric NOT NULL DEFAULT '0',
                "attempt_count" integer NOT NULL DEFAULT '0',
                "next_payment_attempt" TIMESTAMP WITH TIME ZONE,
                "description" text,
                "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "idempotency_key" text,
                "request_hash" text,
                "workflow_started_at" TIMESTAMP WITH TIME ZONE,
                "issued_at" TIMESTAMP WITH TIME ZONE,
                "paid_at" TIMESTAMP WITH TIME ZONE,
                "voided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9d3ba36cfc46b1fb587fdffc25e" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "invoices_unstarted" ON "invoices" ("created_at")
            WHERE workflow_started_at IS NULL
                AND status IN ('draft', 'open')
                AND (
                    kind = 'billing'
                    OR status = 'open'
                )
        `);
    await queryRunner.query(`
            CREATE INDEX "invoices_payer" ON "invoices" ("merchant_id", "payer_id", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "invoices_idempotency_key" ON "invoices" ("merchant_id", "idempotency_key")
            WHERE idempotency_key IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" ("merchant_id", "number")
            WHERE number IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "billing_metric_events"
            ADD "invoice_id" text
        `);
    await queryRunner.query(`
            CREATE INDEX "billing_metric_events_invoice_idx" ON "billing_metric_events" ("merchant_id", "invoice_id")
            WHERE invoice_id IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."billing_metric_events_invoice_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "billing_metric_events" DROP COLUMN "invoice_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_number_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_idempotency_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_payer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_unstarted"
        `);
    await queryRunner.query(`
            DROP TABLE "invoices"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_lines_invoice"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_lines_idempotency_key"
        `);
    await queryRunner.query(`
            DROP TABLE "invoice_lines"
        `);
    await queryRunner.query(`
            DROP TABLE "invoice_counters"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sandbox_gateway_charges_reference"
        `);
    await queryRunner.query(`
            DROP TABLE "sandbox_gateway_charges"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."charges_invoice_attempt_key"
        `);
    await queryRunner.query(`
            DROP TABLE "charges"
        `);
  }
}
