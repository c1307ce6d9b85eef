import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Customer portal sessions: one payer each, the token stored as its SHA-256 only. */
export class PortalSessions1795600800000 implements MigrationInterface {
  name = 'PortalSessions1795600800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "portal_sessions" (
                "merchant_id" text NOT NULL,
                "id" text NOT NULL,
                "customer_id" text,
                "account_id" text,
                "token_hash" text NOT NULL,
                "return_url" text,
                "idempotency_key" text,
                "request_hash" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "CHK_portal_sessions_one_payer" CHECK (("customer_id" IS NULL) <> ("account_id" IS NULL)),
                CONSTRAINT "PK_portal_sessions" PRIMARY KEY ("merchant_id", "id")
            )
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "portal_sessions_token_hash_key" ON "portal_sessions" ("token_hash")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "portal_sessions_idempotency_key" ON "portal_sessions" ("merchant_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "portal_sessions"`);
  }
}
