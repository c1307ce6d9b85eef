import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, In, LessThan } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import { type PageRequest } from '../common/pagination/pagination.js';
import type { WebhookEventType } from './domain/event-types.js';
import { WebhookDeliveryAttemptEntity } from './webhook-delivery-attempt.entity.js';
import { type WebhookDeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEventEntity } from './webhook-event.entity.js';

/** A delivery whose workflow has not been started yet, with what the start needs. */
export interface UnstartedDelivery {
  merchantId: string;
  eventId: string;
  endpointId: string;
  type: WebhookEventType;
  payerId: string | null;
  /** Still to be sent: with a finished workflow, only a redelivery leaves it so. */
  pending: boolean;
}

export interface AttemptRecord {
  merchantId: string;
  eventId: string;
  endpointId: string;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
  succeeded: boolean;
  /** The delivery's state after this attempt. */
  deliveryStatus: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  /** Set when the receiver answered 410 Gone: the endpoint is disabled in the same transaction. */
  disableEndpoint: boolean;
}

@Injectable()
export class WebhookEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The outbox write: the event and one pending delivery per enabled endpoint subscribed to its
   * type, inside the caller's transaction (`manager`), so they exist exactly when the change does.
   */
  async record(
    manager: EntityManager,
    event: {
      merchantId: string;
      type: WebhookEventType;
      object: Record<string, unknown>;
      payerId: string | null;
    },
  ): Promise<{ merchantId: string; id: string }> {
    const id = newId('webhookEvent');
    await manager.query(
      'INSERT INTO webhook_events (merchant_id, id, type, object, payer_id) VALUES ($1, $2, $3, $4::jsonb, $5)',
      [event.merchantId, id, event.type, JSON.stringify(event.object), event.payerId],
    );
    await manager.query(
      `INSERT INTO webhook_deliveries (merchant_id, event_id, endpoint_id)
       SELECT merchant_id, $2, id FROM webhook_endpoints
        WHERE merchant_id = $1 AND status = 'enabled' AND deleted_at IS NULL
          AND enabled_events && ARRAY['*', $3]::text[]`,
      [event.merchantId, id, event.type],
    );
    return { merchantId: event.merchantId, id };
  }

  findEvent(merchantId: string, id: string): Promise<WebhookEventEntity | null> {
    return this.db.getRepository(WebhookEventEntity).findOneBy({ merchantId, id });
  }

  listEvents(
    merchantId: string,
    page: PageRequest,
    filters: { type?: WebhookEventType },
  ): Promise<WebhookEventEntity[]> {
    const where: FindOptionsWhere<WebhookEventEntity> = { merchantId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    if (filters.type) where.type = filters.type;
    return this.db
      .getRepository(WebhookEventEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  deliveriesOf(merchantId: string, eventId: string): Promise<WebhookDeliveryEntity[]> {
    return this.db
      .getRepository(WebhookDeliveryEntity)
      .find({ where: { merchantId, eventId }, order: { endpointId: 'ASC' } });
  }

  listAttempts(
    merchantId: string,
    eventId: string,
    page: PageRequest,
  ): Promise<WebhookDeliveryAttemptEntity[]> {
    const where: FindOptionsWhere<WebhookDeliveryAttemptEntity> = { merchantId, eventId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    return this.db
      .getRepository(WebhookDeliveryAttemptEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  /** Deliveries of these events whose workflows have not been started. */
  unstartedDeliveriesOf(merchantId: string, eventIds: string[]): Promise<UnstartedDelivery[]> {
    return this.unstarted('d.merchant_id = $1 AND d.event_id = ANY($2::text[])', [merchantId, eventIds]);
  }

  /** The oldest deliveries, of any merchant, recorded over `graceMs` ago and still not started. */
  staleUnstartedDeliveries(graceMs: number, limit: number): Promise<UnstartedDelivery[]> {
    return this.unstarted(
      `d.created_at < now() - make_interval(secs => $1::double precision / 1000)
       ORDER BY d.created_at LIMIT $2`,
      [graceMs, limit],
    );
  }

  private async unstarted(condition: string, parameters: unknown[]): Promise<UnstartedDelivery[]> {
    const rows: Array<{
      merchant_id: string;
      event_id: string;
      endpoint_id: string;
      type: WebhookEventType;
      payer_id: string | null;
      pending: boolean;
    }> = await this.db.query(
      `SELECT d.merchant_id, d.event_id, d.endpoint_id, e.type, e.payer_id,
              d.status = 'pending' AS pending
           FROM webhook_deliveries d
           JOIN webhook_events e ON e.merchant_id = d.merchant_id AND e.id = d.event_id
          WHERE d.workflow_started_at IS NULL AND ${condition}`,
      parameters,
    );
    return rows.map((row) => ({
      merchantId: row.merchant_id,
      eventId: row.event_id,
      endpointId: row.endpoint_id,
      type: row.type,
      payerId: row.payer_id,
      pending: row.pending,
    }));
  }

  async markStarted(
    deliveries: Array<Pick<UnstartedDelivery, 'merchantId' | 'eventId' | 'endpointId'>>,
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db.query(
      `UPDATE webhook_deliveries d SET workflow_started_at = now(), updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[]) AS s(merchant_id, event_id, endpoint_id)
        WHERE d.merchant_id = s.merchant_id AND d.event_id = s.event_id AND d.endpoint_id = s.endpoint_id
          AND d.workflow_started_at IS NULL`,
      [
        deliveries.map((d) => d.merchantId),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.endpointId),
      ],
    );
  }

  /**
   * Puts deliveries back to pending for a redelivery, unstarted until its signal reaches Temporal
   * (else the sweeper sends it); answers the endpoints that had one.
   */
  async reopenDeliveries(merchantId: string, eventId: string, endpointIds?: string[]): Promise<string[]> {
    const where: FindOptionsWhere<WebhookDeliveryEntity> = { merchantId, eventId };
    if (endpointIds) where.endpointId = In(endpointIds);
    const deliveries = await this.db.getRepository(WebhookDeliveryEntity).findBy(where);
    if (deliveries.length > 0) {
      await this.db
        .getRepository(WebhookDeliveryEntity)
        .update(where, { status: 'pending', nextAttemptAt: null, workflowStartedAt: null });
    }
    return deliveries.map((delivery) => delivery.endpointId);
  }

  /** Adds a delivery for an endpoint the event was not sent to (a redelivery to a newer endpoint). */
  async addDelivery(merchantId: string, eventId: string, endpointId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_deliveries (merchant_id, event_id, endpoint_id)
       VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [merchantId, eventId, endpointId],
    );
  }

  /** Marks a delivery that will not be attempted (its endpoint was deleted or disabled). */
  async markSkipped(merchantId: string, eventId: string, endpointId: string): Promise<void> {
    await this.db
      .getRepository(WebhookDeliveryEntity)
      .update({ merchantId, eventId, endpointId }, { status: 'skipped', nextAttemptAt: null });
  }

  /** Records an attempt and the delivery's new state in one transaction; answers the attempt number. */
  async recordAttempt(record: AttemptRecord): Promise<number> {
    return this.db.transaction(async (tx) => {
      // TypeORM answers an UPDATE … RETURNING as [rows, affected].
      const [rows]: [Array<{ attempt_count: number }>, number] = await tx.query(
        `UPDATE webhook_deliveries
            SET attempt_count = attempt_count + 1, status = $4, last_attempt_at = $5,
                next_attempt_at = $6, updated_at = now()
          WHERE merchant_id = $1 AND event_id = $2 AND endpoint_id = $3
        RETURNING attempt_count`,
        [
          record.merchantId,
          record.eventId,
          record.endpointId,
          record.deliveryStatus,
          record.attemptedAt,
          record.nextAttemptAt,
        ],
      );
      const attempt = rows[0]?.attempt_count ?? 1;
      await tx.insert(WebhookDeliveryAttemptEntity, {
        merchantId: record.merchantId,
        id: newId('webhookDeliveryAttempt'),
        eventId: record.eventId,
        endpointId: record.endpointId,
        attempt,
        attemptedAt: record.attemptedAt,
        statusCode: record.statusCode,
        durationMs: record.durationMs,
        responseBody: record.responseBody,
        error: record.error,
        succeeded: record.succeeded,
      });
      if (record.disableEndpoint) {
        await tx.query(
          `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'gone', updated_at = now()
            WHERE merchant_id = $1 AND id = $2`,
          [record.merchantId, record.endpointId],
        );
      }
      return attempt;
    });
  }
}
