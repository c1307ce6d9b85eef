import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Usage1795549551367 implements MigrationInterface {
  name = 'Usage1795549551367';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."billing_metric_events_seq_idx"
        `);
    await queryRunner.query(`
            CREATE TABLE "usage_buckets" (
                "merchant_id" text NOT NULL,
                "metric_id" text NOT NULL,
                "payer_id" text NOT NULL,
                "hour" TIMESTAMP WITH TIME ZONE NOT NULL,
                "count" bigint NOT NULL,
                "sum" numeric NOT NULL,
                "markup_sum" numeric NOT NULL,
                "duration_ms" numeric NOT NULL,
                "distinct_values" jsonb NOT NULL DEFAULT '[]'::jsonb,
                CONSTRAINT "PK_63c38dd9c02ba9f024999c2d977" PRIMARY KEY ("merchant_id", "metric_id", "payer_id", "hour")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "usage_buckets_payer_hour_idx" ON "usage_buckets" ("merchant_id", "payer_id", "hour")
        `);
    await queryRunner.query(`
            ALTER TABLE "billing_metric_events"
            ADD "aggregated_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "billing_metric_events_logged_seq_idx" ON "billing_metric_events" ("seq")
            WHERE status = 'logged'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."billing_metric_events_logged_seq_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "billing_metric_events" DROP COLUMN "aggregated_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."usage_buckets_payer_hour_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "usage_buckets"
        `);
    await queryRunner.query(`
            CREATE INDEX "billing_metric_events_seq_idx" ON "billing_metric_events" USING btree ("seq")
        `);
  }
}
