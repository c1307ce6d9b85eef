import {
  distinctValues,
  emptyBucket,
  foldEvent,
  foldEvents,
  hourStart,
  isEmptyBucket,
  mergeBucketMaps,
  mergeBuckets,
  negatedBucket,
  type BucketState,
  type UsageEvent,
} from './bucket.js';

const at = (iso: string): Date => new Date(iso);
const hour = (iso: string): number => at(iso).getTime();

function usageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    timestamp: at('2026-03-01T10:15:00Z'),
    value: null,
    uniqueValue: null,
    startTime: null,
    endTime: null,
    markupPercentage: null,
    ...overrides,
  };
}

function bucket(overrides: Partial<BucketState>): BucketState {
  return { ...emptyBucket(), ...overrides };
}

describe('hourStart', () => {
  it.each([
    ['2026-03-01T10:59:59.999Z', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01T00:00:00.001Z', '2026-03-01T00:00:00.000Z'],
    ['1969-12-31T23:30:00.000Z', '1969-12-31T23:00:00.000Z'],
  ])('%s → %s', (date, expected) => {
    expect(hourStart(at(date)).toISOString()).toBe(expected);
  });
});

describe('foldEvent', () => {
  it('puts count, sum, markup and the unique value in the hour of the timestamp', () => {
    const folded = foldEvent(usageEvent({ value: '1000', uniqueValue: 'u1', markupPercentage: '2.5' }));
    expect([...folded]).toEqual([
      [hour('2026-03-01T10:00Z'), bucket({ count: 1, sum: '1000', markupSum: '25', distinct: { u1: 1 } })],
    ]);
  });

  it('counts an event without value or markup as 1 with zero sum and markup', () => {
    expect(foldEvent(usageEvent({ markupPercentage: '10' })).get(hour('2026-03-01T10:00Z'))).toEqual(
      bucket({ count: 1 }),
    );
  });

  it('writes decimals canonically and multiplies markup exactly', () => {
    const folded = foldEvent(usageEvent({ value: '0.10', markupPercentage: '33.3' }));
    expect(folded.get(hour('2026-03-01T10:00Z'))).toEqual(
      bucket({ count: 1, sum: '0.1', markupSum: '0.0333' }),
    );
  });

  it('splits 10:30 to 12:15 into 30, 60 and 15 minutes across hours 10, 11 and 12', () => {
    const folded = foldEvent(
      usageEvent({
        timestamp: at('2026-03-01T10:30:00Z'),
        startTime: at('2026-03-01T10:30:00Z'),
        endTime: at('2026-03-01T12:15:00Z'),
      }),
    );
    expect([...folded].sort(([a], [b]) => a - b)).toEqual([
      [hour('2026-03-01T10:00Z'), bucket({ count: 1, durationMs: String(30 * 60_000) })],
      [hour('2026-03-01T11:00Z'), bucket({ durationMs: String(60 * 60_000) })],
      [hour('2026-03-01T12:00Z'), bucket({ durationMs: String(15 * 60_000) })],
    ]);
  });

  it('puts duration in its own hours even when the timestamp is elsewhere', () => {
    const folded = foldEvent(
      usageEvent({
        timestamp: at('2026-03-01T18:00:00Z'),
        startTime: at('2026-03-01T10:00:00Z'),
        endTime: at('2026-03-01T10:00:01Z'),
      }),
    );
    expect(folded.get(hour('2026-03-01T18:00Z'))).toEqual(bucket({ count: 1 }));
    expect(folded.get(hour('2026-03-01T10:00Z'))).toEqual(bucket({ durationMs: '1000' }));
  });

  it.each<[string, Partial<UsageEvent>]>([
    ['no times', {}],
    ['only a start', { startTime: at('2026-03-01T08:00:00Z') }],
    ['only an end', { endTime: at('2026-03-01T12:00:00Z') }],
    ['an empty interval', { startTime: at('2026-03-01T08:00:00Z'), endTime: at('2026-03-01T08:00:00Z') }],
  ])('gives no duration and no extra bucket for %s', (_name, times) => {
    expect([...foldEvent(usageEvent(times))]).toEqual([[hour('2026-03-01T10:00Z'), bucket({ count: 1 })]]);
  });
});

describe('mergeBuckets', () => {
  it('adds totals and the event counts of each distinct value', () => {
    const a = bucket({ count: 2, sum: '0.1', markupSum: '1', durationMs: '500', distinct: { u1: 1, u3: 1 } });
    const b = bucket({
      count: 1,
      sum: '0.2',
      markupSum: '2.5',
      durationMs: '1500',
      distinct: { u2: 1, u3: 2 },
    });
    expect(mergeBuckets(a, b)).toEqual(
      bucket({
        count: 3,
        sum: '0.3',
        markupSum: '3.5',
        durationMs: '2000',
        distinct: { u1: 1, u2: 1, u3: 3 },
      }),
    );
  });

  it('has emptyBucket as identity', () => {
    const a = bucket({ count: 1, sum: '7', distinct: { x: 1 } });
    expect(mergeBuckets(a, emptyBucket())).toEqual(a);
    expect(mergeBuckets(emptyBucket(), a)).toEqual(a);
  });
});

describe('negatedBucket', () => {
  it('takes a part off a bucket exactly', () => {
    const whole = bucket({
      count: 5,
      sum: '10.25',
      markupSum: '1.5',
      durationMs: '7000',
      distinct: { u1: 1 },
    });
    const part = bucket({ count: 2, sum: '0.25', markupSum: '0.5', durationMs: '2000' });
    expect(mergeBuckets(whole, negatedBucket(part))).toEqual(
      bucket({ count: 3, sum: '10', markupSum: '1', durationMs: '5000', distinct: { u1: 1 } }),
    );
    expect(mergeBuckets(part, negatedBucket(part))).toEqual(emptyBucket());
  });

  it('takes a distinct value out only with the last event carrying it', () => {
    const two = bucket({ count: 2, distinct: { u1: 2 } });
    const one = bucket({ count: 1, distinct: { u1: 1 } });
    const less = mergeBuckets(two, negatedBucket(one));
    expect(less).toEqual(one);
    expect(distinctValues(less)).toEqual(['u1']);
    expect(mergeBuckets(less, negatedBucket(one))).toEqual(emptyBucket());
  });
});

describe('foldEvents and mergeBucketMaps', () => {
  it('gathers events of the same hour into one bucket', () => {
    const events = [
      usageEvent({ value: '1', uniqueValue: 'u1' }),
      usageEvent({ value: '2', uniqueValue: 'u2', timestamp: at('2026-03-01T10:59:59.999Z') }),
      usageEvent({ value: '3.5', uniqueValue: 'u1', timestamp: at('2026-03-01T11:00:00Z') }),
    ];
    const folded = foldEvents(events);
    expect(folded.get(hour('2026-03-01T10:00Z'))).toEqual(
      bucket({ count: 2, sum: '3', distinct: { u1: 1, u2: 1 } }),
    );
    expect(folded.get(hour('2026-03-01T11:00Z'))).toEqual(
      bucket({ count: 1, sum: '3.5', distinct: { u1: 1 } }),
    );
    expect(mergeBucketMaps(foldEvents(events.slice(0, 1)), foldEvents(events.slice(1)))).toEqual(folded);
  });

  it('folds a reversal as the negative of its event, duration included', () => {
    const event = usageEvent({
      value: '2.5',
      uniqueValue: 'u1',
      markupPercentage: '10',
      startTime: at('2026-03-01T09:30:00Z'),
      endTime: at('2026-03-01T10:15:00Z'),
    });
    const reversal = { ...event, sign: -1 as const };
    expect(foldEvent(reversal)).toEqual(
      new Map([...foldEvent(event)].map(([at, state]) => [at, negatedBucket(state)])),
    );
    const net = foldEvents([event, reversal]);
    for (const state of net.values()) expect(isEmptyBucket(state)).toBe(true);
  });

  it('gives no buckets for no events', () => {
    expect(foldEvents([]).size).toBe(0);
  });
});
