import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event corrections. An event keeps every version as a row of its own: a correction appends a
 * reversal row (sign -1, the previous version's contribution taken out) and, for an amendment,
 * the new version's row; the rollup, the invoices and the reports fold them as they fold events.
 * `event_id` names the event a later row belongs to (null on an event's first row, whose id is
 * the event's). References stay unique per (version, sign), so logging still deduplicates on
 * version 1. Each correction is recorded in `billing_metric_event_versions` (who, when, why,
 * what changed). Buckets keep, per distinct value, how many events carry it, so a value leaves
 * count_unique only when its last event does; the counts are rebuilt from the folded events.
 */
export class EventCorrections1795600600000 implements MigrationInterface {
  name = 'EventCorrections1795600600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "billing_metric_events" ADD "version" integer NOT NULL DEFAULT 1`);
    await queryRunner.query(
      `ALTER TABLE "billing_metric_events" ADD "sign" smallint NOT NULL DEFAULT 1 CONSTRAINT "billing_metric_events_sign_check" CHECK ("sign" IN (1, -1))`,
    );
    await queryRunner.query(`ALTER TABLE "billing_metric_events" ADD "event_id" text`);
    await queryRunner.query(`DROP INDEX "public"."billing_metric_events_reference_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "billing_metric_events_reference_key" ON "billing_metric_events" ("merchant_id", "reference", "version", "sign")`,
    );
    await queryRunner.query(
      `CREATE INDEX "billing_metric_events_event_idx" ON "billing_metric_events" ("merchant_id", "event_id") WHERE event_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "billing_metric_event_versions" (
        "merchant_id" text NOT NULL,
        "event_id" text NOT NULL,
        "version" integer NOT NULL CONSTRAINT "billing_metric_event_versions_version_check" CHECK ("version" >= 2),
        "action" text NOT NULL CONSTRAINT "billing_metric_event_versions_action_check" CHECK ("action" IN ('amended', 'voided')),
        "row_id" text,
        "reversal_id" text NOT NULL,
        "changes" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "reason" text,
        "api_key_id" text,
        "idempotency_key" text,
        "request_hash" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "billing_metric_event_versions_pkey" PRIMARY KEY ("merchant_id", "event_id", "version")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "billing_metric_event_versions_idempotency_key" ON "billing_metric_event_versions" ("merchant_id", "event_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );

    await queryRunner.query(
      `ALTER TABLE "usage_buckets" ADD "distinct_counts" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    await queryRunner.query(`
      UPDATE "usage_buckets" b SET "distinct_counts" = c.counts
        FROM (
          SELECT merchant_id, metric_id, payer_id, hour, jsonb_object_agg(unique_value, n) AS counts
            FROM (
              SELECT merchant_id, metric_id, coalesce(customer_id, account_id) AS payer_id,
                     to_timestamp(floor(extract(epoch FROM "timestamp") / 3600) * 3600) AS hour,
                     unique_value, count(*) AS n
                FROM "billing_metric_events"
               WHERE unique_value IS NOT NULL AND status <> 'logged'
               GROUP BY 1, 2, 3, 4, 5
            ) per_value
           GROUP BY 1, 2, 3, 4
        ) c
       WHERE b.merchant_id = c.merchant_id AND b.metric_id = c.metric_id AND b.payer_id = c.payer_id AND b.hour = c.hour`);
    await queryRunner.query(`ALTER TABLE "usage_buckets" DROP COLUMN "distinct_values"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "usage_buckets" ADD "distinct_values" jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
    await queryRunner.query(`
      UPDATE "usage_buckets" SET "distinct_values" = (
        SELECT coalesce(jsonb_agg(key ORDER BY key), '[]'::jsonb) FROM jsonb_each_text("distinct_counts") WHERE value::bigint > 0)`);
    await queryRunner.query(`ALTER TABLE "usage_buckets" DROP COLUMN "distinct_counts"`);
    await queryRunner.query(`DROP TABLE "billing_metric_event_versions"`);
    await queryRunner.query(`DELETE FROM "billing_metric_events" WHERE "event_id" IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."billing_metric_events_event_idx"`);
    await queryRunner.query(`DROP INDEX "public"."billing_metric_events_reference_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "billing_metric_events_reference_key" ON "billing_metric_events" ("merchant_id", "reference")`,
    );
    await queryRunner.query(`ALTER TABLE "billing_metric_events" DROP COLUMN "event_id"`);
    await queryRunner.query(`ALTER TABLE "billing_metric_events" DROP COLUMN "sign"`);
    await queryRunner.query(`ALTER TABLE "billing_metric_events" DROP COLUMN "version"`);
  }
}
