import { ApiProperty } from '@nestjs/swagger';

/** What the worker read from PostgreSQL. */
export class DiagnosticsDatabaseProbe {
  /** The database's clock (ISO 8601). */
  databaseTime!: string;
  /** Whether a merchant with this id exists. */
  merchantExists!: boolean;
  /** How many customers and accounts the merchant has. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  payerCount!: number;
}

/** The answer of a diagnostics round trip (API → Temporal → worker → PostgreSQL and back). */
export class DiagnosticsRoundTrip {
  /** The Temporal workflow that ran the round trip. */
  workflowId!: string;
  database!: DiagnosticsDatabaseProbe;
}
