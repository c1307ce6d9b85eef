import { ApiProperty } from '@nestjs/swagger';
import { ApiNullableObject, type Nullable } from '../../common/http/openapi/nullable.js';

/** The process is up. */
export class Health {
  status!: 'ok';
}

/** One dependency's probe: `ok`, or why not. */
export class ReadinessCheck {
  ok!: boolean;
  /** Why the probe failed (only when `ok` is false). */
  error?: string;
}

export class ReadinessChecks {
  database!: ReadinessCheck;
  temporal!: ReadinessCheck;
}

/** The rollup workflow's own account of its progress. */
export class RollupProgress {
  @ApiProperty({ type: 'integer', minimum: 0 })
  eventsFolded!: number;
  @ApiProperty({ type: 'integer', minimum: 0 })
  batches!: number;
  /** The ingestion position (seq) of the last event folded. */
  lastSeq!: string | null;
  lastEventId!: string | null;
  /** ISO 8601. */
  lastFoldedAt!: string | null;
  /** ISO 8601. */
  lastRunAt!: string | null;
}

/** How far the event rollup has come. */
export class RollupStatus {
  workflow_id!: string;
  @ApiNullableObject(RollupProgress, {
    description: 'Null when the workflow cannot be asked (no worker, Temporal down).',
  })
  progress!: Nullable<RollupProgress>;
  /** Events logged and not yet folded. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  logged_events!: number;
  /** Seconds since the oldest event still waiting to be folded was received (0 when none waits). */
  @ApiProperty({ minimum: 0 })
  lag_seconds!: number;
}

/** Whether the API can serve: PostgreSQL and Temporal both reachable. */
export class Readiness {
  status!: 'ready' | 'not_ready';
  checks!: ReadinessChecks;
  @ApiNullableObject(RollupStatus, {
    description: 'Null when the database is unreachable or the rollup state cannot be read.',
  })
  rollup!: Nullable<RollupStatus>;
}
