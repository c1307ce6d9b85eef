import type { Aggregation, TimeUnit } from '../../metering/domain/aggregation.js';
import { emptyBucket, foldEvents, type UsageEvent } from './bucket.js';
import { isHourAligned, quantityOf, windowState, windowStateFromEvents } from './quantity.js';

const at = (iso: string): Date => new Date(iso);
const WINDOW_START = at('2026-03-01T10:00:00Z');
const WINDOW_END = at('2026-03-01T12:00:00Z');

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

const lasting = (seconds: number, timestamp = '2026-03-01T10:15:00Z'): UsageEvent =>
  usageEvent({
    timestamp: at(timestamp),
    startTime: at(timestamp),
    endTime: new Date(at(timestamp).getTime() + seconds * 1000),
  });

interface Case {
  name: string;
  aggregation: Aggregation;
  timeUnit?: TimeUnit;
  events: UsageEvent[];
  expected: string;
}

const CASES: Case[] = [
  {
    name: 'sum of 1 + 2 + 3.5',
    aggregation: 'sum',
    events: ['1', '2', '3.5'].map((value) => usageEvent({ value })),
    expected: '6.5',
  },
  {
    name: 'sum of 0.1 + 0.2 is exactly 0.3',
    aggregation: 'sum',
    events: ['0.1', '0.2'].map((value) => usageEvent({ value })),
    expected: '0.3',
  },
  {
    name: 'sum of digits beyond 40 significant places stays exact',
    aggregation: 'sum',
    events: [`${'9'.repeat(30)}`, `0.${'0'.repeat(17)}1`].map((value) => usageEvent({ value })),
    expected: `${'9'.repeat(30)}.${'0'.repeat(17)}1`,
  },
  { name: 'sum of nothing', aggregation: 'sum', events: [], expected: '0' },
  {
    name: 'count ignores values',
    aggregation: 'count',
    events: ['5', '7', null].map((value) => usageEvent({ value })),
    expected: '3',
  },
  {
    name: 'count_unique of u1, u2, u1',
    aggregation: 'count_unique',
    events: ['u1', 'u2', 'u1'].map((uniqueValue) => usageEvent({ uniqueValue })),
    expected: '2',
  },
  {
    name: 'average of 10 and 20',
    aggregation: 'average',
    events: ['10', '20'].map((value) => usageEvent({ value })),
    expected: '15',
  },
  {
    name: 'average of 1, 0 and 1 rounds half-up at 18 digits',
    aggregation: 'average',
    events: ['1', '0', '1'].map((value) => usageEvent({ value })),
    expected: '0.666666666666666667',
  },
  {
    name: 'average of 1, 0 and 0',
    aggregation: 'average',
    events: ['1', '0', '0'].map((value) => usageEvent({ value })),
    expected: '0.333333333333333333',
  },
  { name: 'average of nothing', aggregation: 'average', events: [], expected: '0' },
  {
    name: 'time_duration of 60 s and 120 s in minutes',
    aggregation: 'time_duration',
    timeUnit: 'minute',
    events: [lasting(60), lasting(120)],
    expected: '3',
  },
  {
    name: 'time_duration of 90 s in hours',
    aggregation: 'time_duration',
    timeUnit: 'hour',
    events: [lasting(90)],
    expected: '0.025',
  },
  {
    name: 'time_duration of 1 s in hours rounds at 18 digits',
    aggregation: 'time_duration',
    timeUnit: 'hour',
    events: [lasting(1)],
    expected: '0.000277777777777778',
  },
  {
    name: 'time_duration of 1.5 s in seconds',
    aggregation: 'time_duration',
    timeUnit: 'second',
    events: [lasting(1.5)],
    expected: '1.5',
  },
  {
    name: 'time_duration without both times',
    aggregation: 'time_duration',
    events: [usageEvent({ startTime: at('2026-03-01T10:00:00Z') })],
    expected: '0',
  },
  {
    name: 'markup of 1000 at 2.5 % plus 200 at 10 %',
    aggregation: 'markup_percentage',
    events: [
      usageEvent({ value: '1000', markupPercentage: '2.5' }),
      usageEvent({ value: '200', markupPercentage: '10' }),
    ],
    expected: '45',
  },
  {
    name: 'markup without a percentage or value',
    aggregation: 'markup_percentage',
    events: [usageEvent({ value: '1000' }), usageEvent({ markupPercentage: '10' })],
    expected: '0',
  },
];

describe('quantityOf', () => {
  it.each(CASES)('$name → $expected', ({ aggregation, timeUnit, events, expected }) => {
    const fromBuckets = windowState(foldEvents(events), WINDOW_START, WINDOW_END);
    const fromEvents = windowStateFromEvents(events, WINDOW_START, WINDOW_END);
    expect(quantityOf(aggregation, fromBuckets, timeUnit ?? null)).toBe(expected);
    expect(quantityOf(aggregation, fromEvents, timeUnit ?? null)).toBe(expected);
  });

  it('takes a null time unit as seconds', () => {
    expect(quantityOf('time_duration', { ...emptyBucket(), durationMs: '2500' }, null)).toBe('2.5');
  });
});

describe('windows', () => {
  const events = [
    usageEvent({ value: '1', timestamp: at('2026-03-01T09:59:59.999Z') }),
    usageEvent({ value: '2', timestamp: WINDOW_START }),
    usageEvent({ value: '4', timestamp: at('2026-03-01T11:59:59.999Z') }),
    usageEvent({ value: '8', timestamp: WINDOW_END }),
  ];

  it('include the start and exclude the end', () => {
    expect(quantityOf('sum', windowState(foldEvents(events), WINDOW_START, WINDOW_END), null)).toBe('6');
    expect(quantityOf('sum', windowStateFromEvents(events, WINDOW_START, WINDOW_END), null)).toBe('6');
  });

  it('clip durations to the window, wherever the timestamp is', () => {
    const inside = lasting(3 * 3600, '2026-03-01T11:00:00Z');
    const outside = usageEvent({
      timestamp: at('2026-03-01T08:00:00Z'),
      startTime: at('2026-03-01T09:30:00Z'),
      endTime: at('2026-03-01T10:30:00Z'),
    });
    for (const state of [
      windowState(foldEvents([inside, outside]), WINDOW_START, WINDOW_END),
      windowStateFromEvents([inside, outside], WINDOW_START, WINDOW_END),
    ]) {
      expect(quantityOf('time_duration', state, 'minute')).toBe('90');
      expect(quantityOf('count', state, null)).toBe('1');
    }
  });

  it('computes a partial hour exactly from raw events', () => {
    const event = lasting(3600, '2026-03-01T10:00:00Z');
    const state = windowStateFromEvents([event], at('2026-03-01T10:20:00Z'), at('2026-03-01T10:50:00Z'));
    expect(quantityOf('time_duration', state, 'minute')).toBe('30');
    expect(quantityOf('count', state, null)).toBe('0');
  });

  it.each([
    ['2026-03-01T10:00:00.000Z', true],
    ['2026-03-01T10:00:00.001Z', false],
    ['2026-03-01T10:30:00.000Z', false],
    ['1969-12-31T23:00:00.000Z', true],
  ])('isHourAligned(%s) is %s', (iso, aligned) => {
    expect(isHourAligned(at(iso))).toBe(aligned);
  });
});
