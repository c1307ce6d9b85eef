import { LAST_YEAR } from '../support/calendar.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';

/**
 * Event corrections through the real HTTP API on PostgreSQL: void (by id, by reference, in a
 * batch), amend (each field, the validation codes, 409s), Idempotency-Key replays, concurrent
 * amendments, the versions an event shows, lists of one item per event, logging replays after
 * a correction, the webhook event and tenancy. What the pipeline then does with the rows a
 * correction appends (rollups, invoices, credits) is tested with the worker elsewhere.
 */

const at = (month: number, day: number, hour = 0) =>
  new Date(Date.UTC(LAST_YEAR, month - 1, day, hour)).toISOString();
const UNKNOWN_EVENT = 'bme_01jdx3k5vq8m2n4p6r8t0w2y4a';

interface Event {
  id: string;
  value: string | null;
  version: number;
  voided: boolean;
  amended: boolean;
  versions?: { version: number; action: string; changes: Record<string, { from: unknown; to: unknown }> }[];
  [field: string]: unknown;
}

describe('event corrections over HTTP', () => {
  const stack = useTestStack();
  let key: string;
  let keyId: string;
  let customer: string;
  let otherCustomer: string;
  let account: string;
  let sum: { event_name: string; id: string };
  let sequence = 0;
  const call = (
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
    as: string = key,
  ) => http(stack.api.baseUrl, method, url, { key: as, body, headers });
  const reference = () => `corr-${(sequence += 1)}`;

  async function metric(aggregation: string) {
    const eventName = `corr_${aggregation}_${(sequence += 1)}`;
    const created = await call('POST', '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation,
      unit_amount: '0.01',
    });
    expect(created.status).toBe(201);
    return created.body as { event_name: string; id: string };
  }

  /** Logs an event (sum metric, value 2 unless given); answers it. */
  async function log(extra: Record<string, unknown> = {}, eventName = sum.event_name): Promise<Event> {
    const logged = await call('POST', '/v1/billing/metering_events', {
      customer,
      event_name: eventName,
      reference: reference(),
      value: '2',
      timestamp: at(3, 10, 12),
      ...extra,
    });
    expect(logged.status).toBe(201);
    const { duplicate: _duplicate, ...event } = logged.body;
    return event as Event;
  }

  const amend = (id: string, body: unknown, headers?: Record<string, string>) =>
    call('POST', `/v1/billing/metering_events/${id}/amend`, body, headers);
  const voidEvent = (id: string, body: unknown = {}, headers?: Record<string, string>) =>
    call('POST', `/v1/billing/metering_events/${id}/void`, body, headers);
  const get = async (id: string) => (await call('GET', `/v1/billing/metering_events/${id}`)).body as Event;
  const rowsOf = async (id: string) =>
    (
      await stack.sql.query(
        `SELECT version, sign, event_id, status FROM billing_metric_events
          WHERE reference = (SELECT reference FROM billing_metric_events WHERE id = $1) ORDER BY version, sign DESC`,
        [id],
      )
    ).rows;

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl, 'Corrections')).key;
    keyId = (await call('GET', '/v1/api_keys')).body.data[0].id;
    customer = (await call('POST', '/v1/customers', { name: 'Ada' })).body.id;
    otherCustomer = (await call('POST', '/v1/customers', { name: 'Grace' })).body.id;
    account = (await call('POST', '/v1/accounts', { name: 'Acme' })).body.id;
    sum = await metric('sum');
  });

  describe('void', () => {
    it('voids by id: a reversal row and a version, the content kept; a second void answers the same', async () => {
      const event = await log();
      const voided = await voidEvent(event.id, { reason: 'double-counted' });
      expect(voided.status).toBe(200);
      expect(voided.body).toEqual({
        ...event,
        version: 2,
        voided: true,
        amended: false,
        versions: [
          {
            version: 1,
            action: 'logged',
            created_at: event.received_at,
            api_key: null,
            reason: null,
            changes: {},
            status: 'logged',
            invoice: null,
            reversal: null,
          },
          {
            version: 2,
            action: 'voided',
            created_at: expect.any(String),
            api_key: keyId,
            reason: 'double-counted',
            changes: {},
            status: null,
            invoice: null,
            reversal: { status: 'logged', invoice: null },
          },
        ],
      });
      expect(await rowsOf(event.id)).toEqual([
        { version: 1, sign: 1, event_id: null, status: 'logged' },
        { version: 1, sign: -1, event_id: event.id, status: 'logged' },
      ]);
      const again = await voidEvent(event.id, { reason: 'once more' });
      expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: voided.body });
      expect(await get(event.id)).toEqual(voided.body);
      expect(await rowsOf(event.id)).toHaveLength(2);
    });

    it('voids by reference, and answers 404 for a reference or id it does not know', async () => {
      const event = await log();
      const voided = await call('POST', '/v1/billing/metering_events/void', { reference: event.reference });
      expect(voided.status).toBe(200);
      expect(voided.body).toMatchObject({ id: event.id, voided: true, version: 2 });
      const unknown = await call('POST', '/v1/billing/metering_events/void', { reference: 'never-logged' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'reference' });
      expect((await voidEvent(UNKNOWN_EVENT)).status).toBe(404);
      expect((await voidEvent('not-an-id')).status).toBe(404);
      const bad = await call('POST', '/v1/billing/metering_events/void', { reference: 'x', why: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('parameter_unknown');
      const long = await voidEvent(event.id, { reason: 'x'.repeat(501) });
      expect(long.status).toBe(400);
      expect(long.body.error).toMatchObject({ code: 'parameter_invalid', param: 'reason' });
    });

    it('voids a batch item by item: voided, already voided and each kind of refusal', async () => {
      const [a, b, c, d] = [await log(), await log(), await log(), await log()];
      expect((await voidEvent(c.id)).status).toBe(200);
      const answer = await call('POST', '/v1/billing/metering_events/void/batch', {
        voids: [
          { id: a.id, reason: 'batch' },
          { reference: b.reference },
          { id: c.id },
          { id: UNKNOWN_EVENT },
          { reference: 'never-logged' },
          {},
          { id: d.id, reference: d.reference },
          { id: d.id, extra: true },
          { id: 42 },
          { reference: d.reference, reason: '' },
          'not an object',
        ],
      });
      expect(answer.status).toBe(200);
      const codes = answer.body.data.map((item: { status: string; error?: { code: string } }) =>
        item.status === 'rejected' ? item.error!.code : item.status,
      );
      expect(codes).toEqual([
        'voided',
        'voided',
        'already_voided',
        'resource_missing',
        'resource_missing',
        'parameter_missing',
        'parameter_invalid',
        'parameter_unknown',
        'parameter_invalid',
        'parameter_invalid',
        'parameter_invalid',
      ]);
      expect(answer.body).toMatchObject({
        object: 'batch_result',
        voided: 2,
        already_voided: 1,
        rejected: 8,
      });
      expect(answer.body.data[0]).toEqual({ index: 0, status: 'voided', id: a.id });
      expect((await get(b.id)).voided).toBe(true);
      expect((await get(d.id)).voided).toBe(false);
      expect((await get(a.id)).versions![1]).toMatchObject({ reason: 'batch', api_key: keyId });

      for (const [body, code] of [
        [{ voids: [] }, 'parameter_invalid'],
        [{ voids: Array.from({ length: 1001 }, () => ({ id: a.id })) }, 'parameter_invalid'],
        [{}, 'parameter_missing'],
        [{ voids: [{ id: a.id }], more: 1 }, 'parameter_unknown'],
      ] as const) {
        const refused = await call('POST', '/v1/billing/metering_events/void/batch', body);
        expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 400, code });
      }
    });
  });

  describe('amend', () => {
    let duration: { event_name: string };
    let markup: { event_name: string };

    beforeAll(async () => {
      duration = await metric('time_duration');
      markup = await metric('markup_percentage');
    });

    it.each<[string, () => Record<string, unknown>, () => Record<string, { from: unknown; to: unknown }>]>([
      ['value', () => ({ value: 5 }), () => ({ value: { from: '2', to: '5' } })],
      [
        'timestamp',
        () => ({ timestamp: at(3, 11, 9) }),
        () => ({ timestamp: { from: at(3, 10, 12), to: at(3, 11, 9) } }),
      ],
      [
        'metadata',
        () => ({ metadata: { region: 'us' } }),
        () => ({ metadata: { from: { region: 'eu' }, to: { region: 'us' } } }),
      ],
      [
        'customer',
        () => ({ customer: otherCustomer }),
        () => ({ customer: { from: customer, to: otherCustomer } }),
      ],
      [
        'account (the customer no longer pays)',
        () => ({ account }),
        () => ({ customer: { from: customer, to: null }, account: { from: null, to: account } }),
      ],
    ])('amends %s: a new version over the current one', async (_label, patch, changes) => {
      const event = await log({ metadata: { region: 'eu' } });
      const amended = await amend(event.id, { ...patch(), reason: 'fix' });
      expect(amended.status).toBe(200);
      const { versions, ...content } = amended.body as Event;
      const changed = Object.fromEntries(
        Object.entries(changes()).map(([field, change]) => [field, change.to]),
      );
      expect(content).toEqual({ ...event, ...changed, version: 2, amended: true, voided: false });
      expect(versions![1]).toEqual({
        version: 2,
        action: 'amended',
        created_at: expect.any(String),
        api_key: keyId,
        reason: 'fix',
        changes: changes(),
        status: 'logged',
        invoice: null,
        reversal: { status: 'logged', invoice: null },
      });
      expect(await rowsOf(event.id)).toEqual([
        { version: 1, sign: 1, event_id: null, status: 'logged' },
        { version: 1, sign: -1, event_id: event.id, status: 'logged' },
        { version: 2, sign: 1, event_id: event.id, status: 'logged' },
      ]);
      expect(await get(event.id)).toEqual(amended.body);
    });

    it('amends the interval of a time_duration event and the markup of a markup_percentage event', async () => {
      const timed = await log(
        { value: undefined, start_time: at(3, 10, 10), end_time: at(3, 10, 11) },
        duration.event_name,
      );
      const longer = await amend(timed.id, { end_time: at(3, 10, 13) });
      expect(longer.status).toBe(200);
      expect(longer.body.versions[1].changes).toEqual({
        end_time: { from: at(3, 10, 11), to: at(3, 10, 13) },
      });
      const cleared = await amend(timed.id, { start_time: null, end_time: null });
      expect(cleared.body).toMatchObject({ start_time: null, end_time: null, version: 3 });

      const marked = await log({ value: '100', markup_percentage: 10 }, markup.event_name);
      const more = await amend(marked.id, { markup_percentage: '12.5' });
      expect(more.status).toBe(200);
      expect(more.body).toMatchObject({ markup_percentage: '12.5', value: '100', version: 2 });
      expect(more.body.versions[1].changes).toEqual({ markup_percentage: { from: '10', to: '12.5' } });
    });

    it('answers a patch that changes nothing with the event as it is, and adds no version', async () => {
      const event = await log();
      const same = await amend(event.id, { value: '2.000', reason: 'no-op' });
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ version: 1, amended: false });
      expect(same.body.versions).toHaveLength(1);
      expect(await rowsOf(event.id)).toHaveLength(1);
    });

    it('refuses each invalid amendment with its code and changes nothing', async () => {
      const event = await log();
      const timed = await log({ value: undefined, start_time: at(3, 10, 10) }, duration.event_name);
      const cases: [string, unknown, number, string, string?][] = [
        [event.id, {}, 400, 'parameter_missing'],
        [event.id, { reason: 'only a reason', expected_version: 1 }, 400, 'parameter_missing'],
        [event.id, { event_name: 'other' }, 400, 'parameter_unknown', 'event_name'],
        [event.id, { reference: 'other' }, 400, 'parameter_unknown', 'reference'],
        [event.id, { colour: 'red' }, 400, 'parameter_unknown', 'colour'],
        [event.id, { timestamp: '2999-01-01T00:00:00Z' }, 400, 'parameter_invalid', 'timestamp'],
        [event.id, { timestamp: new Date(Date.now() + 3_600_000).toISOString() }, 400, 'timestamp_in_future'],
        [event.id, { timestamp: 'yesterday' }, 400, 'parameter_invalid', 'timestamp'],
        [event.id, { timestamp: null }, 400, 'parameter_invalid', 'timestamp'],
        [timed.id, { end_time: at(3, 10, 9) }, 400, 'invalid_interval', 'end_time'],
        [event.id, { customer: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a' }, 400, 'unknown_customer', 'customer'],
        [event.id, { account: 'acct_01jdx3k5vq8m2n4p6r8t0w2y4a' }, 400, 'unknown_account', 'account'],
        [event.id, { customer: otherCustomer, account }, 400, 'payer_conflict'],
        [event.id, { customer: null }, 400, 'parameter_invalid', 'customer'],
        [event.id, { value: 'abc' }, 400, 'parameter_invalid', 'value'],
        [event.id, { value: null }, 400, 'parameter_missing', 'value'],
        [event.id, { value: 3, reason: '' }, 400, 'parameter_invalid', 'reason'],
        [event.id, { value: 3, expected_version: 0 }, 400, 'parameter_invalid', 'expected_version'],
        [event.id, { value: 3, expected_version: 1.5 }, 400, 'parameter_invalid', 'expected_version'],
        [event.id, { metadata: 'x' }, 400, 'parameter_invalid', 'metadata'],
        [UNKNOWN_EVENT, { value: 3 }, 404, 'resource_missing'],
      ];
      for (const [id, body, status, code, param] of cases) {
        const answer = await amend(id, body);
        expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({
          body,
          status,
          code,
        });
        if (param) expect({ body, param: answer.body.error.param }).toEqual({ body, param });
      }
      const header = await amend(event.id, { value: 3 }, { 'idempotency-key': 'has space' });
      expect({ status: header.status, code: header.body.error.code }).toEqual({
        status: 400,
        code: 'idempotency_key_invalid',
      });
      expect(await rowsOf(event.id)).toHaveLength(1);
      expect((await get(event.id)).version).toBe(1);
    });

    it('refuses to amend a voided event (409 event_voided)', async () => {
      const event = await log();
      await voidEvent(event.id);
      const refused = await amend(event.id, { value: 9 });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ type: 'conflict_error', code: 'event_voided' });
    });

    it('answers 409 version_conflict when expected_version is not the current version', async () => {
      const event = await log();
      expect((await amend(event.id, { value: 3, expected_version: 1 })).status).toBe(200);
      const stale = await amend(event.id, { value: 4, expected_version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: 'version_conflict', param: 'expected_version' });
      expect((await amend(event.id, { value: 4, expected_version: 2 })).body).toMatchObject({
        value: '4',
        version: 3,
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a replayed amendment as of the version it made, and refuses the key with another body', async () => {
      const event = await log();
      const first = await amend(event.id, { value: 3 }, { 'idempotency-key': 'amend-1' });
      expect(first.status).toBe(200);
      expect((await amend(event.id, { value: 4 })).body.version).toBe(3);
      const replay = await amend(event.id, { value: 3 }, { 'idempotency-key': 'amend-1' });
      expect({ status: replay.status, body: replay.body }).toEqual({ status: 200, body: first.body });
      expect(replay.body).toMatchObject({ version: 2, value: '3' });
      const reused = await amend(event.id, { value: 5 }, { 'idempotency-key': 'amend-1' });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
      const asVoid = await voidEvent(event.id, {}, { 'idempotency-key': 'amend-1' });
      expect(asVoid.status).toBe(409);
      expect((await get(event.id)).version).toBe(3);
    });

    it('answers a replayed void the same, by id or reference, and refuses the key with another reason', async () => {
      const event = await log();
      const first = await voidEvent(event.id, { reason: 'r' }, { 'idempotency-key': 'void-1' });
      const byReference = await call(
        'POST',
        '/v1/billing/metering_events/void',
        { reference: event.reference, reason: 'r' },
        { 'idempotency-key': 'void-1' },
      );
      expect(byReference.body).toEqual(first.body);
      const reused = await voidEvent(event.id, { reason: 'other' }, { 'idempotency-key': 'void-1' });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
    });
  });

  describe('concurrency', () => {
    it('serializes 10 concurrent amendments retried on version_conflict: versions 2 to 11, each over the last', async () => {
      const event = await log({ value: '0' });
      const attempts = { conflicts: 0 };
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (;;) {
            const current = await get(event.id);
            const answer = await amend(event.id, {
              value: String(Number(current.value) + 1),
              expected_version: current.version,
            });
            if (answer.status === 200) return;
            expect(answer.body.error.code).toBe('version_conflict');
            attempts.conflicts += 1;
          }
        }),
      );
      const final = await get(event.id);
      expect(final).toMatchObject({ value: '10', version: 11, amended: true });
      expect(final.versions!.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(final.versions!.slice(1).map((v) => v.changes.value)).toEqual(
        Array.from({ length: 10 }, (_, i) => ({ from: String(i), to: String(i + 1) })),
      );
      expect(await rowsOf(event.id)).toHaveLength(21);
    });

    it('applies 10 concurrent plain patches one after another: no lost update', async () => {
      const event = await log();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => amend(event.id, { metadata: { n: String(i) } })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      const final = await get(event.id);
      expect(final.version).toBe(11);
      const versions = final.versions!;
      expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      for (let i = 2; i < versions.length; i += 1)
        expect(versions[i]!.changes.metadata!.from).toEqual(versions[i - 1]!.changes.metadata!.to);
      expect(final.metadata).toEqual(versions[10]!.changes.metadata!.to);
    });
  });

  describe('reads', () => {
    it('shows only public ids: the id of a later row is 404', async () => {
      const event = await log();
      await amend(event.id, { value: 7 });
      const later = await stack.sql.query('SELECT id FROM billing_metric_events WHERE event_id = $1', [
        event.id,
      ]);
      expect(later.rows).toHaveLength(2);
      for (const { id } of later.rows) {
        expect((await call('GET', `/v1/billing/metering_events/${id}`)).status).toBe(404);
        expect((await voidEvent(id)).status).toBe(404);
      }
    });

    it('lists one item per event, as its current version, filtered by voided and amended', async () => {
      const payer = (await call('POST', '/v1/customers', { name: 'Listed' })).body.id as string;
      const plain = await log({ customer: payer });
      const amended = await log({ customer: payer });
      const voided = await log({ customer: payer });
      const both = await log({ customer: payer });
      await amend(amended.id, { value: 8 });
      await amend(amended.id, { value: 9 });
      await voidEvent(voided.id);
      await amend(both.id, { value: 6 });
      await voidEvent(both.id);
      const list = async (query: string) => {
        const answer = await call('GET', `/v1/billing/metering_events?customer=${payer}${query}`);
        expect(answer.status).toBe(200);
        return answer.body.data as Event[];
      };
      const all = await list('');
      expect(all.map((e) => e.id)).toEqual([both.id, voided.id, amended.id, plain.id]);
      expect(all.map((e) => [e.value, e.version, e.voided, e.amended])).toEqual([
        ['6', 3, true, true],
        ['2', 2, true, false],
        ['9', 3, false, true],
        ['2', 1, false, false],
      ]);
      expect(all.every((e) => e.versions === undefined)).toBe(true);
      const ids = async (query: string) => (await list(query)).map((e) => e.id);
      expect(await ids('&voided=true')).toEqual([both.id, voided.id]);
      expect(await ids('&voided=false')).toEqual([amended.id, plain.id]);
      expect(await ids('&amended=true')).toEqual([both.id, amended.id]);
      expect(await ids('&amended=false')).toEqual([voided.id, plain.id]);
      expect(await ids('&amended=true&voided=false')).toEqual([amended.id]);
      expect(await ids('&status=logged')).toHaveLength(4);
      const paged: string[] = [];
      let after = '';
      for (;;) {
        const page = await call('GET', `/v1/billing/metering_events?customer=${payer}&limit=1${after}`);
        paged.push(...page.body.data.map((e: Event) => e.id));
        if (!page.body.has_more) break;
        after = `&starting_after=${paged.at(-1)}`;
      }
      expect(paged).toEqual(all.map((e) => e.id));
      const bad = await call('GET', `/v1/billing/metering_events?voided=yes`);
      expect(bad.status).toBe(400);

      // Filters match the current version: an event moved to another payer lists there only.
      await amend(plain.id, { customer: otherCustomer });
      expect(await ids('')).toEqual([both.id, voided.id, amended.id]);
      const moved = await call('GET', `/v1/billing/metering_events?customer=${otherCustomer}&limit=100`);
      expect(moved.body.data.map((e: Event) => e.id)).toContain(plain.id);
    });
  });

  describe('logging replays', () => {
    it('answers a replay with the current version, duplicate: true, payload_mismatch against version 1', async () => {
      const body = {
        customer,
        event_name: sum.event_name,
        reference: reference(),
        value: 1,
        timestamp: at(4, 1),
      };
      const first = await call('POST', '/v1/billing/metering_events', body);
      await amend(first.body.id, { value: 5 });
      const replay = await call('POST', '/v1/billing/metering_events', body);
      expect(replay.status).toBe(200);
      const current = await get(first.body.id);
      const { versions: _versions, ...content } = current;
      expect(replay.body).toEqual({ ...content, duplicate: true, payload_mismatch: false });
      expect(replay.body).toMatchObject({ id: first.body.id, value: '5', version: 2, amended: true });
      const asAmended = await call('POST', '/v1/billing/metering_events', { ...body, value: 5 });
      expect(asAmended.body).toMatchObject({ duplicate: true, payload_mismatch: true, value: '5' });
      const batch = await call('POST', '/v1/billing/metering_events/batch', { events: [body] });
      expect(batch.body.data).toEqual([
        { index: 0, status: 'duplicate', id: first.body.id, payload_mismatch: false },
      ]);
      await voidEvent(first.body.id);
      const afterVoid = await call('POST', '/v1/billing/metering_events', body);
      expect(afterVoid.body).toMatchObject({ voided: true, version: 3, value: '5', duplicate: true });
      const rows = await stack.sql.query(
        'SELECT count(*)::int AS n FROM billing_metric_events WHERE reference = $1',
        [body.reference],
      );
      expect(rows.rows[0].n).toBe(4);
    });
  });

  describe('webhooks and access', () => {
    it('records billing.event.corrected with the event and its versions for each correction', async () => {
      const event = await log();
      const amended = await amend(event.id, { value: 4 });
      const voided = await voidEvent(event.id);
      const events = await call('GET', '/v1/webhook_events?type=billing.event.corrected&limit=100');
      expect(events.status).toBe(200);
      const mine = events.body.data.filter(
        (e: { data: { object: { id: string } } }) => e.data.object.id === event.id,
      );
      expect(mine.map((e: { type: string; data: { object: unknown } }) => [e.type, e.data.object])).toEqual([
        ['billing.event.corrected', voided.body],
        ['billing.event.corrected', amended.body],
      ]);
      const stored = await stack.sql.query(
        `SELECT payer_id FROM webhook_events WHERE type = 'billing.event.corrected' AND object->>'id' = $1`,
        [event.id],
      );
      expect(stored.rows).toEqual([{ payer_id: customer }, { payer_id: customer }]);
    });

    it('lets an ingest-only key correct events and a read-only key only read them', async () => {
      const event = await log();
      const keyOf = async (access: string) =>
        (await call('POST', '/v1/api_keys', { name: access, access })).body as {
          api_key: { id: string };
          secret: string;
        };
      const ingest = await keyOf('ingest');
      const read = await keyOf('read');
      const amended = await call(
        'POST',
        `/v1/billing/metering_events/${event.id}/amend`,
        { value: 3 },
        {},
        ingest.secret,
      );
      expect(amended.status).toBe(200);
      expect(amended.body.versions[1].api_key).toBe(ingest.api_key.id);
      const refused = await call('POST', `/v1/billing/metering_events/${event.id}/void`, {}, {}, read.secret);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('permission_denied');
      expect(
        (await call('GET', `/v1/billing/metering_events/${event.id}`, undefined, {}, read.secret)).status,
      ).toBe(200);
    });

    it("answers another merchant's key as if the event did not exist, and changes nothing", async () => {
      const event = await log();
      const other = (await createMerchant(stack.api.baseUrl, 'Other')).key;
      const as = (method: string, path: string, body?: unknown) => call(method, path, body, {}, other);
      for (const answer of [
        await as('GET', `/v1/billing/metering_events/${event.id}`),
        await as('POST', `/v1/billing/metering_events/${event.id}/void`, {}),
        await as('POST', `/v1/billing/metering_events/${event.id}/amend`, { value: 1 }),
        await as('POST', '/v1/billing/metering_events/void', { reference: event.reference }),
      ]) {
        expect({ status: answer.status, code: answer.body.error.code }).toEqual({
          status: 404,
          code: 'resource_missing',
        });
      }
      const batch = await as('POST', '/v1/billing/metering_events/void/batch', {
        voids: [{ id: event.id }, { reference: event.reference }],
      });
      expect(batch.body).toMatchObject({ voided: 0, rejected: 2 });
      expect(await rowsOf(event.id)).toHaveLength(1);
    });
  });
});
