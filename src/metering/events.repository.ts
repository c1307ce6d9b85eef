import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { encodeTime } from 'ulid';
import { ID_PREFIXES } from '../common/ids/ids.js';
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

/** A row as read back: which version it holds, its sign, the event it belongs to, its invoice. */
export interface StoredEventRow extends EventRow {
  /** The version the row holds, or, for a reversal, the version it takes out. */
  version: number;
  /** 1, or -1 for a reversal. */
  sign: number;
  /** The event a later row belongs to; null on an event's first row (whose id is the event's). */
  eventId: string | null;
  invoiceId: string | null;
}

/**
 * An event as the API shows it: its public id (its first row's), the content of its current
 * version (for a voided event, the last version before the void), and where its history stands.
 */
export interface EventView {
  id: string;
  row: EventRow;
  /** When Tally received the event (its first row). */
  receivedAt: Date;
  version: number;
  voided: boolean;
  amended: boolean;
}

/** A row just logged, as the API shows it: version 1, never corrected. */
export function firstVersionView(row: EventRow): EventView {
  return { id: row.id, row, receivedAt: row.receivedAt, version: 1, voided: false, amended: false };
}

/** What a replay of a reference answers: the event's current version, and the payload it first carried. */
export interface Replay {
  view: EventView;
  firstPayloadHash: Buffer;
}

export interface EventFilters {
  customerId?: string;
  accountId?: string;
  eventName?: string;
  status?: EventStatus;
  /** The event logged with this reference (its current row; the reference key serves it). */
  reference?: string;
  from?: Date;
  to?: Date;
  voided?: boolean;
  amended?: boolean;
}

/** The columns of a row as read back (`e` is the row's alias). */
export const EVENT_COLUMNS = `e.merchant_id, e.id, e.reference, e.version, e.sign, e.event_id, e.metric_id, e.event_name,
  e.customer_id, e.account_id, e.value, e.unique_value, e."timestamp", e.start_time, e.end_time, e.markup_percentage,
  e.metadata, e.status, e.invoice_id, e.payload_hash, e.received_at`;

/** A sign-1 row no later version supersedes: an event's current row (served by the reference key). */
const IS_CURRENT = `NOT EXISTS (SELECT 1 FROM billing_metric_events n
  WHERE n.merchant_id = e.merchant_id AND n.reference = e.reference AND n.version > e.version AND n.sign = 1)`;

/**
 * Whether the current row `e` was voided: a reversal of its own version exists only then (an
 * amendment would have added a later version, and `e` would not be current).
 */
const isVoided = (row: string) => `EXISTS (SELECT 1 FROM billing_metric_events r
  WHERE r.merchant_id = ${row}.merchant_id AND r.reference = ${row}.reference AND r.version = ${row}.version AND r.sign = -1)`;

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

