import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (an expression index): a report's partial edge hours and metadata breakdowns
 * find a payer's time_duration events by where their interval ends, so that reading them does
 * not scan every event the payer ever logged.
 */
export class IntervalEndIndex1795552800000 implements MigrationInterface {
  name = 'IntervalEndIndex1795552800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX billing_metric_events_payer_interval_end_idx ON billing_metric_events
        (merchant_id, (coalesce(customer_id, account_id)), end_time) WHERE end_time IS NOT NULL
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX billing_metric_events_payer_interval_end_idx`);
  }
}
