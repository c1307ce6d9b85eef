import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand: expression indexes and storage parameters, which entities cannot declare.
 * - Reports read a payer's not-yet-folded tail; the rollup turns events from logged to
 *   aggregated at a high rate, so a payer-keyed partial index keeps that read small between
 *   vacuums, and autovacuum runs often enough on these tables to clear the dead entries.
 * - Breakdowns by metadata and event lists filtered by payer read a payer's events by time.
 */
export class UsageReadPaths1795550700000 implements MigrationInterface {
  name = 'UsageReadPaths1795550700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX billing_metric_events_logged_payer_idx ON billing_metric_events
        (merchant_id, (coalesce(customer_id, account_id))) WHERE status = 'logged'
    `);
    await queryRunner.query(`
      CREATE INDEX billing_metric_events_payer_time_idx ON billing_metric_events
        (merchant_id, (coalesce(customer_id, account_id)), "timestamp")
    `);
    await queryRunner.query(`
      ALTER TABLE billing_metric_events SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)
    `);
    await queryRunner.query(`
      ALTER TABLE usage_buckets SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05)
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE usage_buckets RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)`,
    );
    await queryRunner.query(
      `ALTER TABLE billing_metric_events RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)`,
    );
    await queryRunner.query(`DROP INDEX billing_metric_events_payer_time_idx`);
    await queryRunner.query(`DROP INDEX billing_metric_events_logged_payer_idx`);
  }
}
