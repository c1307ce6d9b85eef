import fc from 'fast-check';
import type { Problem } from '../../common/errors/problems.js';
import { canonicalDecimal } from '../../common/money/decimal.js';
import { AGGREGATIONS, type Aggregation, valueRule } from './aggregation.js';
import {
  type AcceptedEvent,
  checkEventForMetric,
  checkEventShape,
  type Checked,
  EVENT_FIELDS,
  type EventShape,
  FUTURE_TOLERANCE_MS,
  MAX_MARKUP_PERCENTAGE,
  MAX_REFERENCE_LENGTH,
} from './event-input.js';

const NOW = new Date('2026-11-24T18:00:00.000Z');
const BASE = { customer: 'cus_1', event_name: 'api_calls', reference: 'ref_1' };
const METRIC_ID = 'bm_1';

function problemsOf<T>(result: Checked<T>): Problem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.value)}`);
  return result.problems;
}

function valueOf<T>(result: Checked<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.problems)}`);
  return result.value;
}

/** [code, param] of each problem, sorted, to compare sets of problems. */
const codes = (problems: Problem[]): [string, string | undefined][] =>
  problems
    .map((p): [string, string | undefined] => [p.code, p.param])
    .sort((a, b) => (a.join() < b.join() ? -1 : 1));

const shapeProblems = (body: unknown, now = NOW) => codes(problemsOf(checkEventShape(body, now)));
const shapeOf = (body: Record<string, unknown>, now = NOW): EventShape =>
  valueOf(checkEventShape({ ...BASE, ...body }, now));
const forMetric = (body: Record<string, unknown>, aggregation: Aggregation): Checked<AcceptedEvent> =>
  checkEventForMetric(shapeOf(body), { id: METRIC_ID, aggregation });

const manyKeys = (n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`key_${i}`, 'v']));
const at = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();

