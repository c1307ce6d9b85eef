import { Batcher, estimateBytes } from './batcher.js';

const record = (line: number, text = `{"n":${line}}`) => ({ line, text, event: { n: line } });

describe('Batcher', () => {
  it('answers a batch each time it holds maxEvents events, and the rest at flush', () => {
    const batcher = new Batcher(3, 1_000_000);
    const full = [1, 2, 3, 4, 5, 6, 7].map((n) => batcher.add(record(n))).filter(Boolean);
    expect(full.map((batch) => batch!.records.map((r) => r.line))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(batcher.flush()!.records.map((r) => r.line)).toEqual([7]);
    expect(batcher.flush()).toBeUndefined();
  });

  it('starts a new batch before the body would pass maxBytes', () => {
    const size = estimateBytes(record(1, 'x'.repeat(100)));
    const batcher = new Batcher(1000, size * 2 + 1);
    const out = [1, 2, 3, 4, 5].map((n) => batcher.add(record(n, 'x'.repeat(100)))).filter(Boolean);
    expect(out.map((batch) => batch!.records.length)).toEqual([2, 2]);
    expect(batcher.flush()!.records.length).toBe(1);
  });

  it('sends an event larger than maxBytes alone', () => {
    const batcher = new Batcher(1000, 10);
    expect(batcher.add(record(1))).toBeUndefined();
    expect(batcher.add(record(2))!.records.map((r) => r.line)).toEqual([1]);
  });
});
