import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payer's billing mode, `prepaid` (credits pay for its usage) or `subscription` (a subscription
 * bills it), claimed on the payer's row in the transaction that creates the credit account or the
 * subscription: the row lock makes the two modes exclude each other even under concurrent creates.
 * Existing payers get the mode their data already says.
 */
export class PayerBillingMode1795600000000 implements MigrationInterface {
  name = 'PayerBillingMode1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "payers" ADD "billing_mode" text
                CONSTRAINT "payers_billing_mode_check" CHECK ("billing_mode" IN ('prepaid', 'subscription'))
        `);
    await queryRunner.query(`
            UPDATE "payers" p SET "billing_mode" = 'prepaid'
             WHERE EXISTS (SELECT 1 FROM "credit_accounts" a WHERE a."merchant_id" = p."merchant_id" AND a."payer_id" = p."id")
        `);
    await queryRunner.query(`
            UPDATE "payers" p SET "billing_mode" = 'subscription'
             WHERE p."billing_mode" IS NULL
               AND EXISTS (SELECT 1 FROM "subscriptions" s
                            WHERE s."merchant_id" = p."merchant_id" AND s."customer_id" = p."id" AND s."status" = 'active')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payers" DROP COLUMN "billing_mode"`);
  }
}
