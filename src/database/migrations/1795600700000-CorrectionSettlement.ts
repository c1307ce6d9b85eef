import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How corrections settle. The payer's invoice balance per currency: what a negative invoice (a
 * correction lowering usage already billed) carried forward, applied to the payer's next
 * invoices; kept as entries, one per invoice and kind, so the balance is their sum and every
 * movement names its invoice. Credits a correction gives back are `return` ledger entries of the
 * window they drew for, so the window index covers them too.
 */
export class CorrectionSettlement1795600700000 implements MigrationInterface {
  name = 'CorrectionSettlement1795600700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "invoice_balance_entries" (
        "merchant_id" text NOT NULL,
        "invoice_id" text NOT NULL,
        "kind" text NOT NULL CONSTRAINT "invoice_balance_entries_kind_check" CHECK ("kind" IN ('carried', 'applied', 'restored')),
        "payer_id" text NOT NULL,
        "currency" text NOT NULL,
        "amount" numeric NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "invoice_balance_entries_pkey" PRIMARY KEY ("merchant_id", "invoice_id", "kind")
      )`);
    await queryRunner.query(
      `CREATE INDEX "invoice_balance_entries_payer_idx" ON "invoice_balance_entries" ("merchant_id", "payer_id", "currency")`,
    );
    await queryRunner.query(`DROP INDEX "public"."credit_ledger_entries_window"`);
    await queryRunner.query(
      `CREATE INDEX "credit_ledger_entries_window" ON "credit_ledger_entries" ("merchant_id", "payer_id", "currency", "window_start") WHERE kind IN ('draw', 'return')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."credit_ledger_entries_window"`);
    await queryRunner.query(
      `CREATE INDEX "credit_ledger_entries_window" ON "credit_ledger_entries" ("merchant_id", "payer_id", "currency", "window_start") WHERE kind = 'draw'`,
    );
    await queryRunner.query(`DROP TABLE "invoice_balance_entries"`);
  }
}
