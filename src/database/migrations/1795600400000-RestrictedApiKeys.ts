import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restricted API keys (read or ingest only), names, and rolling with a grace period: a rolled
 * key works until `expires_at`. Existing keys are the merchants' full secret keys.
 */
export class RestrictedApiKeys1795600400000 implements MigrationInterface {
  name = 'RestrictedApiKeys1795600400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "name" text NOT NULL DEFAULT 'Secret key'`);
    await queryRunner.query(`ALTER TABLE "api_keys" ALTER COLUMN "name" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD "access" text NOT NULL DEFAULT 'full' CONSTRAINT "CHK_api_keys_access" CHECK ("access" IN ('full', 'read', 'ingest'))`,
    );
    await queryRunner.query(`ALTER TABLE "api_keys" ALTER COLUMN "access" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "expires_at"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "access"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "name"`);
  }
}
