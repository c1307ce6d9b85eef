import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';
import { type Call, caller, type InvoiceLine, pricedLine, tierRow } from '../support/billing-fixtures.js';
import { LAST_YEAR } from '../support/calendar.js';
import { cents, centsText } from '../support/cents.js';
import { tableDigests } from '../support/table-digests.js';

/**
 * Pricing models end to end, through the real HTTP API, the rollup and the invoice workflow on
 * a real worker (PostgreSQL and Temporal, no mocks): every model on a billing invoice, the
 * preview against the invoice issued right after it, late usage under tiers, split invariance
 * and the price validation codes. Every date is in last year (test/support/calendar.ts), and
 * every expected amount is worked out by hand in a comment next to it.
 */

/** [start, end) of a UTC month of last year (month 1 = January), as a billing window. */
const month = (m: number) => ({
  start_date: new Date(Date.UTC(LAST_YEAR, m - 1, 1)).toISOString(),
  end_date: new Date(Date.UTC(LAST_YEAR, m, 1)).toISOString(),
});
const MARCH = month(3);
const APRIL = month(4);
const MAY = month(5);
/** The label a line gives a period: "YYYY-03-01 to YYYY-04-01". */
const MARCH_LABEL = `${LAST_YEAR}-03-01 to ${LAST_YEAR}-04-01`;
/** An instant of last year: `at(3, 10, 14)` is 10 March, 14:00 UTC (plus `minute`). */
const at = (m: number, day: number, hour = 0, minute = 0) =>
  new Date(Date.UTC(LAST_YEAR, m - 1, day, hour, minute)).toISOString();
/** How the API writes an instant back (milliseconds included). */
const iso = (text: string) => new Date(text).toISOString();

/** The tiers of the brief: 0–1,000 free, 1,001–100,000 at 0.002, above at 0.001. */
const THREE_TIERS = [
  { up_to: '1000', unit_amount: '0' },
  { up_to: '100000', unit_amount: '0.002' },
  { up_to: null, unit_amount: '0.001' },
];
/** The same tiers as the API answers them (canonical: flat_amount "0" filled in). */
const THREE_TIERS_CANONICAL = THREE_TIERS.map((tier) => ({ ...tier, flat_amount: '0' }));

interface Usage {
  event: string;
  value: string;
  timestamp: string;
}

