import { createMerchant, http, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

describe('billing metrics and event ingestion over HTTP', () => {
  const stack = useTestStack();
  let key: string;
  let customer: string;
  let account: string;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });
  let sequence = 0;
  const reference = () => `ref-${Date.now()}-${(sequence += 1)}`;

  async function metric(aggregation: string, extra: Record<string, unknown> = {}) {
    const eventName = `${aggregation}_${(sequence += 1)}`;
    const response = await call('POST', '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation,
      unit_amount: '0.001',
      ...extra,
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
    customer = (await call('POST', '/v1/customers', { name: 'Ada' })).body.id;
    account = (await call('POST', '/v1/accounts', { name: 'Acme' })).body.id;
  });

  describe('metrics', () => {
    it('creates, reads, lists and archives a metric', async () => {
      const created = await metric('sum', {
        currency: 'eur',
        description: 'GB stored',
        metadata: { team: 'storage' },
      });
      expect(created).toEqual({
        id: expect.stringMatching(/^bm_[0-9a-z]{26}$/),
        object: 'billing_metric',
        name: created.event_name,
        event_name: created.event_name,
        aggregation: 'sum',
        unit_amount: '0.001',
        price: { model: 'per_unit', unit_amount: '0.001', minimum_amount: null, maximum_amount: null },
        currency: 'eur',
        time_unit: null,
        description: 'GB stored',
        metadata: { team: 'storage' },
        status: 'active',
        created: expect.any(String),
        archived_at: null,
      });
      expect((await call('GET', `/v1/billing/metering/${created.id}`)).body).toEqual(created);
      const listed = await call('GET', '/v1/billing/metering?status=active&limit=100');
      expect(listed.body.data.map((m: { id: string }) => m.id)).toContain(created.id);

      const archived = await call('POST', `/v1/billing/metering/${created.id}/archive`);
      expect(archived.status).toBe(200);
      expect(archived.body).toMatchObject({ status: 'archived', archived_at: expect.any(String) });
      const again = await call('POST', `/v1/billing/metering/${created.id}/archive`);
      expect(again.body.archived_at).toBe(archived.body.archived_at);
    });

    it('defaults currency to usd and time_unit to second for time_duration', async () => {
      const created = await metric('time_duration');
      expect(created).toMatchObject({ currency: 'usd', time_unit: 'second' });
    });

    it('refuses a second active metric with the same event_name (409), but allows it after archiving', async () => {
      const first = await metric('count');
      const body = { name: 'again', event_name: first.event_name, aggregation: 'count', unit_amount: '1' };
      const second = await call('POST', '/v1/billing/metering', body);
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({
        type: 'conflict_error',
        code: 'event_name_taken',
        param: 'event_name',
      });
      await call('POST', `/v1/billing/metering/${first.id}/archive`);
      expect((await call('POST', '/v1/billing/metering', body)).status).toBe(201);
    });

    it.each([
      [{ aggregation: 'median' }, 'aggregation'],
      [{ unit_amount: '-1' }, 'unit_amount'],
      [{ unit_amount: 0.001 }, 'unit_amount'],
      [{ unit_amount: 'abc' }, 'unit_amount'],
      [{ currency: 'USD' }, 'currency'],
      [{ currency: 'zzz' }, 'currency'],
      [{ event_name: 'has space' }, 'event_name'],
      [{ time_unit: 'minute' }, 'time_unit'],
      [{ aggregation: 'time_duration', time_unit: 'day' }, 'time_unit'],
    ])('refuses %j with 400 on %s', async (change, param) => {
      const response = await call('POST', '/v1/billing/metering', {
        name: 'bad',
        event_name: `bad_${(sequence += 1)}`,
        aggregation: 'sum',
        unit_amount: '1',
        ...change,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param });
    });
  });

  describe('logging events', () => {
    it('stores an event and acknowledges it only once it is in the database', async () => {
      const m = await metric('sum');
      const ref = reference();
      const response = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: m.event_name,
        reference: ref,
        value: '2.5',
        timestamp: `${LAST_YEAR}-01-15T10:00:00Z`,
        metadata: { region: 'eu' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^bme_[0-9a-z]{26}$/),
        object: 'billing_metric_event',
        reference: ref,
        event_name: m.event_name,
        metric: m.id,
        customer,
        account: null,
        value: '2.5',
        timestamp: `${LAST_YEAR}-01-15T10:00:00.000Z`,
        start_time: null,
        end_time: null,
        markup_percentage: null,
        metadata: { region: 'eu' },
        status: 'logged',
        received_at: expect.any(String),
        version: 1,
        voided: false,
        amended: false,
        duplicate: false,
      });
      const stored = await stack.sql.query(
        'SELECT value::text, status, customer_id FROM billing_metric_events WHERE id = $1',
        [response.body.id],
      );
      expect(stored.rows).toEqual([{ value: '2.5', status: 'logged', customer_id: customer }]);
      const read = await call('GET', `/v1/billing/metering_events/${response.body.id}`);
      expect(read.body).toMatchObject({ id: response.body.id, value: '2.5' });
    });

    it('defaults the timestamp to receipt time', async () => {
      const m = await metric('count');
      const before = Date.now();
      const response = await call('POST', '/v1/billing/metering_events', {
        account,
        event_name: m.event_name,
        reference: reference(),
      });
      expect(response.status).toBe(201);
      expect(response.body.account).toBe(account);
      const timestamp = Date.parse(response.body.timestamp);
      expect(timestamp).toBeGreaterThanOrEqual(before - 1);
      expect(timestamp).toBeLessThanOrEqual(Date.now());
      expect(response.body.timestamp).toBe(response.body.received_at);
    });

    it('answers a replay with the original event, 200 and duplicate: true, and flags a different payload', async () => {
      const m = await metric('sum');
      const body = { customer, event_name: m.event_name, reference: reference(), value: 1 };
      const first = await call('POST', '/v1/billing/metering_events', body);
      const replay = await call('POST', '/v1/billing/metering_events', body);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ ...first.body, duplicate: true, payload_mismatch: false });
      const changed = await call('POST', '/v1/billing/metering_events', { ...body, value: 5 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        id: first.body.id,
        value: '1',
        duplicate: true,
        payload_mismatch: true,
      });
      const rows = await stack.sql.query(
        'SELECT count(*)::int AS n FROM billing_metric_events WHERE reference = $1',
        [body.reference],
      );
      expect(rows.rows[0].n).toBe(1);
    });

    it('stores one row for 200 concurrent requests with one reference', async () => {
      const m = await metric('sum');
      const body = { customer, event_name: m.event_name, reference: reference(), value: '1' };
      const responses = await Promise.all(
        Array.from({ length: 200 }, () => call('POST', '/v1/billing/metering_events', body)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(199);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const rows = await stack.sql.query(
        'SELECT count(*)::int AS n FROM billing_metric_events WHERE reference = $1',
        [body.reference],
      );
      expect(rows.rows[0].n).toBe(1);
    });

    it('keeps values exact: 0.1 + 0.2 sums to 0.3', async () => {
      const m = await metric('sum');
      for (const value of [0.1, '0.2']) {
        const response = await call('POST', '/v1/billing/metering_events', {
          customer,
          event_name: m.event_name,
          reference: reference(),
          value,
        });
        expect(response.status).toBe(201);
      }
      const sum = await stack.sql.query(
        'SELECT sum(value)::text AS total FROM billing_metric_events WHERE metric_id = $1',
        [m.id],
      );
      expect(sum.rows[0].total).toBe('0.3');
    });

    it('takes count_unique entity ids as strings or numbers, and warns about a time_duration event without both times', async () => {
      const unique = await metric('count_unique');
      const asNumber = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: unique.event_name,
        reference: reference(),
        value: 42,
      });
      expect(asNumber.body.value).toBe('42');
      const duration = await metric('time_duration', { time_unit: 'minute' });
      const missing = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: duration.event_name,
        reference: reference(),
        start_time: `${LAST_YEAR}-01-01T00:00:00Z`,
      });
      expect(missing.status).toBe(201);
      expect(missing.body.warnings).toEqual(['missing_interval']);
      const complete = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: duration.event_name,
        reference: reference(),
        start_time: `${LAST_YEAR}-01-01T00:00:00Z`,
        end_time: `${LAST_YEAR}-01-01T00:01:00Z`,
      });
      expect(complete.status).toBe(201);
      expect(complete.body.warnings).toBeUndefined();
    });

    it.each([
      ['no payer', { customer: undefined }, 'payer_required'],
      ['two payers', { account: 'acct_01m87f3khh3qy3m9gcybpffz7f' }, 'payer_conflict'],
      ['an unknown customer', { customer: 'cus_01m87f3khh3qy3m9gcybpffz7f' }, 'unknown_customer'],
      ['an unknown event name', { event_name: 'never_defined' }, 'unknown_event_name'],
      ['no reference', { reference: undefined }, 'parameter_missing'],
      ['a reference over 255 characters', { reference: 'r'.repeat(256) }, 'parameter_invalid'],
      ['a value that is not a decimal', { value: 'lots' }, 'parameter_invalid'],
      ['no value on a sum metric', { value: undefined }, 'parameter_missing'],
      [
        'a timestamp 10 minutes ahead',
        { timestamp: new Date(Date.now() + 600_000).toISOString() },
        'timestamp_in_future',
      ],
      ['a bad timestamp', { timestamp: 'yesterday' }, 'parameter_invalid'],
      [
        'end_time before start_time',
        { start_time: `${LAST_YEAR}-01-02T00:00:00Z`, end_time: `${LAST_YEAR}-01-01T00:00:00Z` },
        'invalid_interval',
      ],
      ['bad metadata', { metadata: { n: 1 } }, 'parameter_invalid'],
      ['an unknown field', { color: 'red' }, 'parameter_unknown'],
    ])('refuses %s with 400 and stores nothing', async (_label, change, code) => {
      const m = await metric('sum');
      const body = { customer, event_name: m.event_name, reference: reference(), value: '1', ...change };
      const response = await call('POST', '/v1/billing/metering_events', body);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code });
      const rows = await stack.sql.query(
        'SELECT count(*)::int AS n FROM billing_metric_events WHERE metric_id = $1',
        [m.id],
      );
      expect(rows.rows[0].n).toBe(0);
    });

    it('tells to create the metric first for an unknown event name', async () => {
      const response = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: 'nope',
        reference: reference(),
      });
      expect(response.body.error.message).toContain('POST /v1/billing/metering');
    });

    it('refuses events for an archived metric, and keeps its data', async () => {
      const m = await metric('count');
      const logged = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: m.event_name,
        reference: reference(),
      });
      await call('POST', `/v1/billing/metering/${m.id}/archive`);
      const refused = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: m.event_name,
        reference: reference(),
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('unknown_event_name');
      expect((await call('GET', `/v1/billing/metering_events/${logged.body.id}`)).status).toBe(200);
    });

    it.each([
      ['not JSON', '{"customer":'],
      ['an array', '[]'],
      ['wrong types', '{"customer": 5, "event_name": [], "reference": {}}'],
    ])('answers a body that is %s with 400', async (_label, rawBody) => {
      const response = await http(stack.api.baseUrl, 'POST', '/v1/billing/metering_events', { key, rawBody });
      expect(response.status).toBe(400);
      expect(response.body.error.type).toBe('invalid_request_error');
    });
  });

  it('answers an event body over 1 MiB with 413 and a batch over 1 MiB too', async () => {
    const big = {
      customer,
      event_name: 'x',
      reference: reference(),
      metadata: { k: 'v'.repeat(1024 * 1024) },
    };
    const single = await call('POST', '/v1/billing/metering_events', big);
    expect(single.status).toBe(413);
    expect(single.body.error.code).toBe('payload_too_large');
    const batch = await call('POST', '/v1/billing/metering_events/batch', { events: [big] });
    expect(batch.status).toBe(413);
  });

  describe('batch', () => {
    it('answers each event in order: created, duplicate (also within the batch) and rejected', async () => {
      const m = await metric('sum');
      const known = reference();
      await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: m.event_name,
        reference: known,
        value: 1,
      });
      const twice = reference();
      const events = [
        { customer, event_name: m.event_name, reference: reference(), value: '1.5' },
        { customer, event_name: m.event_name, reference: known, value: 1 },
        { customer, event_name: m.event_name, reference: twice, value: 2 },
        { customer, event_name: 'unknown_name', reference: reference(), value: 1 },
        { customer, event_name: m.event_name, reference: twice, value: 2 },
        { event_name: m.event_name, reference: reference(), value: 1 },
        'not an event',
      ];
      const response = await call('POST', '/v1/billing/metering_events/batch', { events });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ object: 'batch_result', created: 2, duplicates: 2, rejected: 3 });
      const items = response.body.data;
      expect(items.map((i: { index: number; status: string }) => [i.index, i.status])).toEqual([
        [0, 'created'],
        [1, 'duplicate'],
        [2, 'created'],
        [3, 'rejected'],
        [4, 'duplicate'],
        [5, 'rejected'],
        [6, 'rejected'],
      ]);
      expect(items[4].id).toBe(items[2].id);
      expect(items[3].error).toMatchObject({ code: 'unknown_event_name', param: 'event_name' });
      expect(items[5].error.code).toBe('payer_required');
      const rows = await stack.sql.query(
        'SELECT count(*)::int AS n FROM billing_metric_events WHERE metric_id = $1',
        [m.id],
      );
      expect(rows.rows[0].n).toBe(3);
    });

    it('takes 1,000 events in one request', async () => {
      const m = await metric('count');
      const events = Array.from({ length: 1000 }, () => ({
        account,
        event_name: m.event_name,
        reference: reference(),
      }));
      const response = await call('POST', '/v1/billing/metering_events/batch', { events });
      expect(response.body).toMatchObject({ created: 1000, duplicates: 0, rejected: 0 });
      const rows = await stack.sql.query(
        'SELECT count(*)::int AS n FROM billing_metric_events WHERE metric_id = $1',
        [m.id],
      );
      expect(rows.rows[0].n).toBe(1000);
    });

    it.each([
      [{ events: [] }, 'parameter_invalid'],
      [{ events: Array.from({ length: 1001 }, () => ({})) }, 'parameter_invalid'],
      [{}, 'parameter_missing'],
      [{ events: [], extra: 1 }, 'parameter_unknown'],
    ])('refuses the batch %# with 400 %s', async (body, code) => {
      const response = await call('POST', '/v1/billing/metering_events/batch', body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe(code);
    });
  });

  describe('listing events', () => {
    it('filters by payer, event name, status and time window, newest first', async () => {
      const m = await metric('count');
      const other = (await call('POST', '/v1/customers', { name: 'Other' })).body.id;
      const at = [
        `${LAST_YEAR}-03-01T00:00:00Z`,
        `${LAST_YEAR}-03-02T00:00:00Z`,
        `${LAST_YEAR}-03-03T00:00:00Z`,
      ];
      const ids: string[] = [];
      for (const timestamp of at) {
        ids.push(
          (
            await call('POST', '/v1/billing/metering_events', {
              customer: other,
              event_name: m.event_name,
              reference: reference(),
              timestamp,
            })
          ).body.id,
        );
      }
      const windowed = await call(
        'GET',
        `/v1/billing/metering_events?customer=${other}&event_name=${m.event_name}&status=logged&from=${LAST_YEAR}-03-02T00:00:00Z&to=${LAST_YEAR}-03-03T00:00:00Z`,
      );
      expect(windowed.status).toBe(200);
      expect(windowed.body.data.map((e: { id: string }) => e.id)).toEqual([ids[1]]);
      const all = await call('GET', `/v1/billing/metering_events?customer=${other}&limit=2`);
      expect(all.body.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
      expect(all.body.has_more).toBe(true);
      const bad = await call('GET', '/v1/billing/metering_events?from=yesterday');
      expect(bad.status).toBe(400);
    });
  });
});