describe('checkEventShape', () => {
  it('accepts a minimal event and resolves its fields', () => {
    const result = checkEventShape(BASE, NOW);
    expect(result).toEqual({
      ok: true,
      warnings: [],
      value: {
        payer: { kind: 'customer', id: 'cus_1' },
        eventName: 'api_calls',
        reference: 'ref_1',
        rawValue: undefined,
        timestamp: null,
        startTime: null,
        endTime: null,
        rawMarkupPercentage: undefined,
        metadata: {},
      },
    });
  });

  it('accepts an event with every field', () => {
    const body = {
      account: 'acct_1',
      event_name: 'gpu_time',
      reference: 'ref_full',
      value: '1.50',
      timestamp: '2026-11-24T17:00:00Z',
      start_time: '2026-11-24T16:00:00Z',
      end_time: '2026-11-24T16:30:00Z',
      markup_percentage: 12.5,
      metadata: { region: 'eu' },
    };
    expect(Object.keys(body).sort()).toEqual(EVENT_FIELDS.filter((f) => f !== 'customer').sort());
    expect(valueOf(checkEventShape(body, NOW))).toEqual({
      payer: { kind: 'account', id: 'acct_1' },
      eventName: 'gpu_time',
      reference: 'ref_full',
      rawValue: '1.50',
      timestamp: new Date('2026-11-24T17:00:00Z'),
      startTime: new Date('2026-11-24T16:00:00Z'),
      endTime: new Date('2026-11-24T16:30:00Z'),
      rawMarkupPercentage: 12.5,
      metadata: { region: 'eu' },
    });
  });

  describe('the body', () => {
    it.each<[string, unknown]>([
      ['null', null],
      ['undefined', undefined],
      ['a string', 'customer=cus_1'],
      ['a number', 42],
      ['a boolean', true],
      ['an empty array', []],
      ['an array of events', [BASE]],
    ])('rejects %s as not an object', (_label, body) => {
      const problems = problemsOf(checkEventShape(body, NOW));
      expect(problems).toEqual([{ code: 'parameter_invalid', message: expect.stringMatching(/object/) }]);
    });

    it.each<[string, Record<string, unknown>, string[]]>([
      ['one unknown field', { amount: 5 }, ['amount']],
      ['two unknown fields', { amount: 5, quantity: 1 }, ['amount', 'quantity']],
      ['a mis-cased known field', { Reference: 'ref_2' }, ['Reference']],
      ['an unknown field set to null', { user: null }, ['user']],
    ])('reports %s as parameter_unknown', (_label, extra, params) => {
      expect(shapeProblems({ ...BASE, ...extra })).toEqual(params.map((p) => ['parameter_unknown', p]));
    });
  });

  describe('the payer', () => {
    it.each<[string, Record<string, unknown>, 'customer' | 'account', string]>([
      ['a customer', { customer: 'cus_1' }, 'customer', 'cus_1'],
      ['an account', { account: 'acct_1' }, 'account', 'acct_1'],
      ['an account with a null customer', { customer: null, account: 'acct_1' }, 'account', 'acct_1'],
      ['a customer with a null account', { customer: 'cus_1', account: null }, 'customer', 'cus_1'],
    ])('accepts %s', (_label, payer, kind, id) => {
      const body = { event_name: 'api_calls', reference: 'ref_1', ...payer };
      expect(valueOf(checkEventShape(body, NOW)).payer).toEqual({ kind, id });
    });

    it.each<[string, Record<string, unknown>, string, string]>([
      ['neither customer nor account', {}, 'payer_required', 'customer'],
      ['both null', { customer: null, account: null }, 'payer_required', 'customer'],
      ['both customer and account', { customer: 'cus_1', account: 'acct_1' }, 'payer_conflict', 'account'],
      ['a numeric customer', { customer: 42 }, 'parameter_invalid', 'customer'],
      ['an object customer', { customer: { id: 'cus_1' } }, 'parameter_invalid', 'customer'],
      ['a boolean account', { account: true }, 'parameter_invalid', 'account'],
      ['an array account', { account: ['acct_1'] }, 'parameter_invalid', 'account'],
    ])('rejects %s with %s', (_label, payer, code, param) => {
      const body = { event_name: 'api_calls', reference: 'ref_1', ...payer };
      expect(shapeProblems(body)).toEqual([[code, param]]);
    });
  });

  describe.each(['event_name', 'reference'])('%s', (field) => {
    it.each<[string, unknown, string]>([
      ['a 1-character string', 'a', 'a'],
      ['a 255-character string', 'r'.repeat(255), 'r'.repeat(255)],
      ['text with spaces and unicode', 'api calls – é', 'api calls – é'],
    ])('accepts %s', (_label, value, expected) => {
      const shape = shapeOf({ [field]: value });
      expect(field === 'event_name' ? shape.eventName : shape.reference).toBe(expected);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['left out', { [field]: undefined }, 'parameter_missing'],
      ['null', { [field]: null }, 'parameter_missing'],
      ['the empty string', { [field]: '' }, 'parameter_missing'],
      ['256 characters', { [field]: 'r'.repeat(256) }, 'parameter_invalid'],
      ['a number', { [field]: 42 }, 'parameter_invalid'],
      ['a boolean', { [field]: true }, 'parameter_invalid'],
      ['an object', { [field]: { id: 'x' } }, 'parameter_invalid'],
      ['an array', { [field]: ['x'] }, 'parameter_invalid'],
    ])('rejects %s with %s', (_label, override, code) => {
      expect(shapeProblems({ ...BASE, ...override })).toEqual([[code, field]]);
    });
  });

  it('limits reference to exactly 255 characters', () => {
    expect(MAX_REFERENCE_LENGTH).toBe(255);
    expect(shapeOf({ reference: 'r'.repeat(255) }).reference).toHaveLength(255);
    expect(shapeProblems({ ...BASE, reference: 'r'.repeat(256) })).toEqual([
      ['parameter_invalid', 'reference'],
    ]);
  });

  describe('timestamp', () => {
    it.each<[string, string]>([
      ['2026-11-24T17:00:00Z', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T17:00:00.123Z', '2026-11-24T17:00:00.123Z'],
      ['2026-11-24T17:00Z', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T18:00:00+01:00', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T12:00:00-05:00', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T22:30:00+05:30', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T18:00:00+0100', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T17:00:00+00:00', '2026-11-24T17:00:00.000Z'],
      ['2026-11-24T17:00:00.5Z', '2026-11-24T17:00:00.500Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
      ['2001-01-01T00:00:00Z', '2001-01-01T00:00:00.000Z'],
    ])('accepts %p as %s', (input, iso) => {
      expect(shapeOf({ timestamp: input }).timestamp?.toISOString()).toBe(iso);
    });

    it.each([undefined, null])('leaves a %p timestamp to default to receipt time (null)', (timestamp) => {
      expect(shapeOf({ timestamp }).timestamp).toBeNull();
    });

    it.each<[string, unknown]>([
      ['a date without a time', '2026-11-24'],
      ['a date-time without a zone', '2026-11-24T17:00:00'],
      ['a date-time with milliseconds but no zone', '2026-11-24T17:00:00.000'],
      ['a word', 'yesterday'],
      ['the empty string', ''],
      ['an RFC 2822 date', 'Tue, 24 Nov 2026 17:00:00 GMT'],
      ['a month 13', '2026-13-01T00:00:00Z'],
      ['an hour 25', '2026-11-24T25:00:00Z'],
      ['a minute 60', '2026-11-24T17:60:00Z'],
      ['a zone name', '2026-11-24T17:00:00 UTC'],
      ['February 30', '2026-02-30T00:00:00Z'],
      ['April 31', '2026-04-31T00:00:00Z'],
      ['February 29 of a common year', '2026-02-29T00:00:00Z'],
      ['epoch milliseconds', NOW.getTime() - 60_000],
      ['epoch seconds', Math.floor(NOW.getTime() / 1000) - 60],
      ['a boolean', true],
      ['an object', { iso: '2026-11-24T17:00:00Z' }],
      ['an array', ['2026-11-24T17:00:00Z']],
    ])('rejects %s', (_label, timestamp) => {
      expect(shapeProblems({ ...BASE, timestamp })).toEqual([['parameter_invalid', 'timestamp']]);
    });

    it.each<[string, string]>([
      ['now', at(0)],
      ['1 minute ahead', at(60_000)],
      ['exactly 5 minutes ahead', at(5 * 60_000)],
      ['exactly 5 minutes ahead, written with an offset', '2026-11-24T19:05:00+01:00'],
      ['1 second ago', at(-1000)],
      ['a year ago', at(-365 * 24 * 3600_000)],
    ])('accepts a timestamp %s', (_label, timestamp) => {
      expect(shapeOf({ timestamp }).timestamp).toEqual(new Date(timestamp));
    });

    it.each<[string, string]>([
      ['5 minutes and 1 ms ahead', at(5 * 60_000 + 1)],
      ['6 minutes ahead', at(6 * 60_000)],
      ['a day ahead', at(24 * 3600_000)],
      ['5 minutes and 1 second ahead, written with an offset', '2026-11-24T19:05:01+01:00'],
    ])('rejects a timestamp %s with timestamp_in_future', (_label, timestamp) => {
      expect(FUTURE_TOLERANCE_MS).toBe(5 * 60_000);
      expect(shapeProblems({ ...BASE, timestamp })).toEqual([['timestamp_in_future', 'timestamp']]);
    });

    it('measures the future from the given now', () => {
      const timestamp = at(10 * 60_000);
      expect(shapeProblems({ ...BASE, timestamp })).toEqual([['timestamp_in_future', 'timestamp']]);
      expect(shapeOf({ timestamp }, new Date(NOW.getTime() + 6 * 60_000)).timestamp).toEqual(
        new Date(timestamp),
      );
    });
  });

  describe.each(['start_time', 'end_time'])('%s', (field) => {
    it.each<[string, unknown]>([
      ['a date-time without a zone', '2026-11-24T17:00:00'],
      ['a date', '2026-11-24'],
      ['a word', 'soon'],
      ['a number', NOW.getTime()],
      ['a boolean', false],
    ])('rejects %s', (_label, value) => {
      expect(shapeProblems({ ...BASE, [field]: value })).toEqual([['parameter_invalid', field]]);
    });

    it('accepts an ISO date-time with an offset', () => {
      const shape = shapeOf({ [field]: '2026-11-24T18:00:00+01:00' });
      expect(field === 'start_time' ? shape.startTime : shape.endTime).toEqual(
        new Date('2026-11-24T17:00:00Z'),
      );
    });
  });

  describe('the interval', () => {
    it.each<[string, Record<string, unknown>]>([
      ['end after start', { start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T17:00:00Z' }],
      ['end equal to start', { start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T16:00:00Z' }],
      [
        'the same instant in two zones',
        { start_time: '2026-11-24T17:00:00+01:00', end_time: '2026-11-24T16:00:00Z' },
      ],
      ['only a start', { start_time: '2026-11-24T16:00:00Z' }],
      ['only an end', { end_time: '2026-11-24T16:00:00Z' }],
    ])('accepts %s', (_label, interval) => {
      expect(checkEventShape({ ...BASE, ...interval }, NOW).ok).toBe(true);
    });

    it.each<[string, Record<string, unknown>]>([
      ['end an hour before start', { start_time: '2026-11-24T17:00:00Z', end_time: '2026-11-24T16:00:00Z' }],
      [
        'end 1 ms before start',
        { start_time: '2026-11-24T17:00:00.001Z', end_time: '2026-11-24T17:00:00.000Z' },
      ],
      [
        'end before start across zones',
        { start_time: '2026-11-24T17:00:00Z', end_time: '2026-11-24T17:30:00+01:00' },
      ],
    ])('rejects %s with invalid_interval', (_label, interval) => {
      expect(shapeProblems({ ...BASE, ...interval })).toEqual([['invalid_interval', 'end_time']]);
    });
  });

  describe('metadata', () => {
    it.each<[string, unknown, Record<string, string>]>([
      ['left out', undefined, {}],
      ['null', null, {}],
      ['empty', {}, {}],
      ['string values', { plan: 'pro', region: 'eu' }, { plan: 'pro', region: 'eu' }],
      ['50 keys', manyKeys(50), manyKeys(50)],
      [
        'a 40-character key and a 500-character value',
        { ['k'.repeat(40)]: 'v'.repeat(500) },
        { ['k'.repeat(40)]: 'v'.repeat(500) },
      ],
    ])('accepts %s', (_label, metadata, expected) => {
      expect(shapeOf({ metadata }).metadata).toEqual(expected);
    });

    it.each<[string, unknown]>([
      ['an array', ['plan', 'pro']],
      ['a string', 'plan=pro'],
      ['a number', 7],
      ['a number value', { count: 3 }],
      ['a null value', { gone: null }],
      ['a nested object', { nested: { a: 'b' } }],
      ['51 keys', manyKeys(51)],
      ['a 41-character key', { ['k'.repeat(41)]: 'v' }],
      ['an empty key', { '': 'v' }],
      ['a 501-character value', { note: 'v'.repeat(501) }],
    ])('rejects %s', (_label, metadata) => {
      expect(shapeProblems({ ...BASE, metadata })).toEqual([['parameter_invalid', 'metadata']]);
    });
  });

  describe('reports every problem at once', () => {
    it.each<[string, Record<string, unknown>, [string, string][]]>([
      [
        'an empty body',
        {},
        [
          ['parameter_missing', 'event_name'],
          ['parameter_missing', 'reference'],
          ['payer_required', 'customer'],
        ],
      ],
      [
        'two payers, no event_name, an unknown field',
        { customer: 'cus_1', account: 'acct_1', reference: 'ref_1', extra: true },
        [
          ['parameter_missing', 'event_name'],
          ['parameter_unknown', 'extra'],
          ['payer_conflict', 'account'],
        ],
      ],
      [
        'a future timestamp, a reversed interval and bad metadata',
        {
          ...BASE,
          timestamp: at(3600_000),
          start_time: '2026-11-24T17:00:00Z',
          end_time: '2026-11-24T16:00:00Z',
          metadata: { n: 1 },
        },
        [
          ['invalid_interval', 'end_time'],
          ['parameter_invalid', 'metadata'],
          ['timestamp_in_future', 'timestamp'],
        ],
      ],
      [
        'everything wrong',
        {
          foo: 1,
          customer: 5,
          event_name: 7,
          reference: 'r'.repeat(256),
          timestamp: 'later',
          start_time: 'soon',
          end_time: '2026-11-24T17:00:00',
          metadata: [],
        },
        [
          ['parameter_invalid', 'customer'],
          ['parameter_invalid', 'end_time'],
          ['parameter_invalid', 'event_name'],
          ['parameter_invalid', 'metadata'],
          ['parameter_invalid', 'reference'],
          ['parameter_invalid', 'start_time'],
          ['parameter_invalid', 'timestamp'],
          ['parameter_unknown', 'foo'],
        ],
      ],
    ])('%s', (_label, body, expected) => {
      const problems = problemsOf(checkEventShape(body, NOW));
      expect(codes(problems)).toEqual(expected);
      for (const problem of problems) expect(problem.message).toEqual(expect.any(String));
    });
  });
});

describe('checkEventForMetric', () => {
  const DECIMAL_KINDS: Aggregation[] = ['sum', 'average', 'markup_percentage'];
  /** Markup metrics also need markup_percentage; give it so only `value` is under test. */
  const withMarkup = (aggregation: Aggregation, body: Record<string, unknown>) =>
    aggregation === 'markup_percentage' ? { markup_percentage: 10, ...body } : body;

  describe.each(DECIMAL_KINDS)('a %s metric', (aggregation) => {
    it.each<[string, unknown, string]>([
      ['a decimal string', '1.5', '1.5'],
      ['a decimal string with trailing zeros', '0.10', '0.1'],
      ['a decimal string with leading zeros', '007', '7'],
      ['a number', 0.1, '0.1'],
      ['an integer', 42, '42'],
      ['zero', 0, '0'],
      ['a tiny number', 1e-7, '0.0000001'],
      ['a 20-digit string', '12345678901234567890', '12345678901234567890'],
      ['18 fraction digits', `0.${'0'.repeat(17)}1`, `0.${'0'.repeat(17)}1`],
    ])('accepts %s as exact canonical text', (_label, value, expected) => {
      const accepted = valueOf(forMetric(withMarkup(aggregation, { value }), aggregation));
      expect(accepted.value).toBe(expected);
      expect(accepted.uniqueValue).toBeNull();
      expect(accepted.metricId).toBe(METRIC_ID);
    });

    it.each([undefined, null])('rejects a %p value with parameter_missing', (value) => {
      const problems = problemsOf(forMetric(withMarkup(aggregation, { value }), aggregation));
      expect(codes(problems)).toEqual([['parameter_missing', 'value']]);
    });

    it.each<[string, unknown]>([
      ['letters', 'abc'],
      ['an exponent string', '1e5'],
      ['a blank string', ' '],
      ['a boolean', true],
      ['an object', { amount: 1 }],
      ['an array', [1]],
      ['31 integer digits', '1'.repeat(31)],
      ['19 fraction digits', `0.${'1'.repeat(19)}`],
    ])('rejects %s with parameter_invalid', (_label, value) => {
      const problems = problemsOf(forMetric(withMarkup(aggregation, { value }), aggregation));
      expect(codes(problems)).toEqual([['parameter_invalid', 'value']]);
    });

    it('gives no warnings', () => {
      expect(forMetric(withMarkup(aggregation, { value: '1' }), aggregation)).toMatchObject({
        ok: true,
        warnings: [],
      });
    });
  });

  describe.each<Aggregation>(['count', 'time_duration'])('a %s metric', (aggregation) => {
    it.each<[string, unknown]>([
      ['no value', undefined],
      ['a null value', null],
      ['a decimal', '1.5'],
      ['a number', 42],
      ['letters', 'abc'],
      ['an object', { amount: 1 }],
      ['a boolean', true],
    ])('ignores %s', (_label, value) => {
      const interval = { start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T17:00:00Z' };
      const accepted = valueOf(forMetric({ value, ...interval }, aggregation));
      expect(accepted.value).toBeNull();
      expect(accepted.uniqueValue).toBeNull();
      expect(accepted.markupPercentage).toBeNull();
      expect(accepted.metricId).toBe(METRIC_ID);
    });
  });

  describe('a count_unique metric', () => {
    it.each<[string, unknown, string]>([
      ['a string id', 'user_1', 'user_1'],
      ['a numeric string, kept as written', '007', '007'],
      ['a number', 42, '42'],
      ['a fractional number', 0.5, '0.5'],
      ['a negative number', -7, '-7'],
      ['zero', 0, '0'],
      ['a 255-character string', 'u'.repeat(255), 'u'.repeat(255)],
    ])('accepts %s', (_label, value, expected) => {
      const accepted = valueOf(forMetric({ value }, 'count_unique'));
      expect(accepted.uniqueValue).toBe(expected);
      expect(accepted.value).toBeNull();
      expect(accepted.metricId).toBe(METRIC_ID);
    });

    it.each<[string, unknown]>([
      ['left out', undefined],
      ['null', null],
      ['the empty string', ''],
    ])('rejects a value %s with parameter_missing', (_label, value) => {
      expect(codes(problemsOf(forMetric({ value }, 'count_unique')))).toEqual([
        ['parameter_missing', 'value'],
      ]);
    });

    it.each<[string, unknown]>([
      ['an object', { id: 'user_1' }],
      ['an array', ['user_1']],
      ['true', true],
      ['false', false],
      ['a 256-character string', 'u'.repeat(256)],
    ])('rejects %s with parameter_invalid', (_label, value) => {
      expect(codes(problemsOf(forMetric({ value }, 'count_unique')))).toEqual([
        ['parameter_invalid', 'value'],
      ]);
    });
  });

  describe('markup_percentage', () => {
    it.each<[string, unknown, string]>([
      ['0', 0, '0'],
      ['1000', 1000, '1000'],
      ['"1000.000"', '1000.000', '1000'],
      ['a decimal string', '12.50', '12.5'],
      ['a fraction', 0.5, '0.5'],
    ])('accepts %s', (_label, markup_percentage, expected) => {
      expect(MAX_MARKUP_PERCENTAGE).toBe(1000);
      const accepted = valueOf(forMetric({ value: '100', markup_percentage }, 'markup_percentage'));
      expect(accepted.markupPercentage).toBe(expected);
      expect(accepted.value).toBe('100');
    });

    it.each([undefined, null])(
      'rejects a %p markup_percentage with parameter_missing',
      (markup_percentage) => {
        const problems = problemsOf(forMetric({ value: '100', markup_percentage }, 'markup_percentage'));
        expect(codes(problems)).toEqual([['parameter_missing', 'markup_percentage']]);
      },
    );

    it.each<[string, unknown]>([
      ['-1', -1],
      ['"-0.0001"', '-0.0001'],
      ['1000.0001', 1000.0001],
      ['"1000.0001"', '1000.0001'],
      ['1001', 1001],
      ['letters', 'ten'],
      ['an exponent string', '1e2'],
      ['a boolean', true],
      ['an object', { pct: 10 }],
    ])('rejects %s with parameter_invalid', (_label, markup_percentage) => {
      const problems = problemsOf(forMetric({ value: '100', markup_percentage }, 'markup_percentage'));
      expect(codes(problems)).toEqual([['parameter_invalid', 'markup_percentage']]);
    });

    it('reports a missing value and a missing markup_percentage together', () => {
      expect(codes(problemsOf(forMetric({}, 'markup_percentage')))).toEqual([
        ['parameter_missing', 'markup_percentage'],
        ['parameter_missing', 'value'],
      ]);
    });

    it.each(AGGREGATIONS.filter((a) => a !== 'markup_percentage'))(
      'is not required for a %s metric',
      (aggregation) => {
        const body = { value: '1', start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T17:00:00Z' };
        expect(valueOf(forMetric(body, aggregation)).markupPercentage).toBeNull();
      },
    );
  });

  describe('time_duration intervals', () => {
    it.each<[string, Record<string, unknown>, string[]]>([
      ['neither start_time nor end_time', {}, ['missing_interval']],
      ['only start_time', { start_time: '2026-11-24T16:00:00Z' }, ['missing_interval']],
      ['only end_time', { end_time: '2026-11-24T17:00:00Z' }, ['missing_interval']],
      ['both', { start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T17:00:00Z' }, []],
      ['an empty interval', { start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T16:00:00Z' }, []],
    ])('with %s: accepted with warnings %p', (_label, interval, warnings) => {
      const result = forMetric(interval, 'time_duration');
      expect(result).toMatchObject({ ok: true, warnings });
      expect(valueOf(result).shape.startTime).toEqual(
        interval.start_time ? new Date(interval.start_time as string) : null,
      );
    });

    it.each(AGGREGATIONS.filter((a) => a !== 'time_duration'))(
      'gives no interval warning for a %s metric',
      (aggregation) => {
        const result = forMetric(withMarkup(aggregation, { value: '1' }), aggregation);
        expect(result).toMatchObject({ ok: true, warnings: [] });
      },
    );
  });

  it('keeps the shape it was given', () => {
    const shape = shapeOf({ value: '2', metadata: { a: 'b' } });
    expect(valueOf(checkEventForMetric(shape, { id: 'bm_x', aggregation: 'sum' })).shape).toBe(shape);
  });

  it('property: any accepted event has the metric id and exact canonical decimals', () => {
    const isoDate = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: NOW, noInvalidDate: true })
      .map((d) => d.toISOString());
    const decimalText = fc
      .tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: 0, max: 18 }))
      .map(([units, scale]) => {
        const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
        const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return units < 0n ? `-${text}` : text;
      });
    const anyValue = fc.oneof(
      decimalText,
      fc.double(),
      fc.integer(),
      fc.string({ maxLength: 300 }),
      fc.constantFrom(undefined, null, true, '', '1e5', 'NaN'),
      fc.anything(),
    );
    const body = fc.record(
      {
        customer: fc.oneof(
          { weight: 8, arbitrary: fc.constant('cus_1') },
          { weight: 1, arbitrary: fc.anything() },
        ),
        account: fc.oneof(
          { weight: 8, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constant('acct_1') },
          { weight: 1, arbitrary: fc.anything() },
        ),
        event_name: fc.oneof(
          { weight: 8, arbitrary: fc.constant('api_calls') },
          { weight: 1, arbitrary: fc.anything() },
        ),
        reference: fc.oneof(
          { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 300 }) },
          { weight: 1, arbitrary: fc.anything() },
        ),
        value: anyValue,
        timestamp: fc.oneof({ weight: 8, arbitrary: isoDate }, { weight: 1, arbitrary: fc.anything() }),
        start_time: isoDate,
        end_time: isoDate,
        markup_percentage: anyValue,
        metadata: fc.oneof(
          { weight: 8, arbitrary: fc.dictionary(fc.string({ minLength: 1, maxLength: 40 }), fc.string()) },
          { weight: 1, arbitrary: fc.anything() },
        ),
      },
      { requiredKeys: ['customer', 'event_name', 'reference'] },
    );
    const metric = fc.record({
      id: fc.string({ minLength: 1, maxLength: 20 }).map((s) => `bm_${s}`),
      aggregation: fc.constantFrom(...AGGREGATIONS),
    });

    let accepted = 0;
    fc.assert(
      fc.property(body, metric, (input, facts) => {
        const shape = checkEventShape(input, NOW);
        if (!shape.ok) return;
        const result = checkEventForMetric(shape.value, facts);
        if (!result.ok) return;
        accepted += 1;
        const event = result.value;
        expect(event.metricId).toBe(facts.id);
        const rule = valueRule(facts.aggregation);
        if (rule === 'decimal_required') {
          expect(event.value).not.toBeNull();
          expect(canonicalDecimal(event.value)).toBe(event.value);
        } else {
          expect(event.value).toBeNull();
        }
        if (rule === 'entity_id_required') {
          expect(typeof event.uniqueValue).toBe('string');
          expect(event.uniqueValue!.length).toBeGreaterThanOrEqual(1);
          expect(event.uniqueValue!.length).toBeLessThanOrEqual(255);
        } else {
          expect(event.uniqueValue).toBeNull();
        }
        if (facts.aggregation === 'markup_percentage') {
          expect(canonicalDecimal(event.markupPercentage)).toBe(event.markupPercentage);
          expect(Number(event.markupPercentage)).toBeGreaterThanOrEqual(0);
          expect(Number(event.markupPercentage)).toBeLessThanOrEqual(1000);
        } else {
          expect(event.markupPercentage).toBeNull();
        }
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
