import { etaSeconds, formatDuration, progressLine } from './progress.js';

describe('import progress', () => {
  it('estimates the time left from the share of bytes read', () => {
    expect(etaSeconds(10_000, 250, 1000)).toBe(30);
    expect(etaSeconds(10_000, 1000, 1000)).toBe(0);
    expect(etaSeconds(10_000, 10, undefined)).toBeNaN();
  });

  it('formats durations and a plain progress line', () => {
    expect([
      formatDuration(5),
      formatDuration(125),
      formatDuration(7300),
      formatDuration(Number.NaN),
    ]).toEqual(['5s', '2m05s', '2h01m', '?']);
    expect(
      progressLine({ read: 5000, sent: 4000, created: 3990, duplicates: 0, rejected: 10 }, 2000, 500, 1000),
    ).toBe('imported 4,000 events (2,000 events/s), 10 rejected, ETA 2s');
  });
});
