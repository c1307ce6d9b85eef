import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pricing models. A metric's price becomes one `price` object (per_unit, graduated, volume,
 * package, with an optional line minimum and maximum); existing metrics keep their unit amount
 * as a per_unit price. Invoice lines keep the tier breakdown they were priced with and the
 * period they price (so a later line of the same period bills the difference in amount). A
 * subscription may commit to a minimum per period; its periods record, per metric, the usage
 * and the amount billed so far (amounts, not overage quantities, since tiers are not linear).
 * Taken events get a partial index by payer and time, for the invoice preview.
 */
export class PricingModels1795600500000 implements MigrationInterface {
  name = 'PricingModels1795600500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing_metrics" ADD "price" jsonb`);
    await queryRunner.query(
      `UPDATE "billing_metrics" SET "price" = jsonb_build_object('model', 'per_unit', 'unit_amount', trim_scale("unit_amount")::text, 'minimum_amount', NULL, 'maximum_amount', NULL)`,
    );
    await queryRunner.query(`ALTER TABLE "billing_metrics" ALTER COLUMN "price" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "billing_metrics" DROP COLUMN "unit_amount"`);

    await queryRunner.query(`ALTER TABLE "invoice_lines" ALTER COLUMN "unit_amount" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "invoice_lines" ADD "tiers" jsonb`);
    await queryRunner.query(`ALTER TABLE "invoice_lines" ADD "period_start" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "invoice_lines" ADD "period_end" TIMESTAMP WITH TIME ZONE`);
    // Usage lines of invoices issued before this price the invoice's own window.
    await queryRunner.query(
      `UPDATE "invoice_lines" l SET "period_start" = i."period_start", "period_end" = i."period_end"
         FROM "invoices" i
        WHERE i."merchant_id" = l."merchant_id" AND i."id" = l."invoice_id" AND l."kind" = 'usage' AND l."metric_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "invoice_lines_metric_period" ON "invoice_lines" ("merchant_id", "metric_id", "period_start", "period_end") WHERE "period_start" IS NOT NULL`,
    );

    // Events an invoice took, by payer and time: a preview finds at once whether its window has any.
    await queryRunner.query(
      `CREATE INDEX "billing_metric_events_taken_idx" ON "billing_metric_events" ("merchant_id", (coalesce("customer_id", "account_id")), "timestamp") WHERE "invoice_id" IS NOT NULL`,
    );

    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "minimum_amount" numeric`);
    await queryRunner.query(`ALTER TABLE "subscription_periods" ADD "minimum_amount" numeric`);
    await queryRunner.query(
      `ALTER TABLE "subscription_periods" ADD "billed_usage" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscription_periods" ADD "billed_amounts" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    // What earlier overage bills took: the usage they reached (included + overage billed) and their amounts.
    await queryRunner.query(
      `UPDATE "subscription_periods" p SET
          "billed_usage" = coalesce((
            SELECT jsonb_object_agg(b.key, (b.value #>> '{}')::numeric + coalesce((
                     SELECT (item ->> 'includedQuantity')::numeric FROM jsonb_array_elements(p."items") item
                      WHERE item ->> 'metricId' = b.key), 0))
              FROM jsonb_each(p."billed") b), '{}'::jsonb),
          "billed_amounts" = coalesce((
            SELECT jsonb_object_agg(l."metric_id", l.amount)
              FROM (SELECT "metric_id", sum("amount")::text AS amount FROM "invoice_lines"
                     WHERE "merchant_id" = p."merchant_id" AND "invoice_id" = ANY(p."overage_invoice_ids")
                       AND "metric_id" IS NOT NULL GROUP BY "metric_id") l), '{}'::jsonb)`,
    );
    await queryRunner.query(`ALTER TABLE "subscription_periods" DROP COLUMN "billed"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "subscription_periods" ADD "billed" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    await queryRunner.query(
      `UPDATE "subscription_periods" p SET "billed" = coalesce((
          SELECT jsonb_object_agg(b.key, greatest((b.value #>> '{}')::numeric - coalesce((
                   SELECT (item ->> 'includedQuantity')::numeric FROM jsonb_array_elements(p."items") item
                    WHERE item ->> 'metricId' = b.key), 0), 0)::text)
            FROM jsonb_each(p."billed_usage") b), '{}'::jsonb)`,
    );
    await queryRunner.query(`ALTER TABLE "subscription_periods" DROP COLUMN "billed_amounts"`);
    await queryRunner.query(`ALTER TABLE "subscription_periods" DROP COLUMN "billed_usage"`);
    await queryRunner.query(`ALTER TABLE "subscription_periods" DROP COLUMN "minimum_amount"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "minimum_amount"`);

    await queryRunner.query(`DROP INDEX "billing_metric_events_taken_idx"`);
    await queryRunner.query(`DROP INDEX "invoice_lines_metric_period"`);
    await queryRunner.query(`ALTER TABLE "invoice_lines" DROP COLUMN "period_end"`);
    await queryRunner.query(`ALTER TABLE "invoice_lines" DROP COLUMN "period_start"`);
    await queryRunner.query(`ALTER TABLE "invoice_lines" DROP COLUMN "tiers"`);
    await queryRunner.query(
      `UPDATE "invoice_lines" SET "unit_amount" = "amount" WHERE "unit_amount" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "invoice_lines" ALTER COLUMN "unit_amount" SET NOT NULL`);

    // Prices other than per_unit have no unit amount to go back to; they keep their first tier's.
    await queryRunner.query(`ALTER TABLE "billing_metrics" ADD "unit_amount" numeric`);
    await queryRunner.query(
      `UPDATE "billing_metrics" SET "unit_amount" = coalesce("price" ->> 'unit_amount', "price" #>> '{tiers,0,unit_amount}', '0')::numeric`,
    );
    await queryRunner.query(`ALTER TABLE "billing_metrics" ALTER COLUMN "unit_amount" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "billing_metrics" DROP COLUMN "price"`);
  }
}
