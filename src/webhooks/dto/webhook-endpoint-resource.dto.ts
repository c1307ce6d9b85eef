import { ApiProperty } from '@nestjs/swagger';
import { ENABLED_EVENT_VALUES } from '../domain/event-types.js';
import { WEBHOOK_ENDPOINT_STATUSES, type WebhookEndpointStatus } from '../webhook-endpoint.entity.js';

/** Where a merchant receives webhooks, the event types it wants, and the secret that signs them. */
export class WebhookEndpoint {
  /** The endpoint's id (`we_…`). */
  @ApiProperty({ example: 'we_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'webhook_endpoint';

  /** The http(s) URL Tally POSTs events to. */
  @ApiProperty({ example: 'https://example.com/webhooks/tally' })
  url!: string;

  /** The merchant's note, or null. */
  description!: string | null;

  /** The event types delivered to the endpoint; `"*"` stands for every type, including later ones. */
  @ApiProperty({ enum: ENABLED_EVENT_VALUES, isArray: true })
  enabled_events!: string[];

  /** `disabled`: no deliveries (the merchant turned it off, or Tally did after a 410 answer). */
  @ApiProperty({ type: 'string', enum: WEBHOOK_ENDPOINT_STATUSES })
  status!: WebhookEndpointStatus;

  /**
   * `gone` when Tally disabled the endpoint because it answered 410 Gone; null when the merchant
   * did, or it is enabled. `deleted` only in the answer to a create repeating the Idempotency-Key
   * of an endpoint deleted since.
   */
  @ApiProperty({ type: 'string', enum: ['gone', 'deleted', null], nullable: true })
  disabled_reason!: string | null;

  /**
   * The Standard Webhooks signing secret (`whsec_` + base64). In full only in the answers of
   * create and rotate_secret; elsewhere masked to its last four characters (`whsec_…AbCd`).
   */
  @ApiProperty({ example: 'whsec_…AbCd' })
  secret!: string;

  /** ISO 8601. Until then the secret before the last rotation also signs; null when it no longer does. */
  previous_secret_expires_at!: string | null;

  /** ISO 8601. */
  created!: string;

  /** ISO 8601. */
  updated!: string;
}

/** The answer to deleting an endpoint. */
export class DeletedWebhookEndpoint {
  /** The deleted endpoint's id (`we_…`). */
  id!: string;

  object!: 'webhook_endpoint';

  @ApiProperty({ type: 'boolean', enum: [true] })
  deleted!: true;
}
