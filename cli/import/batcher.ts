import type { SourceRecord } from './records.js';

/** The API's limits for one batch request: 1,000 events, and bodies up to 1 MiB. */
export const MAX_BATCH_EVENTS = 1000;
export const MAX_BATCH_BYTES = 900 * 1024;

export interface Batch {
  /** The records whose events the batch sends, in order: item `index` of the answer is records[index]. */
  records: (SourceRecord & { event: Record<string, unknown> })[];
  /** An estimate of the request body's size. */
  bytes: number;
}

/**
 * An estimate of an event's size in the body, from its text, without serializing it: a CSV row
 * grows by its field names and quotes, and a derived reference adds its 68 characters.
 */
export function estimateBytes(record: SourceRecord & { event: Record<string, unknown> }): number {
  let keys = 0;
  for (const key in record.event) keys += key.length + 6;
  const metadata = record.event.metadata;
  if (metadata && typeof metadata === 'object') for (const key in metadata) keys += key.length + 6;
  return Buffer.byteLength(record.text) + keys + 96;
}

/** Groups records into batches of at most `maxEvents` events and about `maxBytes` of body. */
export class Batcher {
  private current: Batch = { records: [], bytes: 0 };

  constructor(
    private readonly maxEvents = MAX_BATCH_EVENTS,
    private readonly maxBytes = MAX_BATCH_BYTES,
  ) {}

  /** Adds a record; answers the batch that is now full (to send), if any. */
  add(record: SourceRecord & { event: Record<string, unknown> }): Batch | undefined {
    const bytes = estimateBytes(record);
    let full: Batch | undefined;
    if (this.current.records.length > 0 && this.current.bytes + bytes > this.maxBytes) full = this.take();
    this.current.records.push(record);
    this.current.bytes += bytes;
    if (!full && this.current.records.length >= this.maxEvents) full = this.take();
    return full;
  }

  /** The batch being filled, if it holds anything (at the end of the input). */
  flush(): Batch | undefined {
    return this.current.records.length > 0 ? this.take() : undefined;
  }

  private take(): Batch {
    const batch = this.current;
    this.current = { records: [], bytes: 0 };
    return batch;
  }
}
