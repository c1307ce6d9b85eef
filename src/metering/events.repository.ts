import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import type { EventStatus } from './billing-metric-event.entity.js';

/** An event as stored; the hot path builds these in memory and never hydrates entities. */
export interface EventRow {
  merchantId: string;
  id: string;
  reference: string;
  metricId: string;
  eventName: string;
  customerId: string | null;
  accountId: string | null;
  value: string | null;
  uniqueValue: string | null;
  timestamp: Date;
  startTime: Date | null;
  endTime: Date | null;
  markupPercentage: string | null;
  metadata: Record<string, string>;
  status: EventStatus;
  payloadHash: Buffer;
  receivedAt: Date;
}

export interface EventFilters {
  customerId?: string;
  accountId?: string;
  eventName?: string;
  status?: EventStatus;
  from?: Date;
  to?: Date;
}

const COLUMNS = `merchant_id, id, reference, metric_id, event_name, customer_id, account_id, value, unique_value,
  "timestamp", start_time, end_time, markup_percentage, metadata, status, payload_hash, received_at`;

/**
 * One statement for a whole batch: each column travels as one array parameter (unnest), so
 * the statement and its plan are the same for 1 row or 1,000. Conflicting references are
 * skipped; RETURNING names the rows that went in.
 */
export const INSERT_EVENTS = `
  INSERT INTO billing_metric_events (merchant_id, id, reference, metric_id, event_name, customer_id, account_id,
    value, unique_value, "timestamp", start_time, end_time, markup_percentage, metadata, payload_hash, received_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::numeric[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::numeric[],
    $14::jsonb[], $15::bytea[], $16::timestamptz[])
  ON CONFLICT (merchant_id, reference, version, sign) DO NOTHING
  RETURNING id`;

interface DbRow {
  merchant_id: string;
  id: string;
  reference: string;
  metric_id: string;
  event_name: string;
  customer_id: string | null;
  account_id: string | null;
  value: string | null;
  unique_value: string | null;
  timestamp: Date;
  start_time: Date | null;
  end_time: Date | null;
  markup_percentage: string | null;
  metadata: Record<string, string>;
  status: EventStatus;
  payload_hash: Buffer;
  received_at: Date;
}

function fromDb(row: DbRow): EventRow {
  return {
    merchantId: row.merchant_id,
    id: row.id,
    reference: row.reference,
    metricId: row.metric_id,
    eventName: row.event_name,
    customerId: row.customer_id,
    accountId: row.account_id,
    value: row.value,
    uniqueValue: row.unique_value,
    timestamp: row.timestamp,
    startTime: row.start_time,
    endTime: row.end_time,
    markupPercentage: row.markup_percentage,
    metadata: row.metadata,
    status: row.status,
    payloadHash: row.payload_hash,
    receivedAt: row.received_at,
  };
}

@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The pg pool under TypeORM: the hot path sends hand-written SQL straight to it. */
  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  /** Inserts rows whose (merchant, reference) is new; answers the ids that were inserted. */
  async insertNew(rows: EventRow[]): Promise<Set<string>> {
    const result = await this.pool.query<{ id: string }>(INSERT_EVENTS, [
      rows.map((r) => r.merchantId),
      rows.map((r) => r.id),
      rows.map((r) => r.reference),
      rows.map((r) => r.metricId),
      rows.map((r) => r.eventName),
      rows.map((r) => r.customerId),
      rows.map((r) => r.accountId),
      rows.map((r) => r.value),
      rows.map((r) => r.uniqueValue),
      rows.map((r) => r.timestamp),
      rows.map((r) => r.startTime),
      rows.map((r) => r.endTime),
      rows.map((r) => r.markupPercentage),
      rows.map((r) => JSON.stringify(r.metadata)),
      rows.map((r) => r.payloadHash),
      rows.map((r) => r.receivedAt),
    ]);
    return new Set(result.rows.map((r) => r.id));
  }

  /** The stored events for these (merchant, reference) pairs: the originals replays answer with. */
  async findByReferences(keys: { merchantId: string; reference: string }[]): Promise<EventRow[]> {
    const result = await this.pool.query<DbRow>(
      `SELECT ${COLUMNS} FROM billing_metric_events
        WHERE (merchant_id, reference) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [keys.map((k) => k.merchantId), keys.map((k) => k.reference)],
    );
    return result.rows.map(fromDb);
  }

  async findById(merchantId: string, id: string): Promise<EventRow | null> {
    const result = await this.pool.query<DbRow>(
      `SELECT ${COLUMNS} FROM billing_metric_events WHERE merchant_id = $1 AND id = $2`,
      [merchantId, id],
    );
    return result.rows[0] ? fromDb(result.rows[0]) : null;
  }

  async list(merchantId: string, page: PageRequest, filters: EventFilters): Promise<EventRow[]> {
    const conditions = ['merchant_id = $1'];
    const params: unknown[] = [merchantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (page.startingAfter) add('id < ?', page.startingAfter);
    // coalesce(customer_id, account_id) is how the payer index is keyed.
    if (filters.customerId)
      add('coalesce(customer_id, account_id) = ? AND customer_id IS NOT NULL', filters.customerId);
    if (filters.accountId)
      add('coalesce(customer_id, account_id) = ? AND account_id IS NOT NULL', filters.accountId);
    if (filters.eventName) add('event_name = ?', filters.eventName);
    if (filters.status) add('status = ?', filters.status);
    if (filters.from) add('"timestamp" >= ?', filters.from);
    if (filters.to) add('"timestamp" < ?', filters.to);
    params.push(page.limit + 1);
    const result = await this.pool.query<DbRow>(
      `SELECT ${COLUMNS} FROM billing_metric_events WHERE ${conditions.join(' AND ')}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(fromDb);
  }
}
