import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/event-types.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from '../webhook-delivery.entity.js';

/** What the event reports. */
export class WebhookEventData {
  /**
   * The object the event is about, as it was when the event happened: the invoice
   * (`billing.invoice.generated`), the charge with its `invoice` (`billing.charge.succeeded`,
   * `billing.charge.failed`, which adds `will_retry` and `next_payment_attempt`), a `credit_usage`,
   * a `credit_expiration`, a `credit_balance` (`billing.threshold.approaching`, and
   * `billing.subscriber_overage` with `reason: "credits_depleted"`), or a subscription period's
   * usage (`billing.subscriber_usage`, and `billing.subscriber_overage` for a metric past its
   * included quantity).
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  object!: Record<string, unknown>;
}

/** A billing event: the body receivers get (signed), and what the API lists. */
export class WebhookEvent {
  /** The event's id (`evt_…`), also the `webhook-id` header of each send. */
  @ApiProperty({ example: 'evt_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'event';

  @ApiProperty({ type: 'string', enum: WEBHOOK_EVENT_TYPES })
  type!: WebhookEventType;

  /** ISO 8601. */
  created!: string;

  data!: WebhookEventData;
}

/** Where an event stands at one endpoint it was sent to. */
export class WebhookDelivery {
  /** The endpoint's id (`we_…`). */
  endpoint!: string;

  /**
   * `pending`: not attempted yet or waiting to retry; `succeeded`: a 2xx answer; `failed`: out of
   * retries or answered 410; `skipped`: the endpoint was deleted or disabled before the attempt.
   */
  @ApiProperty({ type: 'string', enum: WEBHOOK_DELIVERY_STATUSES })
  status!: WebhookDeliveryStatus;

  /** Attempts so far, redeliveries included. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  attempt_count!: number;

  /** ISO 8601; null before the first attempt. */
  last_attempt_at!: string | null;

  /** ISO 8601: when the next retry is due; null when none is scheduled. */
  next_attempt_at!: string | null;
}

/** An event with its delivery status at each endpoint it was sent to. */
export class WebhookEventWithDeliveries extends WebhookEvent {
  /** One per endpoint the event was sent to, by endpoint id. */
  @ApiProperty({ type: [WebhookDelivery] })
  deliveries!: WebhookDelivery[];
}

/** One HTTP request to a receiver: what it answered, how long it took, or what went wrong. */
export class WebhookDeliveryAttempt {
  /** The attempt's id (`whatt_…`). */
  @ApiProperty({ example: 'whatt_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'webhook_delivery_attempt';

  /** The event's id (`evt_…`). */
  event!: string;

  /** The endpoint's id (`we_…`). */
  endpoint!: string;

  /** 1 for the first attempt of this event at this endpoint, counting on through redeliveries. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  attempt!: number;

  /** ISO 8601. */
  attempted_at!: string;

  /** The receiver's HTTP status; null when no answer came (timeout, refused connection or address). */
  @ApiProperty({ type: 'integer', nullable: true })
  status_code!: number | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  duration_ms!: number;

  /** The start of the receiver's answer (at most 1,000 characters); null when it was empty or none came. */
  response_body!: string | null;

  /** Why the attempt failed without an answer, or that a 410 disabled the endpoint; null otherwise. */
  error!: string | null;

  /** True for a 2xx answer. */
  succeeded!: boolean;
}
