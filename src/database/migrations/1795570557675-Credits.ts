import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Credits1795570557675 implements MigrationInterface {
  name = 'Credits1795570557675';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "credit_accounts" (
                "merchant_id" text NOT NULL,
                "payer_id" text NOT NULL,
                "currency" text NOT NULL,
                "payer_kind" text NOT NULL,
                "balance" numeric NOT NULL DEFAULT '0',
                "threshold_kind" text NOT NULL DEFAULT 'percent',
                "threshold_value" numeric NOT NULL DEFAULT '20',
                "auto_top_up_threshold" numeric,
                "auto_top_up_amount" numeric,
                "threshold_notified" boolean NOT NULL DEFAULT false,
                "depletion_notified" boolean NOT NULL DEFAULT false,
                "top_up_spent" boolean NOT NULL DEFAULT false,
                "top_ups" integer NOT NULL DEFAULT '0',
                "depleted_at" TIMESTAMP WITH TIME ZONE,
                "workflow_started_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a925905c08a53f19c2cea44310c" PRIMARY KEY ("merchant_id", "payer_id", "currency")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_accounts_unstarted" ON "credit_accounts" ("created_at")
            WHERE workflow_started_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "credit_applications" (
                "merchant_id" text NOT NULL,
                "invoice_id" text NOT NULL,
                "window_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "payer_id" text NOT NULL,
                "currency" text NOT NULL,
                "share" numeric NOT NULL,
                "applied" numeric NOT NULL,
                "uncovered" numeric NOT NULL,
                "released_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d66c970973dae650357d2b7c069" PRIMARY KEY ("merchant_id", "invoice_id", "window_start")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_applications_window" ON "credit_applications" ("merchant_id", "payer_id", "currency", "window_start")
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_unstarted"
        `);
    await queryRunner.query(`
            CREATE INDEX "invoices_unstarted" ON "invoices" ("created_at")
            WHERE workflow_started_at IS NULL AND status IN ('draft', 'open') AND (kind IN ('billing', 'credits') OR status = 'open')
        `);
    await queryRunner.query(`
            CREATE TABLE "credit_grants" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "payer_kind" text NOT NULL,
                "payer_id" text NOT NULL,
                "currency" text NOT NULL,
                "amount" numeric NOT NULL,
                "remaining" numeric NOT NULL,
                "priority" integer NOT NULL DEFAULT '0',
                "expires_at" TIMESTAMP WITH TIME ZONE,
                "description" text,
                "paid" boolean NOT NULL,
                "status" text NOT NULL,
                "source" text NOT NULL DEFAULT 'api',
                "invoice_id" text,
                "idempotency_key" text,
                "request_hash" text,
                "activated_at" TIMESTAMP WITH TIME ZONE,
                "expiration_warned_at" TIMESTAMP WITH TIME ZONE,
                "expired_at" TIMESTAMP WITH TIME ZONE,
                "voided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "credit_grants_remaining_bounds" CHECK (
                    remaining >= 0
                    AND remaining <= amount
                ),
                CONSTRAINT "PK_dd6086d2c9d1e62239fb9bc88bf" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_grants_invoice" ON "credit_grants" ("merchant_id", "invoice_id")
            WHERE invoice_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "credit_grants_idempotency_key" ON "credit_grants" ("merchant_id", "idempotency_key")
            WHERE idempotency_key IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_grants_payer" ON "credit_grants" ("merchant_id", "payer_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "credit_ledger_entries" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "payer_id" text NOT NULL,
                "currency" text NOT NULL,
                "grant_id" text NOT NULL,
                "kind" text NOT NULL,
                "amount" numeric NOT NULL,
                "balance_after" numeric NOT NULL,
                "window_start" TIMESTAMP WITH TIME ZONE,
                "source_type" text,
                "source_id" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b149ad6e09f766dc22042512a8a" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_ledger_entries_window" ON "credit_ledger_entries" (
                "merchant_id",
                "payer_id",
                "currency",
                "window_start"
            )
            WHERE kind = 'draw'
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_ledger_entries_payer" ON "credit_ledger_entries" ("merchant_id", "payer_id", "currency", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."credit_ledger_entries_payer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_ledger_entries_window"
        `);
    await queryRunner.query(`
            DROP TABLE "credit_ledger_entries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_grants_payer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_grants_idempotency_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_grants_invoice"
        `);
    await queryRunner.query(`
            DROP TABLE "credit_grants"
        `);
    await queryRunner.query(`
            DROP TABLE "credit_applications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoices_unstarted"
        `);
    await queryRunner.query(`
            CREATE INDEX "invoices_unstarted" ON "invoices" ("created_at")
            WHERE workflow_started_at IS NULL AND status IN ('draft', 'open') AND (kind = 'billing' OR status = 'open')
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_accounts_unstarted"
        `);
    await queryRunner.query(`
            DROP TABLE "credit_accounts"
        `);
  }
}
