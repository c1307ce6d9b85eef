import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseProbe } from '../../workflows/contracts/diagnostics.contract.js';

@Injectable()
export class DiagnosticsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async probe(merchantId: string): Promise<DatabaseProbe> {
    const [row]: { now: Date; merchant_exists: boolean; payer_count: string }[] = await this.db.query(
      `SELECT now() AS now,
              EXISTS (SELECT 1 FROM merchants WHERE id = $1) AS merchant_exists,
              (SELECT count(*) FROM payers WHERE merchant_id = $1) AS payer_count`,
      [merchantId],
    );
    return {
      databaseTime: row.now.toISOString(),
      merchantExists: row.merchant_exists,
      payerCount: Number(row.payer_count),
    };
  }
}
