import type { Aggregation } from './aggregation.js';
import { type AcceptedEvent, checkEventForMetric, checkEventShape } from './event-input.js';
import { payloadHash } from './payload-hash.js';

const NOW = new Date('2026-11-24T18:00:00.000Z');
const BASE = { customer: 'cus_1', event_name: 'api_calls', reference: 'ref_1', value: '1.5' };
const INTERVAL = { start_time: '2026-11-24T16:00:00Z', end_time: '2026-11-24T17:00:00Z' };

type Body = Record<string, unknown>;

/** An event as the pipeline accepts it: checked for shape, then against a metric of `aggregation`. */
function accepted(body: Body, aggregation: Aggregation = 'sum', now = NOW): AcceptedEvent {
  const shape = checkEventShape({ ...BASE, ...body }, now);
  if (!shape.ok) throw new Error(`bad shape: ${JSON.stringify(shape.problems)}`);
  const event = checkEventForMetric(shape.value, { id: 'bm_1', aggregation });
  if (!event.ok) throw new Error(`bad event: ${JSON.stringify(event.problems)}`);
  return event.value;
}

const hashOf = (body: Body, aggregation?: Aggregation) => payloadHash(accepted(body, aggregation));

describe('payloadHash', () => {
  it('is a SHA-256 digest, equal for the same content', () => {
    const body = { timestamp: '2026-11-24T17:00:00Z', metadata: { plan: 'pro' } };
    const digest = hashOf(body);
    expect(digest).toBeInstanceOf(Buffer);
    expect(digest).toHaveLength(32);
    expect(hashOf(body).equals(digest)).toBe(true);
  });

  it('does not depend on receipt time when the timestamp is left out', () => {
    const first = payloadHash(accepted({}, 'sum', NOW));
    const retry = payloadHash(accepted({}, 'sum', new Date(NOW.getTime() + 60_000)));
    expect(retry.equals(first)).toBe(true);
  });

  it.each<[string, Body, Body, Aggregation]>([
    [
      'metadata in a different key order',
      { metadata: { a: '1', b: '2', c: '3' } },
      { metadata: { c: '3', a: '1', b: '2' } },
      'sum',
    ],
    ['the same value as number and as string', { value: 0.1 }, { value: '0.10' }, 'sum'],
    ['the same value with leading zeros', { value: '7' }, { value: '007' }, 'sum'],
    [
      'the same instant in two zones',
      { timestamp: '2026-11-24T17:00:00Z' },
      { timestamp: '2026-11-24T18:00:00+01:00' },
      'sum',
    ],
    [
      'the same instant with and without milliseconds',
      { timestamp: '2026-11-24T17:00:00Z' },
      { timestamp: '2026-11-24T17:00:00.000Z' },
      'sum',
    ],
    ['no metadata and empty metadata', {}, { metadata: {} }, 'sum'],
    [
      'a different reference (the key, not the content)',
      { reference: 'ref_1' },
      { reference: 'ref_2' },
      'sum',
    ],
    ['different values for a count metric, which ignores them', { value: '1' }, { value: '2' }, 'count'],
    [
      'the same markup written differently',
      { markup_percentage: 10 },
      { markup_percentage: '10.0' },
      'markup_percentage',
    ],
    ['the same entity as number and string', { value: 42 }, { value: '42' }, 'count_unique'],
  ])('is equal for %s', (_label, a, b, aggregation) => {
    expect(hashOf(a, aggregation).equals(hashOf(b, aggregation))).toBe(true);
  });

  it.each<[string, Body, Body, Aggregation]>([
    ['a different value', { value: '1.5' }, { value: '1.6' }, 'sum'],
    ['a value ten times larger', { value: '1' }, { value: '10' }, 'sum'],
    ['a different metadata value', { metadata: { plan: 'pro' } }, { metadata: { plan: 'free' } }, 'sum'],
    [
      'an extra metadata key',
      { metadata: { plan: 'pro' } },
      { metadata: { plan: 'pro', region: 'eu' } },
      'sum',
    ],
    ['a renamed metadata key', { metadata: { plan: 'pro' } }, { metadata: { tier: 'pro' } }, 'sum'],
    ['metadata and none', { metadata: { plan: 'pro' } }, {}, 'sum'],
    [
      'metadata split differently',
      { metadata: { a: 'b', c: 'd' } },
      { metadata: { a: 'b","c', d: 'd' } },
      'sum',
    ],
    ['a different customer', { customer: 'cus_1' }, { customer: 'cus_2' }, 'sum'],
    [
      'a customer and an account with the same id',
      { customer: 'id_1' },
      { customer: undefined, account: 'id_1' },
      'sum',
    ],
    ['a different event_name', { event_name: 'api_calls' }, { event_name: 'api_calls_v2' }, 'sum'],
    [
      'timestamps 1 ms apart',
      { timestamp: '2026-11-24T17:00:00.000Z' },
      { timestamp: '2026-11-24T17:00:00.001Z' },
      'sum',
    ],
    ['an omitted timestamp and a given one', {}, { timestamp: '2026-11-24T17:00:00Z' }, 'sum'],
    ['an omitted timestamp and one equal to receipt time', {}, { timestamp: NOW.toISOString() }, 'sum'],
    [
      'a different start_time',
      INTERVAL,
      { ...INTERVAL, start_time: '2026-11-24T16:00:01Z' },
      'time_duration',
    ],
    ['a different end_time', INTERVAL, { ...INTERVAL, end_time: '2026-11-24T17:00:01Z' }, 'time_duration'],
    ['an interval and none', INTERVAL, {}, 'time_duration'],
    [
      'a different markup_percentage',
      { markup_percentage: 10 },
      { markup_percentage: 20 },
      'markup_percentage',
    ],
    ['a different entity', { value: 'user_1' }, { value: 'user_2' }, 'count_unique'],
  ])('differs for %s', (_label, a, b, aggregation) => {
    expect(hashOf(a, aggregation).equals(hashOf(b, aggregation))).toBe(false);
  });
});