export interface DbRow {
  merchant_id: string;
  id: string;
  reference: string;
  version: number;
  sign: number;
  event_id: string | null;
  invoice_id: string | null;
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

export function fromDb(row: DbRow): StoredEventRow {
  return {
    merchantId: row.merchant_id,
    id: row.id,
    reference: row.reference,
    version: row.version,
    sign: row.sign,
    eventId: row.event_id,
    invoiceId: row.invoice_id,
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

/** Events logged per minute: each bucket's start and how many events were received in it. */
export interface ReceivedPerMinute {
  buckets: { start: Date; events: number }[];
  /** Events received at or after `recentSince`. */
  recent: number;
}

/**
 * The smallest event id a row received at `at` can have: ids are ULIDs of their receipt time
 * (newId('event', receivedAt)), and a monotonic ULID is never earlier than its seed time.
 */
export function firstEventIdAt(at: Date): string {
  return `${ID_PREFIXES.event}_${encodeTime(at.getTime(), 10).toLowerCase()}${'0'.repeat(16)}`;
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

  /**
   * What replays of these (merchant, reference) pairs answer: each event's current row, whether it
   * was voided, and its first row's id, receipt time and payload hash. One statement on the
   * reference key, and only for replays.
   */
  async findReplays(keys: { merchantId: string; reference: string }[]): Promise<Replay[]> {
    const result = await this.pool.query<
      DbRow & { first_id: string; first_hash: Buffer; first_received_at: Date; voided: boolean }
    >(
      `SELECT ${EVENT_COLUMNS}, f.id AS first_id, f.payload_hash AS first_hash, f.received_at AS first_received_at,
              ${isVoided('e')} AS voided
         FROM unnest($1::text[], $2::text[]) AS k(merchant_id, reference)
         JOIN billing_metric_events f
           ON f.merchant_id = k.merchant_id AND f.reference = k.reference AND f.version = 1 AND f.sign = 1
         JOIN LATERAL (
           SELECT * FROM billing_metric_events c
            WHERE c.merchant_id = f.merchant_id AND c.reference = f.reference AND c.sign = 1
            ORDER BY c.version DESC LIMIT 1
         ) e ON true`,
      [keys.map((k) => k.merchantId), keys.map((k) => k.reference)],
    );
    return result.rows.map((row) => {
      const current = fromDb(row);
      return {
        view: {
          id: row.first_id,
          row: current,
          receivedAt: row.first_received_at,
          version: current.version + (row.voided ? 1 : 0),
          voided: row.voided,
          amended: current.version > 1,
        },
        firstPayloadHash: row.first_hash,
      };
    });
  }

  /**
   * One page of events, newest first by public id: each event once, as its current row. Two
   * ordered branches, each an index scan that keeps only current rows: events never amended
   * (their first row, by primary key) and amended ones (their latest version, by event id),
   * merged by PostgreSQL.
   */
  async list(merchantId: string, page: PageRequest, filters: EventFilters): Promise<EventView[]> {
    const params: unknown[] = [merchantId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions: string[] = [];
    // coalesce(customer_id, account_id) is how the payer index is keyed.
    if (filters.customerId)
      conditions.push(
        `coalesce(e.customer_id, e.account_id) = ${param(filters.customerId)} AND e.customer_id IS NOT NULL`,
      );
    if (filters.accountId)
      conditions.push(
        `coalesce(e.customer_id, e.account_id) = ${param(filters.accountId)} AND e.account_id IS NOT NULL`,
      );
    if (filters.eventName) conditions.push(`e.event_name = ${param(filters.eventName)}`);
    if (filters.status) conditions.push(`e.status = ${param(filters.status)}`);
    if (filters.reference !== undefined) conditions.push(`e.reference = ${param(filters.reference)}`);
    if (filters.from) conditions.push(`e."timestamp" >= ${param(filters.from)}`);
    if (filters.to) conditions.push(`e."timestamp" < ${param(filters.to)}`);
    if (filters.voided === false) conditions.push(`NOT ${isVoided('e')}`);
    conditions.push(IS_CURRENT);
    const cursor = page.startingAfter === undefined ? undefined : param(page.startingAfter);
    const limit = param(page.limit + 1);
    const after = (publicId: string) => (cursor ? ` AND ${publicId} < ${cursor}` : '');
    const branch = (publicId: 'e.id' | 'e.event_id', own: string) =>
      `(SELECT ${EVENT_COLUMNS}, ${publicId} AS public_id FROM billing_metric_events e
         WHERE e.merchant_id = $1 AND ${own} AND e.sign = 1${after(publicId)} AND ${conditions.join(' AND ')}
         ORDER BY ${publicId} DESC LIMIT ${limit})`;
    let branches: string[];
    if (filters.voided === true) {
      // Voided events are found from their reversals (later rows, by event id): a reversal of
      // the current version `e` is a void.
      if (filters.amended !== undefined) conditions.push(filters.amended ? 'e.version > 1' : 'e.version = 1');
      branches = [
        `(SELECT ${EVENT_COLUMNS}, r.event_id AS public_id FROM billing_metric_events r
           JOIN billing_metric_events e
             ON e.merchant_id = r.merchant_id AND e.reference = r.reference AND e.version = r.version AND e.sign = 1
          WHERE r.merchant_id = $1 AND r.event_id IS NOT NULL AND r.sign = -1${after('r.event_id')}
            AND ${conditions.join(' AND ')}
          ORDER BY r.event_id DESC LIMIT ${limit})`,
      ];
    } else {
      branches = [
        ...(filters.amended === true ? [] : [branch('e.id', 'e.event_id IS NULL')]),
        ...(filters.amended === false ? [] : [branch('e.event_id', 'e.event_id IS NOT NULL')]),
      ];
    }
    const result = await this.pool.query<
      DbRow & { public_id: string; first_received_at: Date; voided: boolean }
    >(
      `SELECT p.*, f.received_at AS first_received_at, ${isVoided('p')} AS voided
         FROM (${branches.join(' UNION ALL ')}) p
         JOIN billing_metric_events f ON f.merchant_id = p.merchant_id AND f.id = p.public_id
        ORDER BY p.public_id DESC LIMIT ${limit}`,
      params,
    );
    return result.rows.map((row) => {
      const current = fromDb(row);
      return {
        id: row.public_id,
        row: current,
        receivedAt: row.first_received_at,
        version: current.version + (row.voided ? 1 : 0),
        voided: row.voided,
        amended: current.version > 1,
      };
    });
  }

  /**
   * Events logged (first versions: a correction's rows are not new events) per whole minute from
   * `from` (a minute's start) to now, and how many of them at or after `recentSince`. A range of
   * the primary key: the ids of one merchant's events received since `from` (see firstEventIdAt).
   */
  async receivedPerMinute(merchantId: string, from: Date, recentSince: Date): Promise<ReceivedPerMinute> {
    const result = await this.pool.query<{ minute: Date; events: string; recent: string }>(
      `SELECT date_trunc('minute', received_at) AS minute, count(*) AS events,
              count(*) FILTER (WHERE received_at >= $4) AS recent
         FROM billing_metric_events
        WHERE merchant_id = $1 AND id >= $2 AND received_at >= $3 AND event_id IS NULL
        GROUP BY 1 ORDER BY 1`,
      [merchantId, firstEventIdAt(from), from, recentSince],
    );
    return {
      buckets: result.rows.map((row) => ({ start: row.minute, events: Number(row.events) })),
      recent: result.rows.reduce((sum, row) => sum + Number(row.recent), 0),
    };
  }
}