describe('pricing models through the real API, rollup and invoice workflow', () => {
  const stack = useTestStack({ worker: true, config: { ROLLUP_IDLE_MS: '100' } });
  let references = 0;

  /** One merchant's view of the API, with the helpers every case uses. */
  async function merchant() {
    const { key } = await createMerchant(stack.api.baseUrl);
    const call: Call = caller(stack.api.baseUrl, key);
    const metric = async (name: string, body: Record<string, unknown>) => {
      const created = await call('POST', '/v1/billing/metering', {
        name,
        event_name: name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
        aggregation: 'sum',
        ...body,
      });
      expect({ status: created.status, body: created.body }).toEqual({
        status: 201,
        body: expect.anything(),
      });
      return created.body as {
        id: string;
        event_name: string;
        name: string;
        price: unknown;
        unit_amount: unknown;
      };
    };
    const customer = async (name: string) => {
      const created = await call('POST', '/v1/customers', { name });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    /** Logs the usage in batches of `batchSize`, in the order given; every event must be created. */
    const log = async (customerId: string, usage: Usage[], batchSize = 4) => {
      for (let offset = 0; offset < usage.length; offset += batchSize) {
        const events = usage.slice(offset, offset + batchSize).map((u) => ({
          customer: customerId,
          event_name: u.event,
          reference: `pricing-${(references += 1)}`,
          value: u.value,
          timestamp: u.timestamp,
        }));
        const answer = await call('POST', '/v1/billing/metering_events/batch', { events });
        expect({ status: answer.status, created: answer.body.created }).toEqual({
          status: 200,
          created: events.length,
        });
      }
    };
    /** Waits until the rollup has folded every event of the customer (none left `logged`). */
    const untilFolded = (customerId: string) =>
      eventually(
        async () => {
          const left = await call(
            'GET',
            `/v1/billing/metering_events?customer=${customerId}&status=logged&limit=1`,
          );
          return left.status === 200 && left.body.data.length === 0;
        },
        { what: `the rollup to fold ${customerId}'s events`, timeoutMs: 30_000 },
      );
    /** Creates the billing invoice of the window and waits until its workflow has issued it. */
    const bill = async (customerId: string, window: { start_date: string; end_date: string }) => {
      const created = await call('POST', '/v1/billing/billing_invoice', {
        customer: customerId,
        ...window,
        collection_method: 'send_invoice',
      });
      expect(created.status).toBe(201);
      return eventually(
        async () => {
          const current = (await call('GET', `/v1/invoices/${created.body.id}`)).body;
          return ['open', 'paid'].includes(current.status) && current;
        },
        { what: `invoice ${created.body.id} to be issued`, timeoutMs: 30_000 },
      );
    };
    const preview = async (query: string) => {
      const answer = await call('GET', `/v1/invoices/upcoming?${query}`);
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 200, error: undefined });
      return answer.body;
    };
    return { call, metric, customer, log, untilFolded, bill, preview };
  }
  type Api = Awaited<ReturnType<typeof merchant>>;

  /** `values` of one metric's events, one every 3 hours and 7 minutes from `from` (several hours, several buckets). */
  const spread = (event: string, values: string[], from: string): Usage[] =>
    values.map((value, i) => ({
      event,
      value,
      timestamp: new Date(Date.parse(from) + i * (3 * 3_600_000 + 7 * 60_000)).toISOString(),
    }));
  /** Interleaves several metrics' usage, so that every batch mixes metrics. */
  const interleave = (...lists: Usage[][]): Usage[] => {
    const out: Usage[] = [];
    for (let i = 0; lists.some((list) => i < list.length); i += 1)
      for (const list of lists) if (i < list.length) out.push(list[i]!);
    return out;
  };

  describe('1. each model on one billing invoice (one line per metric), and (6.) the report prices the window alike', () => {
    let api: Api;
    let customer: string;
    const m: Record<
      string,
      { id: string; event_name: string; name: string; price: unknown; unit_amount: unknown }
    > = {};
    let invoice: any;

    beforeAll(async () => {
      api = await merchant();
      customer = await api.customer('Models');
      // Created in this order, so the invoice's lines (in metric id order) come in it too.
      m.graduated = await api.metric('Graduated', { price: { model: 'graduated', tiers: THREE_TIERS } });
      m.volume = await api.metric('Volume', { price: { model: 'volume', tiers: THREE_TIERS } });
      m.packageUp = await api.metric('Package up', {
        price: { model: 'package', package_size: '1000', package_amount: '5.00' },
      });
      m.packageDown = await api.metric('Package down', {
        price: { model: 'package', package_size: '1000', package_amount: '5.00', rounding: 'down' },
      });
      m.flat = await api.metric('Graduated flat', {
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '100', unit_amount: '0.10', flat_amount: '5.00' },
            { up_to: null, unit_amount: '0.05', flat_amount: '2.50' },
          ],
        },
      });
      m.minimum = await api.metric('Minimum', {
        price: { model: 'per_unit', unit_amount: '0.01', minimum_amount: '20.00' },
      });
      m.maximum = await api.metric('Maximum', {
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '1000', unit_amount: '0.05' },
            { up_to: null, unit_amount: '0.04' },
          ],
          maximum_amount: '75.00',
        },
      });

      // Each metric's values, in two rounds (the rollup folds the first before the second is
      // logged), so every period's quantity is split across folds, hours and batches:
      // graduated  20000 + 35000.5 + 14999.5 = 70000 | + 30000 + 25000 + 25000 = 150000
      // volume     50000 + 50000 = 100000           | + 25000 + 25000 = 150000
      // package up 400 + 600 = 1000 (one package)    | + 0.5 + 0.5 = 1001
      // pkg down   999 (no whole package)            | + 2 = 1001
      // flat       60 + 40 = 100                     | + 100 + 50 = 250
      // minimum    100 + 100                         | + 100 = 300
      // maximum    1000                              | + 1500 = 2500
      const first = interleave(
        spread(m.graduated.event_name, ['20000', '35000.5', '14999.5'], at(3, 2, 1)),
        spread(m.volume.event_name, ['50000', '50000'], at(3, 3, 2)),
        spread(m.packageUp.event_name, ['400', '600'], at(3, 4, 3)),
        spread(m.packageDown.event_name, ['999'], at(3, 5, 4)),
        spread(m.flat.event_name, ['60', '40'], at(3, 6, 5)),
        spread(m.minimum.event_name, ['100', '100'], at(3, 7, 6)),
        spread(m.maximum.event_name, ['1000'], at(3, 8, 7)),
      );
      const second = interleave(
        spread(m.graduated.event_name, ['30000', '25000', '25000'], at(3, 20, 1)),
        spread(m.volume.event_name, ['25000', '25000'], at(3, 21, 2)),
        spread(m.packageUp.event_name, ['0.5', '0.5'], at(3, 22, 3)),
        spread(m.packageDown.event_name, ['2'], at(3, 23, 4)),
        spread(m.flat.event_name, ['100', '50'], at(3, 24, 5)),
        spread(m.minimum.event_name, ['100'], at(3, 25, 6)),
        spread(m.maximum.event_name, ['1500'], at(3, 26, 7)),
      );
      await api.log(customer, first, 4);
      await api.untilFolded(customer);
      await api.log(customer, second, 3);
      // The second round is left to the rollup or to the invoice's own fold, whichever comes first.
      invoice = await api.bill(customer, MARCH);
    });

    it('answers each price canonical: flat_amount "0" filled in, no bounds as null, unit_amount only for per_unit', () => {
      expect(m.graduated).toMatchObject({
        unit_amount: null,
        price: {
          model: 'graduated',
          tiers: THREE_TIERS_CANONICAL,
          minimum_amount: null,
          maximum_amount: null,
        },
      });
      expect(m.packageUp).toMatchObject({
        unit_amount: null,
        price: {
          model: 'package',
          package_size: '1000',
          package_amount: '5',
          rounding: 'up',
          minimum_amount: null,
          maximum_amount: null,
        },
      });
      expect(m.minimum).toMatchObject({
        unit_amount: '0.01',
        price: { model: 'per_unit', unit_amount: '0.01', minimum_amount: '20', maximum_amount: null },
      });
    });

    it("bills one line per metric, each priced over the window's whole quantity with its tier rows", () => {
      const march = { period_start: iso(MARCH.start_date), period_end: iso(MARCH.end_date) };
      expect(invoice.lines.data.map(pricedLine)).toEqual([
        {
          kind: 'usage',
          metric: m.graduated!.id,
          description: 'Graduated',
          quantity: '150000',
          unit_amount: null,
          // 1000 × 0 + 99000 × 0.002 + 50000 × 0.001 = 0 + 198 + 50 = 248
          amount: '248.00',
          tiers: [
            tierRow('0', '1000', '1000', '0', '0', '0'),
            tierRow('1000', '100000', '99000', '0.002', '0', '198'),
            tierRow('100000', null, '50000', '0.001', '0', '50'),
          ],
          ...march,
        },
        {
          kind: 'usage',
          metric: m.volume!.id,
          description: 'Volume',
          quantity: '150000',
          unit_amount: null,
          // 150000 falls in the last tier: every unit at 0.001 = 150
          amount: '150.00',
          tiers: [tierRow('100000', null, '150000', '0.001', '0', '150')],
          ...march,
        },
        {
          kind: 'usage',
          metric: m.packageUp!.id,
          description: 'Package up',
          quantity: '1001',
          unit_amount: null,
          // 1001 / 1000 rounded up = 2 packages × 5.00 = 10
          amount: '10.00',
          tiers: [tierRow('0', null, '2', '5', '0', '10')],
          ...march,
        },
        {
          kind: 'usage',
          metric: m.packageDown!.id,
          description: 'Package down',
          quantity: '1001',
          unit_amount: null,
          // 1001 / 1000 rounded down = 1 package × 5.00 = 5
          amount: '5.00',
          tiers: [tierRow('0', null, '1', '5', '0', '5')],
          ...march,
        },
        {
          kind: 'usage',
          metric: m.flat!.id,
          description: 'Graduated flat',
          quantity: '250',
          unit_amount: null,
          // 100 × 0.10 + 5.00 = 15; 150 × 0.05 + 2.50 = 10; 15 + 10 = 25
          amount: '25.00',
          tiers: [
            tierRow('0', '100', '100', '0.1', '5', '15'),
            tierRow('100', null, '150', '0.05', '2.5', '10'),
          ],
          ...march,
        },
        {
          kind: 'usage',
          metric: m.minimum!.id,
          description: 'Minimum (line minimum)',
          quantity: '300',
          unit_amount: '0.01',
          // 300 × 0.01 = 3, below the minimum: 20
          amount: '20.00',
          tiers: [tierRow('0', null, '300', '0.01', '0', '3')],
          ...march,
        },
        {
          kind: 'usage',
          metric: m.maximum!.id,
          description: 'Maximum (line maximum)',
          quantity: '2500',
          unit_amount: null,
          // 1000 × 0.05 + 1500 × 0.04 = 50 + 60 = 110, above the maximum: 75
          amount: '75.00',
          tiers: [
            tierRow('0', '1000', '1000', '0.05', '0', '50'),
            tierRow('1000', null, '1500', '0.04', '0', '60'),
          ],
          ...march,
        },
      ]);
      // 248 + 150 + 10 + 5 + 25 + 20 + 75 = 533
      expect(invoice).toMatchObject({
        status: 'open',
        total: '533.00',
        amount_due: '533.00',
        kind: 'billing',
      });
    });

    it('6. reports a window amount equal to the invoice line (tiers over the window), and series points carry their shares of it', async () => {
      const window = `customer_id=${customer}&start=${MARCH.start_date}&end=${MARCH.end_date}`;
      const report = await api.call(
        'GET',
        `/v1/billing/report/event/${m.graduated!.event_name}?${window}&window_size=day`,
      );
      expect(report.status).toBe(200);
      const line = invoice.lines.data.find((l: InvoiceLine) => l.metric === m.graduated!.id);
      expect({ quantity: report.body.quantity, amount: report.body.amount }).toEqual({
        quantity: line.quantity,
        amount: line.amount, // 248.00
      });
      expect(report.body.series).toHaveLength(31);
      for (const point of report.body.series) {
        expect(Object.keys(point).sort()).toEqual(['amount', 'end', 'event_count', 'quantity', 'start']);
      }
      // Each day's amount is what it added under the tiers, given the days before it: they add up
      // to the window's 248.00 exactly, and a day without usage adds nothing.
      const cents = (amount: string) => BigInt(amount.replace('.', ''));
      expect(
        report.body.series.reduce((sum: bigint, point: { amount: string }) => sum + cents(point.amount), 0n),
      ).toBe(cents(report.body.amount));
      for (const point of report.body.series.filter((p: { event_count: number }) => p.event_count === 0))
        expect(point.amount).toBe('0.00');
      // The day points add up to the window (20000 + 35000.5 + … = 150000) and its 6 events.
      const days = report.body.series.filter((point: { event_count: number }) => point.event_count > 0);
      expect(days.reduce((sum: number, point: { quantity: string }) => sum + Number(point.quantity), 0)).toBe(
        150000,
      );
      expect(days.reduce((sum: number, point: { event_count: number }) => sum + point.event_count, 0)).toBe(
        6,
      );

      // Every metric of the customer report prices the window as its invoice line does.
      const all = await api.call('GET', `/v1/billing/report/customer?${window}`);
      expect(all.status).toBe(200);
      const amounts = (lines: Array<{ metric: string; quantity: string; amount: string }>) =>
        Object.fromEntries(lines.map((l) => [l.metric, [l.quantity, l.amount]]));
      expect(amounts(all.body.metrics)).toEqual(amounts(invoice.lines.data));
      expect(all.body.totals).toEqual([{ currency: 'usd', amount: '533.00' }]);
    });
  });

  describe('2. the preview is the invoice issued right after it, and writes nothing', () => {
    it('previews a window of several models exactly as the billing invoice then bills it', async () => {
      const api = await merchant();
      const customer = await api.customer('Preview');
      const graduated = await api.metric('Preview graduated', {
        price: { model: 'graduated', tiers: THREE_TIERS },
      });
      const volume = await api.metric('Preview volume', { price: { model: 'volume', tiers: THREE_TIERS } });
      const pack = await api.metric('Preview package', {
        price: { model: 'package', package_size: '100', package_amount: '2.50' },
      });
      const minimum = await api.metric('Preview minimum', {
        price: { model: 'per_unit', unit_amount: '0.0001', minimum_amount: '1.00' },
      });
      // March:  graduated 1500 + 2500.25 = 4000.25; volume 700 + 800 = 1500; package 250;
      //         per_unit 123 + 877 = 1000.
      // Outside: a February and an April event of the graduated metric (not in the window).
      await api.log(
        customer,
        interleave(
          spread(graduated.event_name, ['1500', '2500.25'], at(3, 3, 10)),
          spread(volume.event_name, ['700', '800'], at(3, 9, 23)),
          spread(pack.event_name, ['250'], at(3, 31, 23, 59)),
          spread(minimum.event_name, ['123', '877'], at(3, 1, 0)),
          spread(graduated.event_name, ['99'], at(2, 28, 23, 59)),
          spread(graduated.event_name, ['42'], at(4, 1, 0)),
        ),
        3,
      );
      await api.untilFolded(customer);

      const before = await tableDigests(stack.sql);
      const query = `customer=${customer}&start_date=${MARCH.start_date}&end_date=${MARCH.end_date}`;
      const preview = await api.preview(query);
      const march = { period_start: iso(MARCH.start_date), period_end: iso(MARCH.end_date) };
      expect(preview).toMatchObject({
        id: null,
        number: null,
        status: 'draft',
        kind: 'billing',
        customer,
        currency: 'usd',
        next_base_fee: null,
        ...march,
        // 6.00 + 3.00 + 7.50 + 1.00 = 17.50
        total: '17.50',
      });
      expect(
        preview.lines.data.every(
          (line: { id: unknown; invoice: unknown }) => line.id === null && line.invoice === null,
        ),
      ).toBe(true);
      expect(preview.lines.data.map(pricedLine)).toEqual([
        {
          kind: 'usage',
          metric: graduated.id,
          description: 'Preview graduated',
          quantity: '4000.25',
          unit_amount: null,
          // 1000 × 0 + 3000.25 × 0.002 = 6.0005 → 6.00
          amount: '6.00',
          tiers: [
            tierRow('0', '1000', '1000', '0', '0', '0'),
            tierRow('1000', '100000', '3000.25', '0.002', '0', '6.0005'),
          ],
          ...march,
        },
        {
          kind: 'usage',
          metric: volume.id,
          description: 'Preview volume',
          quantity: '1500',
          unit_amount: null,
          // 1500 falls in the second tier (1000, 100000]: every unit at 0.002 = 3
          amount: '3.00',
          tiers: [tierRow('1000', '100000', '1500', '0.002', '0', '3')],
          ...march,
        },
        {
          kind: 'usage',
          metric: pack.id,
          description: 'Preview package',
          quantity: '250',
          unit_amount: null,
          // 250 / 100 rounded up = 3 packages × 2.50 = 7.50
          amount: '7.50',
          tiers: [tierRow('0', null, '3', '2.5', '0', '7.5')],
          ...march,
        },
        {
          kind: 'usage',
          metric: minimum.id,
          description: 'Preview minimum (line minimum)',
          quantity: '1000',
          unit_amount: '0.0001',
          // 1000 × 0.0001 = 0.1, below the minimum: 1.00
          amount: '1.00',
          tiers: [tierRow('0', null, '1000', '0.0001', '0', '0.1')],
          ...march,
        },
      ]);

      // It wrote nothing: every table as it was, the events still aggregated, no invoice.
      expect(await tableDigests(stack.sql)).toEqual(before);
      const events = await stack.sql.query(
        `SELECT status, invoice_id, count(*)::int AS n FROM billing_metric_events
          WHERE customer_id = $1 GROUP BY status, invoice_id`,
        [customer],
      );
      expect(events.rows).toEqual([{ status: 'aggregated', invoice_id: null, n: 9 }]);
      expect((await api.call('GET', `/v1/invoices?customer=${customer}`)).body.data).toEqual([]);

      const invoice = await api.bill(customer, MARCH);
      expect(invoice.lines.data.map(pricedLine)).toEqual(preview.lines.data.map(pricedLine));
      expect(invoice.total).toBe(preview.total);
      // No number was consumed by the preview: this merchant's first invoice is INV-000001.
      expect(invoice.number).toBe('INV-000001');

      // With no window, the preview starts where the payer's latest billing invoice ended.
      const next = await api.preview(`customer=${customer}`);
      expect(next.period_start).toBe(iso(MARCH.end_date));
      expect(next.lines.data.map(pricedLine)).toEqual([
        expect.objectContaining({
          kind: 'usage',
          metric: graduated.id,
          quantity: '42',
          amount: '0.00', // 42 units, all in the free first tier
          period_start: iso(MARCH.end_date),
        }),
      ]);
    });

    it('matches the invoice for windows with partial hours at both edges, and for a window overlapping one already billed', async () => {
      const api = await merchant();
      const customer = await api.customer('Edges');
      // 0–10 at 1, above at 0.5.
      const edges = await api.metric('Edges', {
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '10', unit_amount: '1' },
            { up_to: null, unit_amount: '0.5' },
          ],
        },
      });
      const event = (value: string, hour: number, minute: number) => ({
        event: edges.event_name,
        value,
        timestamp: at(3, 10, hour, minute),
      });
      // 11:10 → 2, 11:40 → 5 | 12:20 → 6, 12:50 → 3 | 13:05 → 8: two hourly buckets cut by the window.
      await api.log(customer, [
        event('2', 11, 10),
        event('5', 11, 40),
        event('6', 12, 20),
        event('3', 12, 50),
        event('8', 13, 5),
      ]);
      await api.untilFolded(customer);
      const compare = async (
        window: { start_date: string; end_date: string },
        expected: Partial<InvoiceLine>,
      ) => {
        const preview = await api.preview(
          `customer=${customer}&start_date=${window.start_date}&end_date=${window.end_date}`,
        );
        const invoice = await api.bill(customer, window);
        const line = {
          kind: 'usage',
          metric: edges.id,
          description: 'Edges',
          unit_amount: null,
          period_start: iso(window.start_date),
          period_end: iso(window.end_date),
          ...expected,
        };
        expect({ total: preview.total, lines: preview.lines.data.map(pricedLine) }).toEqual({
          total: expected.amount,
          lines: [line],
        });
        expect({ total: invoice.total, lines: invoice.lines.data.map(pricedLine) }).toEqual({
          total: expected.amount,
          lines: [line],
        });
      };
      // [11:30, 12:30): 5 + 6 = 11 → 10 × 1 + 1 × 0.5 = 10.50
      await compare(
        { start_date: at(3, 10, 11, 30), end_date: at(3, 10, 12, 30) },
        {
          quantity: '11',
          amount: '10.50',
          tiers: [tierRow('0', '10', '10', '1', '0', '10'), tierRow('10', null, '1', '0.5', '0', '0.5')],
        },
      );
      // One more event at 12:55, previewed whether or not the rollup has folded it yet.
      await api.log(customer, [event('1', 12, 55)]);
      // [11:00, 13:00), its own billing period: what no invoice took, 2 + 3 + 1 = 6 → 6 × 1 = 6.00
      await compare(
        { start_date: at(3, 10, 11, 0), end_date: at(3, 10, 13, 0) },
        { quantity: '6', amount: '6.00', tiers: [tierRow('0', '10', '6', '1', '0', '6')] },
      );
    });

    it('counts a time_duration event whole, as the invoice does, though its interval runs past the window', async () => {
      const api = await merchant();
      const customer = await api.customer('Durations');
      // Minutes: 0–60 at 0.10, above at 0.05.
      const minutes = await api.metric('Minutes', {
        aggregation: 'time_duration',
        time_unit: 'minute',
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '60', unit_amount: '0.10' },
            { up_to: null, unit_amount: '0.05' },
          ],
        },
      });
      // Timestamped inside [10:00, 12:00); intervals of 90 min (from 09:00) and 45 min (to 12:30),
      // which a report would clip to the window (60 + 30) but an invoice counts whole (90 + 45).
      const events = [
        { timestamp: at(3, 12, 10, 30), start_time: at(3, 12, 9, 0), end_time: at(3, 12, 10, 30) },
        { timestamp: at(3, 12, 11, 45), start_time: at(3, 12, 11, 45), end_time: at(3, 12, 12, 30) },
      ].map((times, index) => ({
        customer,
        event_name: minutes.event_name,
        reference: `durations-${(references += 1)}-${index}`,
        ...times,
      }));
      const logged = await api.call('POST', '/v1/billing/metering_events/batch', { events });
      expect(logged.body.created).toBe(2);
      await api.untilFolded(customer);
      const window = { start_date: at(3, 12, 10, 0), end_date: at(3, 12, 12, 0) };
      const previewed = await api.preview(
        `customer=${customer}&start_date=${window.start_date}&end_date=${window.end_date}`,
      );
      const invoice = await api.bill(customer, window);
      // 135 minutes: 60 × 0.10 + 75 × 0.05 = 6.00 + 3.75 = 9.75
      const expected = {
        total: '9.75',
        lines: [
          {
            kind: 'usage',
            metric: minutes.id,
            description: 'Minutes',
            quantity: '135',
            unit_amount: null,
            amount: '9.75',
            tiers: [
              tierRow('0', '60', '60', '0.1', '0', '6'),
              tierRow('60', null, '75', '0.05', '0', '3.75'),
            ],
            period_start: iso(window.start_date),
            period_end: iso(window.end_date),
          },
        ],
      };
      expect({ total: previewed.total, lines: previewed.lines.data.map(pricedLine) }).toEqual(expected);
      expect({ total: invoice.total, lines: invoice.lines.data.map(pricedLine) }).toEqual(expected);
    });

    it('matches the invoice for a prepaid payer: each credit window a billing period, credits applied, late usage', async () => {
      const api = await merchant();
      const customer = await api.customer('Prepaid');
      // 0–10 at 1, above at 0.5.
      const prepaid = await api.metric('Prepaid', {
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '10', unit_amount: '1' },
            { up_to: null, unit_amount: '0.5' },
          ],
        },
      });
      const granted = await api.call('POST', '/v1/billing/credits', {
        customer,
        amount: '7.00',
        currency: 'usd',
        paid: false,
      });
      expect(granted.status).toBe(201);
      const usage = (value: string, m: number, day: number) => ({
        event: prepaid.event_name,
        value,
        timestamp: at(m, day, 3),
      });
      // March first (folded, so its draw comes first): 4 + 8 = 12 → 10 × 1 + 2 × 0.5 = 11.00,
      // of which the 7.00 of credits pay 7.00; then April: 6 → 6.00, no credits left.
      await api.log(customer, [usage('4', 3, 20), usage('8', 3, 25)]);
      await api.untilFolded(customer);
      await api.log(customer, [usage('6', 4, 5), usage('9', 4, 20)]);
      await api.untilFolded(customer);
      const compare = async (
        window: { start_date: string; end_date: string },
        total: string,
        lines: unknown[],
      ) => {
        const preview = await api.preview(
          `customer=${customer}&start_date=${window.start_date}&end_date=${window.end_date}`,
        );
        const invoice = await api.bill(customer, window);
        expect({ total: preview.total, lines: preview.lines.data.map(pricedLine) }).toEqual({ total, lines });
        expect({ total: invoice.total, lines: invoice.lines.data.map(pricedLine) }).toEqual({ total, lines });
      };
      const period = (m: number) => ({
        period_start: iso(month(m).start_date),
        period_end: iso(month(m).end_date),
      });
      const line = { kind: 'usage', metric: prepaid.id, unit_amount: null };
      // [15 March, 15 April) bills its March part (12) and its April part (6, of 6 and 9), each
      // priced over its credit window: 11.00 + 6.00 − 7.00 of credits = 10.00.
      await compare({ start_date: at(3, 15), end_date: at(4, 15) }, '10.00', [
        {
          ...line,
          description: `Prepaid (${MARCH_LABEL})`,
          quantity: '12',
          amount: '11.00',
          tiers: [tierRow('0', '10', '10', '1', '0', '10'), tierRow('10', null, '2', '0.5', '0', '1')],
          ...period(3),
        },
        {
          ...line,
          description: `Prepaid (${LAST_YEAR}-04-01 to ${LAST_YEAR}-05-01)`,
          quantity: '6',
          amount: '6.00',
          tiers: [tierRow('0', '10', '6', '1', '0', '6')],
          ...period(4),
        },
        {
          kind: 'credits_applied',
          metric: null,
          description: `Prepaid credits applied (usage of ${LAST_YEAR}-03)`,
          quantity: '1',
          unit_amount: '-7',
          amount: '-7.00',
          tiers: null,
          period_start: null,
          period_end: null,
        },
      ]);
      // 5 more March units, late; then [15 April, 1 May) bills April's 9 as the rest of April
      // (rate(15) − rate(6) = 12.50 − 6.00 = 6.50) and March's late 5 as the rest of March
      // (rate(17) − rate(12) = 13.50 − 11.00 = 2.50): 9.00.
      await api.log(customer, [usage('5', 3, 28)]);
      await api.untilFolded(customer);
      await compare({ start_date: at(4, 15), end_date: at(5, 1) }, '9.00', [
        {
          ...line,
          description: `Prepaid (${LAST_YEAR}-04-01 to ${LAST_YEAR}-05-01)`,
          quantity: '9',
          amount: '6.50',
          tiers: [tierRow('0', '10', '4', '1', '0', '4'), tierRow('10', null, '5', '0.5', '0', '2.5')],
          ...period(4),
        },
        {
          ...line,
          kind: 'late_usage',
          description: `Prepaid (usage from earlier periods: ${MARCH_LABEL})`,
          quantity: '5',
          amount: '2.50',
          tiers: [tierRow('10', null, '5', '0.5', '0', '2.5')],
          ...period(3),
        },
      ]);
    });

    // PRODUCT BUG (left failing on purpose): the preview picks its default currency from all the
    // window's usage, invoiced or not, where the billing invoice picks it from the usage no
    // invoice took yet; so once one currency's usage is invoiced, the preview of the rest answers
    // 400 currency_required while POST /v1/billing/billing_invoice issues it.
    it('previews the rest of a window whose usage in another currency was invoiced already, as the invoice then bills it', async () => {
      const api = await merchant();
      const customer = await api.customer('Two currencies');
      const yen = await api.metric('Yen', { currency: 'jpy', unit_amount: '3' });
      const dollar = await api.metric('Dollar', { unit_amount: '0.5' });
      await api.log(customer, [{ event: yen.event_name, value: '10', timestamp: at(3, 3, 3) }]);
      const inYen = await api.call('POST', '/v1/billing/billing_invoice', {
        customer,
        ...MARCH,
        collection_method: 'send_invoice',
        currency: 'jpy',
      });
      expect(inYen.status).toBe(201);
      const yenInvoice = await eventually(async () => {
        const current = (await api.call('GET', `/v1/invoices/${inYen.body.id}`)).body;
        return current.status === 'open' && current;
      });
      expect(yenInvoice.total).toBe('30'); // 10 × 3 yen
      await api.log(customer, [{ event: dollar.event_name, value: '4', timestamp: at(3, 4, 3) }]);
      await api.untilFolded(customer);

      // What is left of March is usd only: 4 × 0.5 = 2.00, and the invoice bills exactly that.
      const expected = {
        currency: 'usd',
        total: '2.00',
        lines: [
          {
            kind: 'usage',
            metric: dollar.id,
            description: 'Dollar',
            quantity: '4',
            unit_amount: '0.5',
            amount: '2.00',
            tiers: [tierRow('0', null, '4', '0.5', '0', '2')],
            period_start: iso(MARCH.start_date),
            period_end: iso(MARCH.end_date),
          },
        ],
      };
      const preview = await api.call(
        'GET',
        `/v1/invoices/upcoming?customer=${customer}&start_date=${MARCH.start_date}&end_date=${MARCH.end_date}`,
      );
      const invoice = await api.bill(customer, MARCH);
      expect({
        currency: invoice.currency,
        total: invoice.total,
        lines: invoice.lines.data.map(pricedLine),
      }).toEqual(expected);
      expect({
        status: preview.status,
        error: preview.body.error?.code,
        currency: preview.body.currency,
        total: preview.body.total,
        lines: preview.body.lines?.data.map(pricedLine),
      }).toEqual({ status: 200, error: undefined, ...expected });
    });
  });

  describe('3. late usage under tiers', () => {
    it('bills late March usage on the April invoice as the difference it makes to March under its tiers', async () => {
      const api = await merchant();
      const customer = await api.customer('Late');
      const tiered = await api.metric('Late tiered', {
        price: {
          model: 'graduated',
          tiers: [
            { up_to: '1000', unit_amount: '0.002' },
            { up_to: null, unit_amount: '0.001' },
          ],
        },
      });
      // March: 300 + 250.5 + 349.5 = 900 → 900 × 0.002 = 1.80
      await api.log(customer, spread(tiered.event_name, ['300', '250.5', '349.5'], at(3, 5, 8)), 2);
      const march = await api.bill(customer, MARCH);
      expect(march.lines.data.map(pricedLine)).toEqual([
        {
          kind: 'usage',
          metric: tiered.id,
          description: 'Late tiered',
          quantity: '900',
          unit_amount: null,
          amount: '1.80',
          tiers: [tierRow('0', '1000', '900', '0.002', '0', '1.8')],
          period_start: iso(MARCH.start_date),
          period_end: iso(MARCH.end_date),
        },
      ]);

      // Late: 100 + 150 + 50 = 300 more units timestamped in March; and April's own 200 + 300 = 500.
      await api.log(customer, spread(tiered.event_name, ['100', '150', '50'], at(3, 28, 1)), 2);
      await api.log(customer, spread(tiered.event_name, ['200', '300'], at(4, 10, 12)), 1);
      await api.untilFolded(customer);

      const lines = [
        {
          kind: 'usage',
          metric: tiered.id,
          description: 'Late tiered',
          quantity: '500',
          unit_amount: null,
          // April priced on its own: 500 × 0.002 = 1.00
          amount: '1.00',
          tiers: [tierRow('0', '1000', '500', '0.002', '0', '1')],
          period_start: iso(APRIL.start_date),
          period_end: iso(APRIL.end_date),
        },
        {
          kind: 'late_usage',
          metric: tiered.id,
          description: `Late tiered (usage from earlier periods: ${MARCH_LABEL})`,
          quantity: '300',
          unit_amount: null,
          // rate(1200) − billed 1.80 = (1000 × 0.002 + 200 × 0.001) − 1.80 = 2.20 − 1.80 = 0.40:
          // tier 1 gains 100 units (0.2), tier 2 gets 200 units (0.2).
          amount: '0.40',
          tiers: [
            tierRow('0', '1000', '100', '0.002', '0', '0.2'),
            tierRow('1000', null, '200', '0.001', '0', '0.2'),
          ],
          period_start: iso(MARCH.start_date),
          period_end: iso(MARCH.end_date),
        },
      ];
      const preview = await api.preview(
        `customer=${customer}&start_date=${APRIL.start_date}&end_date=${APRIL.end_date}`,
      );
      expect(preview.lines.data.map(pricedLine)).toEqual(lines);
      expect(preview.total).toBe('1.40'); // 1.00 + 0.40

      const april = await api.bill(customer, APRIL);
      expect(april.lines.data.map(pricedLine)).toEqual(lines);
      expect(april.total).toBe('1.40');
      // March itself is unchanged, and March now costs 1.80 + 0.40 = 2.20, what its 1200 units cost at once.
      expect((await api.call('GET', `/v1/invoices/${march.id}`)).body.total).toBe('1.80');
      const report = await api.call(
        'GET',
        `/v1/billing/report/event/${tiered.event_name}?customer_id=${customer}&start=${MARCH.start_date}&end=${MARCH.end_date}`,
      );
      expect({ quantity: report.body.quantity, amount: report.body.amount }).toEqual({
        quantity: '1200',
        amount: '2.20',
      });
    });

    it('bills late usage that lowers a volume price as a negative line, carried to the invoice balance and used by the next invoice', async () => {
      const api = await merchant();
      const customer = await api.customer('Cliff');
      const cliff = await api.metric('Cliff', { price: { model: 'volume', tiers: THREE_TIERS } });
      const march = { period_start: iso(MARCH.start_date), period_end: iso(MARCH.end_date) };
      const label = `Cliff (usage from earlier periods: ${MARCH_LABEL})`;
      // March: 40000 + 50000 = 90000, all in the second tier: 90000 × 0.002 = 180.00
      await api.log(customer, spread(cliff.event_name, ['40000', '50000'], at(3, 9, 9)));
      expect((await api.bill(customer, MARCH)).total).toBe('180.00');

      // 20000 late: 110000 in the third tier: 110000 × 0.001 = 110.00, 70.00 less than the 180.00
      // billed: the line bills −70.00, its tiers showing the move between tiers; the invoice
      // closes at 0.00 and carries the 70.00 to the payer's invoice balance.
      await api.log(customer, spread(cliff.event_name, ['20000'], at(3, 30, 9)));
      await api.untilFolded(customer);
      const cliffLine = {
        kind: 'late_usage',
        metric: cliff.id,
        description: label,
        quantity: '20000',
        unit_amount: null,
        amount: '-70.00',
        tiers: [
          tierRow('1000', '100000', '-90000', '0.002', '0', '-180'),
          tierRow('100000', null, '110000', '0.001', '0', '110'),
        ],
        ...march,
      };
      const carried = {
        kind: 'balance_carried',
        metric: null,
        description: 'Carried to the invoice balance, for the next invoices',
        quantity: '1',
        unit_amount: '70',
        amount: '70.00',
        tiers: null,
        period_start: null,
        period_end: null,
      };
      const preview = await api.preview(
        `customer=${customer}&start_date=${APRIL.start_date}&end_date=${APRIL.end_date}`,
      );
      const april = await api.bill(customer, APRIL);
      expect(preview.lines.data.map(pricedLine)).toEqual([cliffLine, carried]);
      expect(april.lines.data.map(pricedLine)).toEqual([cliffLine, carried]);
      expect([preview.total, april.total, april.status]).toEqual(['0.00', '0.00', 'paid']);
      const balances = await api.call('GET', `/v1/customers/${customer}/invoice_balances`);
      expect(balances.body.data).toEqual([
        {
          object: 'invoice_balance',
          currency: 'usd',
          amount: '70.00',
          entries: [{ invoice: april.id, kind: 'carried', amount: '70.00', created_at: expect.any(String) }],
        },
      ]);

      // 90000 more late (200000 in all): 200000 × 0.001 = 200.00, less the 180.00 − 70.00 billed
      // = 90.00, of which the balance pays 70.00.
      await api.log(customer, spread(cliff.event_name, ['45000', '45000'], at(3, 31, 0)));
      await api.untilFolded(customer);
      const may = await api.bill(customer, MAY);
      expect(may.lines.data.map(pricedLine)).toEqual([
        {
          ...cliffLine,
          quantity: '90000',
          amount: '90.00',
          tiers: [
            tierRow('1000', '100000', '0', '0.002', '0', '0'),
            tierRow('100000', null, '90000', '0.001', '0', '90'),
          ].filter((tier) => tier.quantity !== '0'),
        },
        {
          ...carried,
          kind: 'balance_applied',
          description: 'Invoice balance applied',
          unit_amount: '-70',
          amount: '-70.00',
        },
      ]);
      expect(may.total).toBe('20.00');
      const after = await api.call('GET', `/v1/customers/${customer}/invoice_balances`);
      expect(after.body.data[0].amount).toBe('0.00');
    });
  });

  describe('4. split invariance through the real path', () => {
    // 0–100 at 0.5 + 10.00 flat, 100–1000 at 0.1 + 5.00 flat, above at 0.0015.
    const TIERS = [
      { up_to: '100', unit_amount: '0.5', flat_amount: '10.00' },
      { up_to: '1000', unit_amount: '0.1', flat_amount: '5.00' },
      { up_to: null, unit_amount: '0.0015' },
    ];
    // 3000.5 units: 100 × 0.5 + 10 = 60; 900 × 0.1 + 5 = 95; 2000.5 × 0.0015 = 3.00075;
    // 60 + 95 + 3.00075 = 158.00075 → 158.00
    const WHOLE_TIERS = [
      tierRow('0', '100', '100', '0.5', '10', '60'),
      tierRow('100', '1000', '900', '0.1', '5', '95'),
      tierRow('1000', null, '2000.5', '0.0015', '0', '3.00075'),
    ];
    let api: Api;
    let split: { id: string; event_name: string };

    beforeAll(async () => {
      api = await merchant();
      split = await api.metric('Split', { price: { model: 'graduated', tiers: TIERS } });
    });

    it('prices one window the same whether its usage came in one batch or across hours, batches and folds', async () => {
      const whole = await api.customer('Whole');
      const pieces = await api.customer('Pieces');
      await api.log(whole, [{ event: split.event_name, value: '3000.5', timestamp: at(3, 15, 12) }]);
      // 50 + 30.25 = 80.25 | + 500 + 419.75 + 0.5 = 1000.5 | + 1000 + 999.75 + 0.25 = 3000.5,
      // each round folded by the rollup before the next is logged.
      await api.log(pieces, spread(split.event_name, ['50', '30.25'], at(3, 1, 0)), 1);
      await api.untilFolded(pieces);
      await api.log(pieces, spread(split.event_name, ['500', '419.75', '0.5'], at(3, 12, 5)), 2);
      await api.untilFolded(pieces);
      await api.log(pieces, spread(split.event_name, ['1000', '999.75', '0.25'], at(3, 30, 7)), 2);
      await api.untilFolded(pieces);

      const [a, b] = await Promise.all([api.bill(whole, MARCH), api.bill(pieces, MARCH)]);
      const expected = {
        kind: 'usage',
        metric: split.id,
        description: 'Split',
        quantity: '3000.5',
        unit_amount: null,
        amount: '158.00',
        tiers: WHOLE_TIERS,
        period_start: iso(MARCH.start_date),
        period_end: iso(MARCH.end_date),
      };
      expect(a.lines.data.map(pricedLine)).toEqual([expected]);
      expect(b.lines.data.map(pricedLine)).toEqual([expected]);
      expect([a.total, b.total]).toEqual(['158.00', '158.00']);
    });

    it('bills late usage split across two later invoices so that the window totals what its whole usage costs', async () => {
      const late = await api.customer('Late pieces');
      const marchPeriod = { period_start: iso(MARCH.start_date), period_end: iso(MARCH.end_date) };
      const lateLine = (quantity: string, amount: string, tiers: unknown[]) => ({
        kind: 'late_usage',
        metric: split.id,
        description: `Split (usage from earlier periods: ${MARCH_LABEL})`,
        quantity,
        unit_amount: null,
        amount,
        tiers,
        ...marchPeriod,
      });

      // March: 80 + 0.333 = 80.333 → 80.333 × 0.5 + 10 = 50.1665 → 50.17
      await api.log(late, spread(split.event_name, ['80', '0.333'], at(3, 2, 3)), 1);
      const march = await api.bill(late, MARCH);
      expect(march.lines.data.map(pricedLine)).toEqual([
        {
          kind: 'usage',
          metric: split.id,
          description: 'Split',
          quantity: '80.333',
          unit_amount: null,
          amount: '50.17',
          tiers: [tierRow('0', '100', '80.333', '0.5', '10', '50.1665')],
          ...marchPeriod,
        },
      ]);

      // Late, on April's invoice: 900 + 20.1 = 920.1 more March units (1000.433 in all):
      // rate(1000.433) = 60 + 95 + 0.433 × 0.0015 = 155.0006495 → 155.00; − 50.17 = 104.83.
      await api.log(late, spread(split.event_name, ['900', '20.1'], at(3, 20, 0)), 2);
      await api.untilFolded(late);
      const april = await api.bill(late, APRIL);
      expect(april.lines.data.map(pricedLine)).toEqual([
        lateLine('920.1', '104.83', [
          // 100 − 80.333 = 19.667 units, 60 − 50.1665 = 9.8335; the tier was reached already (no flat)
          tierRow('0', '100', '19.667', '0.5', '0', '9.8335'),
          tierRow('100', '1000', '900', '0.1', '5', '95'),
          tierRow('1000', null, '0.433', '0.0015', '0', '0.0006495'),
        ]),
      ]);

      // Late again, on May's invoice: 2000 + 0.067 = 2000.067 (3000.5 in all):
      // rate(3000.5) = 158.00; − (50.17 + 104.83) = 3.00.
      await api.log(late, spread(split.event_name, ['2000', '0.067'], at(3, 31, 1)), 2);
      await api.untilFolded(late);
      const may = await api.bill(late, MAY);
      expect(may.lines.data.map(pricedLine)).toEqual([
        // 2000.067 × 0.0015 = 3.0001005 (3.00075 − 0.0006495)
        lateLine('2000.067', '3.00', [tierRow('1000', null, '2000.067', '0.0015', '0', '3.0001005')]),
      ]);

      // March's three lines add up to what 3000.5 units cost at once (case above): 158.00.
      const lines = [march, april, may].map((inv) => inv.lines.data[0] as InvoiceLine);
      expect(centsText(lines.reduce((sum, line) => sum + cents(line.amount), 0n))).toBe('158.00');
      // So do their tier quantities: 80.333 + 19.667 = 100; 900; 0.433 + 2000.067 = 2000.5.
      const byTier = new Map<string, number>();
      for (const line of lines)
        for (const tier of line.tiers as Array<{ from: string; quantity: string }>)
          byTier.set(
            tier.from,
            Math.round(((byTier.get(tier.from) ?? 0) + Number(tier.quantity)) * 1000) / 1000,
          );
      expect(Object.fromEntries(byTier)).toEqual({ '0': 100, '100': 900, '1000': 2000.5 });
    });
  });

  describe('5. price validation', () => {
    it('refuses each bad price with 400, its code and param, and creates no metric', async () => {
      const api = await merchant();
      const tiers = (...upTos: Array<string | number | null>) =>
        upTos.map((up_to) => ({ up_to, unit_amount: '0.001' }));
      const cases: Array<[string, Record<string, unknown>, string, string]> = [
        // [what, body beyond name/event_name/aggregation, code, param]
        [
          'up_to as a number (decimals are strings)',
          { price: { model: 'graduated', tiers: tiers(1000, null) } },
          'price_invalid',
          'price.tiers[0].up_to',
        ],
        ['unknown model', { price: { model: 'tiered', tiers: tiers(null) } }, 'price_invalid', 'price.model'],
        ['price not an object', { price: '0.001' }, 'price_invalid', 'price'],
        [
          'a field of another model',
          { price: { model: 'per_unit', unit_amount: '1', tiers: tiers(null) } },
          'price_invalid',
          'price.tiers',
        ],
        [
          'unknown tier field',
          { price: { model: 'volume', tiers: [{ up_to: null, unit_amount: '1', price: '2' }] } },
          'price_invalid',
          'price.tiers[0].price',
        ],
        ['missing unit_amount', { price: { model: 'per_unit' } }, 'price_invalid', 'price.unit_amount'],
        [
          'negative amount',
          { price: { model: 'per_unit', unit_amount: '-1' } },
          'price_invalid',
          'price.unit_amount',
        ],
        [
          'tiers not an array',
          { price: { model: 'graduated', tiers: { up_to: null } } },
          'price_invalid',
          'price.tiers',
        ],
        [
          'unknown rounding',
          { price: { model: 'package', package_size: '10', package_amount: '1.00', rounding: 'nearest' } },
          'price_invalid',
          'price.rounding',
        ],
        [
          'both unit_amount and price',
          { unit_amount: '0.001', price: { model: 'per_unit', unit_amount: '0.001' } },
          'price_invalid',
          'price',
        ],
        ['no tiers', { price: { model: 'graduated', tiers: [] } }, 'price_tiers_invalid', 'price.tiers'],
        [
          'tiers not ascending',
          { price: { model: 'graduated', tiers: tiers('1000', '500', null) } },
          'price_tiers_invalid',
          'price.tiers[1].up_to',
        ],
        [
          'a zero up_to',
          { price: { model: 'volume', tiers: tiers('0', null) } },
          'price_tiers_invalid',
          'price.tiers[0].up_to',
        ],
        [
          'last tier not open-ended',
          { price: { model: 'graduated', tiers: tiers('1000') } },
          'price_tiers_invalid',
          'price.tiers[0].up_to',
        ],
        [
          'open-ended tier not last',
          { price: { model: 'volume', tiers: tiers(null, '1000') } },
          'price_tiers_invalid',
          'price.tiers[0].up_to',
        ],
        [
          'package_size 0',
          { price: { model: 'package', package_size: '0', package_amount: '1.00' } },
          'price_package_invalid',
          'price.package_size',
        ],
        [
          'usd flat_amount with 3 decimals',
          { price: { model: 'graduated', tiers: [{ up_to: null, unit_amount: '1', flat_amount: '0.001' }] } },
          'price_amount_precision',
          'price.tiers[0].flat_amount',
        ],
        [
          'usd package_amount with 3 decimals',
          { price: { model: 'package', package_size: '10', package_amount: '5.001' } },
          'price_amount_precision',
          'price.package_amount',
        ],
        [
          'usd minimum with 3 decimals',
          { price: { model: 'per_unit', unit_amount: '1', minimum_amount: '1.005' } },
          'price_amount_precision',
          'price.minimum_amount',
        ],
        [
          'jpy maximum with decimals',
          { currency: 'jpy', price: { model: 'per_unit', unit_amount: '1', maximum_amount: '100.5' } },
          'price_amount_precision',
          'price.maximum_amount',
        ],
        [
          'minimum above maximum',
          { price: { model: 'per_unit', unit_amount: '1', minimum_amount: '10.00', maximum_amount: '9.99' } },
          'price_bounds_invalid',
          'price.minimum_amount',
        ],
        ['neither unit_amount nor price', {}, 'parameter_missing', 'price'],
      ];
      const refused: string[] = [];
      for (const [what, body, code, param] of cases) {
        const eventName = `refused_${refused.length}`;
        refused.push(eventName);
        const answer = await api.call('POST', '/v1/billing/metering', {
          name: what,
          event_name: eventName,
          aggregation: 'sum',
          ...body,
        });
        expect({
          what,
          status: answer.status,
          code: answer.body.error?.code,
          param: answer.body.error?.param,
        }).toEqual({
          what,
          status: 400,
          code,
          param,
        });
      }

      // Unit amounts may have more decimals than money.
      const fine = await api.metric('Fine', { unit_amount: '0.0001' });
      expect(fine).toMatchObject({
        unit_amount: '0.0001',
        price: { model: 'per_unit', unit_amount: '0.0001', minimum_amount: null, maximum_amount: null },
      });
      const listed = await api.call('GET', '/v1/billing/metering?limit=100');
      expect(listed.body.data.map((metric: { event_name: string }) => metric.event_name)).toEqual(['fine']);
    });

    // PRODUCT BUG (left failing on purpose): README's contract takes `null` only where the OpenAPI
    // document says nullable and refuses it elsewhere with 400; a tier's flat_amount, a package's
    // rounding and a metric's price are not nullable there, yet null is taken for each as if left
    // out (201, flat_amount "0", rounding "up", the unit_amount's per_unit price), while the
    // same null for unit_amount beside a price is refused (400 parameter_invalid).
    it('refuses null where the document does not declare it nullable, as it does for unit_amount', async () => {
      const api = await merchant();
      const cases: Array<[string, Record<string, unknown>, string[], string]> = [
        // [what, body beyond name/event_name/aggregation, codes a wrong type may answer, param]
        [
          'unit_amount: null beside a price (refused today)',
          { unit_amount: null, price: { model: 'per_unit', unit_amount: '1' } },
          ['parameter_invalid'],
          'unit_amount',
        ],
        [
          'flat_amount: null',
          { price: { model: 'graduated', tiers: [{ up_to: null, unit_amount: '1', flat_amount: null }] } },
          ['price_invalid'],
          'price.tiers[0].flat_amount',
        ],
        [
          'rounding: null',
          { price: { model: 'package', package_size: '10', package_amount: '1.00', rounding: null } },
          ['price_invalid'],
          'price.rounding',
        ],
        [
          'price: null beside unit_amount',
          { unit_amount: '1', price: null },
          ['price_invalid', 'parameter_invalid'],
          'price',
        ],
      ];
      const answers = [];
      for (const [index, [what, body, codes]] of cases.entries()) {
        const answer = await api.call('POST', '/v1/billing/metering', {
          name: what,
          event_name: `null_${index}`,
          aggregation: 'sum',
          ...body,
        });
        answers.push({
          what,
          status: answer.status,
          // Any one of the codes a wrong type may answer is right: shown as the list of them.
          code: codes.includes(answer.body.error?.code)
            ? codes.join(' | ')
            : (answer.body.error?.code ?? null),
          param: answer.body.error?.param ?? null,
        });
      }
      expect(answers).toEqual(
        cases.map(([what, , codes, param]) => ({ what, status: 400, code: codes.join(' | '), param })),
      );
      expect((await api.call('GET', '/v1/billing/metering?limit=100')).body.data).toEqual([]);
    });
  });
});
