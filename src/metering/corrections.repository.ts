import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CorrectionAction } from './billing-metric-event-version.entity.js';
import type { CorrectionRecord, FieldChange } from './domain/event-corrections.js';
import {
  EVENT_COLUMNS,
  fromDb,
  type DbRow,
  type EventRow,
  type StoredEventRow,
} from './events.repository.js';

/** A correction as stored, with the Idempotency-Key that made it (if any) and its request's digest. */
export interface StoredCorrection extends CorrectionRecord {
  idempotencyKey: string | null;
  requestHash: string | null;
}

interface CorrectionDbRow {
  version: number;
  action: CorrectionAction;
  row_id: string | null;
  reversal_id: string;
  changes: Record<string, FieldChange>;
  reason: string | null;
  api_key_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
}

/** How an event is named: its public id, or the reference it was logged with. */
export type EventKey = { id: string } | { reference: string };

/**
 * Event corrections: the rows a void or an amendment appends to billing_metric_events (never an
 * UPDATE or DELETE) and their record in billing_metric_event_versions, read and written inside
 * the correction's transaction, which first takes the event's advisory lock.
 */
@Injectable()
export class CorrectionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** An event's first row (version 1, its id the event's), by public id or reference. */
  async findFirstRow(
    merchantId: string,
    key: EventKey,
    tx: EntityManager = this.db.manager,
  ): Promise<StoredEventRow | null> {
    const [where, value] =
      'id' in key
        ? ['e.id = $2 AND e.event_id IS NULL', key.id]
        : ['e.reference = $2 AND e.version = 1', key.reference];
    const rows: DbRow[] = await tx.query(
      `SELECT ${EVENT_COLUMNS} FROM billing_metric_events e WHERE e.merchant_id = $1 AND ${where} AND e.sign = 1`,
      [merchantId, value],
    );
    return rows[0] ? fromDb(rows[0]) : null;
  }

  /** Serializes every correction of one event, until the transaction ends. */
  async lockEvent(tx: EntityManager, merchantId: string, eventId: string): Promise<void> {
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('event-correction/' || $1 || '/' || $2, 0))`,
      [merchantId, eventId],
    );
  }

  /** Every row of the event logged under `reference`, by version (a version's row before its reversal). */
  async eventRows(
    merchantId: string,
    reference: string,
    tx: EntityManager = this.db.manager,
  ): Promise<StoredEventRow[]> {
    const rows: DbRow[] = await tx.query(
      `SELECT ${EVENT_COLUMNS} FROM billing_metric_events e
        WHERE e.merchant_id = $1 AND e.reference = $2 ORDER BY e.version, e.sign DESC`,
      [merchantId, reference],
    );
    return rows.map(fromDb);
  }

  /** The event's corrections, by version. */
  async corrections(
    merchantId: string,
    eventId: string,
    tx: EntityManager = this.db.manager,
  ): Promise<StoredCorrection[]> {
    const rows: CorrectionDbRow[] = await tx.query(
      `SELECT version, action, row_id, reversal_id, changes, reason, api_key_id, idempotency_key, request_hash, created_at
         FROM billing_metric_event_versions WHERE merchant_id = $1 AND event_id = $2 ORDER BY version`,
      [merchantId, eventId],
    );
    return rows.map((row) => ({
      version: row.version,
      action: row.action,
      rowId: row.row_id,
      reversalId: row.reversal_id,
      changes: row.changes,
      reason: row.reason,
      apiKeyId: row.api_key_id,
      idempotencyKey: row.idempotency_key,
      requestHash: row.request_hash,
      createdAt: row.created_at,
    }));
  }

  /** An event's rows and corrections (a never-corrected event has one row and no correction to read). */
  async loadEvent(
    merchantId: string,
    id: string,
  ): Promise<{ rows: StoredEventRow[]; corrections: StoredCorrection[] } | null> {
    const first = await this.findFirstRow(merchantId, { id });
    if (!first) return null;
    const rows = await this.eventRows(merchantId, first.reference);
    const corrections = rows.length > 1 ? await this.corrections(merchantId, id) : [];
    return { rows, corrections };
  }

  /**
   * Appends the reversal of row `reversedId`: an exact copy of its content with sign -1 (same
   * version), a new id, `logged`, received now, so the pipeline takes that usage out.
   */
  async insertReversal(
    tx: EntityManager,
    reversal: { merchantId: string; reversedId: string; id: string; eventId: string; receivedAt: Date },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO billing_metric_events (merchant_id, id, reference, version, sign, event_id, metric_id, event_name,
         customer_id, account_id, value, unique_value, "timestamp", start_time, end_time, markup_percentage, metadata,
         payload_hash, received_at)
       SELECT merchant_id, $3, reference, version, -1, $4, metric_id, event_name, customer_id, account_id, value,
              unique_value, "timestamp", start_time, end_time, markup_percentage, metadata, payload_hash, $5
         FROM billing_metric_events WHERE merchant_id = $1 AND id = $2`,
      [reversal.merchantId, reversal.reversedId, reversal.id, reversal.eventId, reversal.receivedAt],
    );
  }

  /** Appends a new version's row (sign 1) of the event `eventId`. */
  async insertVersion(
    tx: EntityManager,
    row: EventRow & { version: number; eventId: string | null },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO billing_metric_events (merchant_id, id, reference, version, sign, event_id, metric_id, event_name,
         customer_id, account_id, value, unique_value, "timestamp", start_time, end_time, markup_percentage, metadata,
         payload_hash, received_at)
       VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        row.merchantId,
        row.id,
        row.reference,
        row.version,
        row.eventId,
        row.metricId,
        row.eventName,
        row.customerId,
        row.accountId,
        row.value,
        row.uniqueValue,
        row.timestamp,
        row.startTime,
        row.endTime,
        row.markupPercentage,
        JSON.stringify(row.metadata),
        row.payloadHash,
        row.receivedAt,
      ],
    );
  }

  async insertCorrection(
    tx: EntityManager,
    merchantId: string,
    eventId: string,
    correction: StoredCorrection,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO billing_metric_event_versions (merchant_id, event_id, version, action, row_id, reversal_id, changes,
         reason, api_key_id, idempotency_key, request_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        merchantId,
        eventId,
        correction.version,
        correction.action,
        correction.rowId,
        correction.reversalId,
        JSON.stringify(correction.changes),
        correction.reason,
        correction.apiKeyId,
        correction.idempotencyKey,
        correction.requestHash,
        correction.createdAt,
      ],
    );
  }
}
