import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One HTTP request to a receiver: what it answered, how long it took, or what went wrong. */
@Entity({ name: 'webhook_delivery_attempts' })
@Index('webhook_delivery_attempts_event', ['merchantId', 'eventId', 'id'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'endpoint_id', type: 'text' })
  endpointId!: string;

  /** 1 for the first attempt of this event at this endpoint, counting redeliveries on. */
  @Column({ type: 'int' })
  attempt!: number;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'boolean' })
  succeeded!: boolean;
}
