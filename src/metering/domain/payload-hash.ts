import { createHash } from 'node:crypto';
import type { AcceptedEvent } from './event-input.js';

/**
 * A digest of what the client said about an event, to tell a faithful replay from one that
 * reuses a reference for different usage. A left-out timestamp is not part of it: it
 * defaults to receipt time, which differs between a request and its retry.
 */
export function payloadHash(event: AcceptedEvent): Buffer {
  const { shape } = event;
  const canonical = JSON.stringify([
    shape.payer.kind,
    shape.payer.id,
    shape.eventName,
    event.value ?? event.uniqueValue,
    shape.timestamp?.toISOString() ?? null,
    shape.startTime?.toISOString() ?? null,
    shape.endTime?.toISOString() ?? null,
    event.markupPercentage,
    Object.entries(shape.metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);
  return createHash('sha256').update(canonical).digest();
}
