import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Foundation1795547025207 implements MigrationInterface {
  name = 'Foundation1795547025207';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "api_keys" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "secret_hash" bytea NOT NULL,
                "secret_hint" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_1afc5c82b95bdf813a7e28bfae2" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" ("secret_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "merchants" (
                "id" text NOT NULL,
                "name" text NOT NULL,
                "is_development" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4fd312ef25f8e05ad47bfe7ed25" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "payers" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "kind" text NOT NULL,
                "name" text,
                "email" text,
                "external_id" text,
                "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "default_payment_method_id" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ecc07892c77c99485c2481d8b8a" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "payers_external_id_key" ON "payers" ("merchant_id", "kind", "external_id")
            WHERE external_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "payment_methods" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "payer_id" text NOT NULL,
                "token" text NOT NULL,
                "brand" text NOT NULL,
                "last4" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_306b72b49b4635a2431fc51a192" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "payment_methods_payer_idx" ON "payment_methods" ("merchant_id", "payer_id", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."payment_methods_payer_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_methods"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payers_external_id_key"
        `);
    await queryRunner.query(`
            DROP TABLE "payers"
        `);
    await queryRunner.query(`
            DROP TABLE "merchants"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_keys_secret_hash_key"
        `);
    await queryRunner.query(`
            DROP TABLE "api_keys"
        `);
  }
}
