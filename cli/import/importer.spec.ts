import { runImport, type BatchAnswer, type ErrorVerdict } from './importer.js';
import type { SourceRecord } from './records.js';
import { MemoryRejected } from './rejected.js';

async function* records(items: SourceRecord[]): AsyncGenerator<SourceRecord> {
  for (const item of items) yield item;
}

const events = (count: number, from = 1): SourceRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    line: from + i,
    text: `{"n":${from + i}}`,
    event: { event_name: 'e', reference: `r${from + i}` },
  }));

/** A fake batch route: stores references once, rejects events named "bad". */
function fakeApi(options: { delayMs?: number } = {}) {
  const stored = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;
  const batches: number[] = [];
  const send = async (batch: Record<string, unknown>[]): Promise<BatchAnswer> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    batches.push(batch.length);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1));
    inFlight -= 1;
    return {
      data: batch.map((event, index) => {
        if (event.event_name === 'bad')
          return { index, status: 'rejected', error: { code: 'unknown_event_name', message: 'no metric' } };
        const reference = String(event.reference);
        if (stored.has(reference)) return { index, status: 'duplicate' };
        stored.add(reference);
        return { index, status: 'created' };
      }),
    };
  };
  return { send, stored, batches, maxInFlight: () => maxInFlight };
}

const judge = (error: unknown): ErrorVerdict =>
  (error as Error).message === 'fatal'
    ? { fatal: true, message: 'the API is gone' }
    : { fatal: false, code: 'request_failed', message: (error as Error).message };

describe('runImport', () => {
  it('sends every event in batches, a few in flight, and counts the answers', async () => {
    const api = fakeApi({ delayMs: 5 });
    const rejected = new MemoryRejected();
    const summary = await runImport({
      records: records(events(2500)),
      send: api.send,
      judge,
      rejected,
      concurrency: 3,
    });
    expect(api.batches).toEqual([1000, 1000, 500]);
    expect(api.maxInFlight()).toBeLessThanOrEqual(3);
    expect(summary).toMatchObject({
      read: 2500,
      sent: 2500,
      created: 2500,
      duplicates: 0,
      rejected: 0,
      interrupted: false,
    });
    expect(summary.error).toBeUndefined();
  });

  it('a rerun of the same input stores nothing twice, with or without references', async () => {
    const api = fakeApi();
    const input = (): SourceRecord[] => [
      ...events(3),
      { line: 4, text: 'a', event: { event_name: 'e', value: '1' } },
      { line: 5, text: 'b', event: { event_name: 'e', value: '2' } },
    ];
    const first = await runImport({
      records: records(input()),
      send: api.send,
      judge,
      rejected: new MemoryRejected(),
      concurrency: 2,
    });
    const second = await runImport({
      records: records(input()),
      send: api.send,
      judge,
      rejected: new MemoryRejected(),
      concurrency: 2,
    });
    expect(first).toMatchObject({ created: 5, duplicates: 0 });
    expect(second).toMatchObject({ created: 0, duplicates: 5 });
    expect(api.stored.size).toBe(5);
  });

  it('writes local and answered rejections with their lines, codes and text', async () => {
    const api = fakeApi();
    const rejected = new MemoryRejected();
    const summary = await runImport({
      records: records([
        ...events(2),
        { line: 3, text: '{oops', problem: { code: 'line_unparsable', message: 'not JSON' } },
        { line: 4, text: '{"event_name":"bad"}', event: { event_name: 'bad', reference: 'x' } },
      ]),
      send: api.send,
      judge,
      rejected,
      concurrency: 1,
    });
    expect(summary).toMatchObject({ read: 4, sent: 3, created: 2, rejected: 2 });
    expect(rejected.lines).toEqual([
      { line: 3, code: 'line_unparsable', message: 'not JSON', input: '{oops' },
      { line: 4, code: 'unknown_event_name', message: 'no metric', input: '{"event_name":"bad"}' },
    ]);
  });

  it('rejects the lines of a batch the API refused as a whole, and goes on', async () => {
    const api = fakeApi();
    let calls = 0;
    const rejected = new MemoryRejected();
    const summary = await runImport({
      records: records(events(5)),
      send: async (batch) => {
        calls += 1;
        if (calls === 1) throw new Error('payload_too_large');
        return api.send(batch);
      },
      judge,
      rejected,
      concurrency: 1,
      maxEvents: 2,
    });
    expect(summary).toMatchObject({ sent: 5, created: 3, rejected: 2 });
    expect(rejected.lines.map((l) => [l.line, l.code])).toEqual([
      [1, 'request_failed'],
      [2, 'request_failed'],
    ]);
  });

  it('stops on a fatal failure, reporting it', async () => {
    let calls = 0;
    const summary = await runImport({
      records: records(events(10)),
      send: async () => {
        calls += 1;
        throw new Error('fatal');
      },
      judge,
      rejected: new MemoryRejected(),
      concurrency: 1,
      maxEvents: 2,
    });
    expect(summary.error).toBe('the API is gone');
    expect(calls).toBe(1);
    expect(summary.sent).toBe(0);
  });

  it('on abort stops reading, waits for the batches in flight and reports an interruption', async () => {
    const api = fakeApi({ delayMs: 20 });
    const controller = new AbortController();
    let read = 0;
    async function* endless(): AsyncGenerator<SourceRecord> {
      for (let line = 1; ; line += 1) {
        read += 1;
        if (line === 2500) controller.abort();
        yield { line, text: '', event: { event_name: 'e', reference: `r${line}` } };
      }
    }
    const summary = await runImport({
      records: endless(),
      send: api.send,
      judge,
      rejected: new MemoryRejected(),
      concurrency: 4,
      signal: controller.signal,
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.sent).toBe(2000);
    expect(summary.created).toBe(2000);
    expect(read).toBeLessThan(2600);
  });

  it('an abort while the reader waits (a quiet pipe) ends at once', async () => {
    const controller = new AbortController();
    async function* quiet(): AsyncGenerator<SourceRecord> {
      yield* events(1);
      await new Promise(() => undefined);
    }
    setTimeout(() => controller.abort(), 20);
    const summary = await runImport({
      records: quiet(),
      send: fakeApi().send,
      judge,
      rejected: new MemoryRejected(),
      concurrency: 1,
      signal: controller.signal,
    });
    expect(summary).toMatchObject({ read: 1, sent: 0, interrupted: true });
  });
});
