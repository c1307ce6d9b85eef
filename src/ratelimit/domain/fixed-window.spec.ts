import fc from 'fast-check';
import { admit, reported, WINDOW_MS, type WindowCount } from './fixed-window.js';

describe('fixed-window admission', () => {
  const at = 1_800_000_000_000;

  it.each<[string, WindowCount | undefined, number, number, boolean]>([
    ['a first request', undefined, 10, 1, true],
    ['the last unit of room', { windowStart: at, known: 6, pending: 3 }, 10, 1, true],
    ['one past the limit', { windowStart: at, known: 6, pending: 4 }, 10, 1, false],
    ['a batch that does not fit', { windowStart: at, known: 0, pending: 5 }, 10, 6, false],
    ['a batch over the whole limit into an empty window', undefined, 10, 50, true],
    [
      'a batch over the whole limit into a used window',
      { windowStart: at, known: 1, pending: 0 },
      10,
      50,
      false,
    ],
    ['a full window that has passed', { windowStart: at - WINDOW_MS, known: 10, pending: 0 }, 10, 1, true],
  ])('%s', (_label, current, limit, cost, expected) => {
    expect(admit(current, at + 250, limit, cost).admitted).toBe(expected);
  });

  it('tells a refused client to wait until the window ends, at least a second', () => {
    const full = { windowStart: at, known: 10, pending: 0 };
    expect(admit(full, at + 10, 10, 1).retryAfterSeconds).toBe(1);
    expect(admit(full, at + 999, 10, 1).retryAfterSeconds).toBe(1);
  });

  it('never admits more than the limit in a window, whatever the costs (one process)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.integer({ min: 1, max: 100 })),
        (limit, costs) => {
          let count: WindowCount | undefined;
          let admitted = 0;
          for (const cost of costs) {
            const answer = admit(count, at, limit, cost);
            count = answer.count;
            if (answer.admitted) admitted += cost;
          }
          return admitted <= limit || costs.filter((cost) => cost > limit).length > 0;
        },
      ),
    );
  });

  it('keeps what was admitted during a report as still pending', () => {
    const count = { windowStart: at, known: 2, pending: 7 };
    expect(reported(count, 5, 20)).toEqual({ windowStart: at, known: 20, pending: 2 });
  });
});
