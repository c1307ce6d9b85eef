import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { WebhookEventType } from './domain/event-types.js';

/** A billing event, recorded in the same transaction as the change it reports. */
@Entity({ name: 'webhook_events' })
@Index('webhook_events_type', ['merchantId', 'type', 'id'])
export class WebhookEventEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: WebhookEventType;

  /** The object the event is about, as it was when the event happened. */
  @Column({ type: 'jsonb' })
  object!: Record<string, unknown>;

  /** The customer or account concerned, when there is one (for search attributes and filters). */
  @Column({ name: 'payer_id', type: 'text', nullable: true })
  payerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
