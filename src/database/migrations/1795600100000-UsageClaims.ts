import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The usage ledger's own record of the windows billing invoices claimed (it decided late usage
 * by reading the invoices table before). Filled from the invoices issued so far.
 */
export class UsageClaims1795600100000 implements MigrationInterface {
  name = 'UsageClaims1795600100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "usage_claims" (
                "merchant_id" text NOT NULL,
                "invoice_id" text NOT NULL,
                "payer_id" text NOT NULL,
                "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "period_end" TIMESTAMP WITH TIME ZONE NOT NULL,
                "released_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "usage_claims_pkey" PRIMARY KEY ("merchant_id", "invoice_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "usage_claims_live_payer_idx" ON "usage_claims" ("merchant_id", "payer_id")
             WHERE released_at IS NULL
        `);
    await queryRunner.query(`
            INSERT INTO "usage_claims" ("merchant_id", "invoice_id", "payer_id", "period_start", "period_end")
            SELECT "merchant_id", "id", "payer_id", "period_start", "period_end" FROM "invoices"
             WHERE "kind" = 'billing' AND "status" IN ('open', 'paid', 'uncollectible')
               AND "period_start" IS NOT NULL AND "period_end" IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "usage_claims"`);
  }
}
