import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why an invoice's or a subscription's workflow stopped: a step that could not succeed (a domain
 * failure, never retried) is recorded on the object, so the API shows it beside the Temporal UI.
 */
export class WorkflowFailures1795600200000 implements MigrationInterface {
  name = 'WorkflowFailures1795600200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" ADD "workflow_failure" jsonb`);
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "workflow_failure" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "workflow_failure"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "workflow_failure"`);
  }
}
