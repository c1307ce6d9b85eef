import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-merchant rate-limit counters shared by every API process, one row per merchant, scope and
 * one-second window. UNLOGGED: not written to the WAL (cheap), emptied by a crash, which only
 * forgets a few seconds of counts.
 */
export class RateLimitWindows1795600300000 implements MigrationInterface {
  name = 'RateLimitWindows1795600300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limit_windows" ("merchant_id" text NOT NULL, "scope" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "used" bigint NOT NULL, CONSTRAINT "PK_rate_limit_windows" PRIMARY KEY ("merchant_id", "scope", "window_start"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limit_windows"`);
  }
}
