import { Batcher, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, type Batch } from './batcher.js';
import type { SourceRecord } from './records.js';
import { withReference } from './reference.js';
import type { RejectedSink } from './rejected.js';

/** What the batch route answers (BillingMetricEventBatchResult), as far as the import reads it. */
export interface BatchAnswer {
  data: { index: number; status: string; error?: { code: string; message: string } }[];
}

export type SendBatch = (events: Record<string, unknown>[]) => Promise<BatchAnswer>;

/**
 * What a failed batch request means: `fatal` stops the import (the API cannot take anything now:
 * a bad key, the server gone after the SDK's retries); otherwise the batch's events are rejected
 * with `code`, and the import goes on.
 */
export type ErrorVerdict = { fatal: true; message: string } | { fatal: false; code: string; message: string };

export interface ImportState {
  /** Records read from the input (events and unparsable lines). */
  read: number;
  /** Events the API answered (created, duplicate or rejected by it). */
  sent: number;
  created: number;
  duplicates: number;
  /** Lines rejected, locally or by the API. */
  rejected: number;
}

export interface ImportSummary extends ImportState {
  elapsedMs: number;
  /** Events answered a second (sent / elapsed). */
  eventsPerSecond: number;
  /** Stopped by the signal (Ctrl-C) before the end of the input. */
  interrupted: boolean;
  /** Why the import stopped early on an API failure. */
  error?: string;
}

export interface ImportOptions {
  records: AsyncIterable<SourceRecord>;
  send: SendBatch;
  judge: (error: unknown) => ErrorVerdict;
  rejected: RejectedSink;
  /** Batches in flight at once. */
  concurrency: number;
  maxEvents?: number;
  maxBytes?: number;
  /** Aborting stops reading; batches in flight are still awaited and counted. */
  signal?: AbortSignal;
  onProgress?: (state: Readonly<ImportState>) => void;
  now?: () => number;
}

const ABORTED = Symbol('aborted');

/**
 * Streams records into batches and sends them, `concurrency` at a time (reading waits while the
 * window is full, so memory stays bounded whatever the file's size). Events without a reference
 * get a derived one (reference.ts), so rerunning an import sends everything again and the API
 * stores nothing twice. Rejected lines, local or answered, go to `rejected` as they come.
 */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const state: ImportState = { read: 0, sent: 0, created: 0, duplicates: 0, rejected: 0 };
  const batcher = new Batcher(options.maxEvents ?? MAX_BATCH_EVENTS, options.maxBytes ?? MAX_BATCH_BYTES);
  const inFlight = new Set<Promise<void>>();
  let fatal: string | undefined;
  let writes = Promise.resolve();
  const reject = (line: number, input: string, code: string, message: string) => {
    state.rejected += 1;
    writes = writes.then(() => options.rejected.write({ line, code, message, input }));
    return writes;
  };

  const answered = async (batch: Batch, answer: BatchAnswer) => {
    const seen = new Set<number>();
    for (const item of answer.data) {
      const record = batch.records[item.index];
      if (!record || seen.has(item.index)) continue;
      seen.add(item.index);
      if (item.status === 'created') state.created += 1;
      else if (item.status === 'duplicate') state.duplicates += 1;
      else
        void reject(
          record.line,
          record.text,
          item.error?.code ?? 'rejected',
          item.error?.message ?? 'rejected by the API',
        );
    }
    // An answer is one item per event; an event it left out was not stored.
    batch.records.forEach((record, index) => {
      if (!seen.has(index))
        void reject(record.line, record.text, 'no_answer', 'the API answered no item for it');
    });
    state.sent += batch.records.length;
  };

  const dispatch = async (batch: Batch) => {
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (fatal) return;
    const request = options
      .send(batch.records.map((record) => record.event))
      .then(
        (answer) => answered(batch, answer),
        (error: unknown) => {
          const verdict = options.judge(error);
          if (verdict.fatal) {
            fatal ??= verdict.message;
            return;
          }
          for (const record of batch.records)
            void reject(record.line, record.text, verdict.code, verdict.message);
          state.sent += batch.records.length;
        },
      )
      .then(() => {
        inFlight.delete(request);
        options.onProgress?.(state);
      });
    inFlight.add(request);
  };

  const signal = options.signal;
  // The read in progress answers ABORTED as soon as the signal fires (a pipe may never send more).
  // One settling promise per read: racing every read against one never-settling promise would
  // keep each record alive through that promise's reactions.
  let wake: ((value: typeof ABORTED) => void) | undefined;
  const onAbort = () => wake?.(ABORTED);
  signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = options.records[Symbol.asyncIterator]();
  const read = () =>
    new Promise<IteratorResult<SourceRecord> | typeof ABORTED>((resolve, rejectRead) => {
      if (signal?.aborted) return resolve(ABORTED);
      wake = resolve;
      iterator.next().then(resolve, rejectRead);
    });
  let interrupted = false;
  try {
    for (;;) {
      if (fatal) break;
      const next = await read();
      wake = undefined;
      if (next === ABORTED) {
        interrupted = true;
        break;
      }
      if (next.done) break;
      const record = next.value;
      state.read += 1;
      if (record.problem || !record.event) {
        await reject(
          record.line,
          record.text,
          record.problem?.code ?? 'line_unparsable',
          record.problem?.message ?? 'no event',
        );
        continue;
      }
      const full = batcher.add({ ...record, event: withReference(record.event) });
      if (full) await dispatch(full);
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
    }
    if (!interrupted && !fatal) {
      const last = batcher.flush();
      if (last) await dispatch(last);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(inFlight);
    // Stop the reader (closes the file) without waiting on input that may never come (stdin).
    void iterator.return?.().catch(() => undefined);
    await writes;
  }
  const elapsedMs = Math.max(1, now() - started);
  return {
    ...state,
    elapsedMs,
    eventsPerSecond: Math.round((state.sent / elapsedMs) * 1000),
    interrupted,
    ...(fatal !== undefined && { error: fatal }),
  };
}
