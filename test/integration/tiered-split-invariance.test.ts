import fc from 'fast-check';
import { InvoiceCollectionService } from '../../src/invoicing/invoice-collection.service.js';
import { priceFromJson } from '../../src/metering/domain/price.js';
import { rate } from '../../src/metering/domain/rating.js';
import { RollupService } from '../../src/usage/rollup.service.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';
import { storedPrice } from '../support/prices.js';

/** Three consecutive billing windows (UTC months) of last year: each a billing period of its own. */
const MONTHS = [0, 1, 2].map((month) => ({
  start: new Date(Date.UTC(LAST_YEAR, month, 1)),
  end: new Date(Date.UTC(LAST_YEAR, month + 1, 1)),
}));

const PRICES = {
  graduated_sum: {
    aggregation: 'sum',
    price: {
      model: 'graduated',
      tiers: [
        { up_to: '10', unit_amount: '0.5', flat_amount: '1.00' },
        { up_to: '40', unit_amount: '0.25' },
        { up_to: null, unit_amount: '0.125', flat_amount: '0.50' },
      ],
    },
  },
  volume_sum: {
    aggregation: 'sum',
    price: {
      model: 'volume',
      // The flat amount keeps the price from falling as usage grows (a volume cliff would make a
      // later part of a period a negative line; the corrections test covers those).
      tiers: [
        { up_to: '25', unit_amount: '0.3' },
        { up_to: null, unit_amount: '0.2', flat_amount: '2.50' },
      ],
      minimum_amount: '1.00',
    },
  },
  package_count: {
    aggregation: 'count',
    price: { model: 'package', package_size: '3', package_amount: '0.70' },
  },
  graduated_unique: {
    aggregation: 'count_unique',
    price: {
      model: 'graduated',
      tiers: [
        { up_to: '2', unit_amount: '0' },
        { up_to: null, unit_amount: '1.10' },
      ],
    },
  },
} as const;
type MetricName = keyof typeof PRICES;
const NAMES = Object.keys(PRICES) as MetricName[];

interface Usage {
  metric: MetricName;
  month: number;
  hour: number;
  value: number;
}

/** An operation of a run: log some events, fold some of what waits, or issue the next month's invoice. */
type Step = { log: Usage[] } | { fold: number } | { invoice: true };

const usage$ = fc.record({
  metric: fc.constantFrom(...NAMES),
  month: fc.integer({ min: 0, max: 2 }),
  hour: fc.integer({ min: 0, max: 27 * 24 }),
  value: fc.integer({ min: 0, max: 9 }),
});
const steps$: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.array(usage$, { minLength: 1, maxLength: 6 }).map((log) => ({ log })) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 5 }).map((fold) => ({ fold })) },
    { weight: 1, arbitrary: fc.constant({ invoice: true as const }) },
  ),
  { minLength: 1, maxLength: 12 },
);

/**
 * Tiers apply to a whole billing period's quantity, whatever the split: usage logged in pieces,
 * folded in rollup batches of any size across hours, and billed over several invoices (late
 * usage priced as the difference it makes to its window's total) costs for each period exactly
 * what the period's whole usage costs at once — through the real ingestion, fold, claim and
 * issue path on PostgreSQL, not only in the pure function.
 */
describe('tiered prices are split-invariant through the fold and the claims', () => {
  const stack = useTestStack();
  let key: string;
  let merchantId: string;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });
  const metrics = new Map<MetricName, { id: string; eventName: string }>();
  let runs = 0;

  beforeAll(async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    key = merchant.key;
    merchantId = merchant.id;
    for (const name of NAMES) {
      const created = await call('POST', '/v1/billing/metering', {
        name,
        event_name: `split_${name}`,
        ...PRICES[name],
      });
      expect(created.status).toBe(201);
      metrics.set(name, { id: created.body.id, eventName: created.body.event_name });
    }
  });

  const log = async (customer: string, events: Usage[], prefix: string) => {
    if (events.length === 0) return;
    const answer = await call('POST', '/v1/billing/metering_events/batch', {
      events: events.map((event, index) => ({
        customer,
        event_name: metrics.get(event.metric)!.eventName,
        reference: `${prefix}-${index}`,
        timestamp: new Date(MONTHS[event.month]!.start.getTime() + event.hour * 3_600_000).toISOString(),
        // count_unique counts distinct values; a few of them repeat.
        value: event.metric === 'graduated_unique' ? `user-${event.value % 5}` : String(event.value),
      })),
    });
    expect(answer.body.created).toBe(events.length);
  };
  const foldAll = async () => {
    while ((await stack.api.app.get(RollupService).rollUpBatch(50)).folded > 0);
  };
  /** Creates the billing invoice of MONTHS[index] and issues it on the spot (its workflow is not needed here). */
  const invoice = async (customer: string, index: number) => {
    const draft = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: MONTHS[index]!.start.toISOString(),
      end_date: MONTHS[index]!.end.toISOString(),
      collection_method: 'send_invoice',
      currency: 'usd',
    });
    expect(draft.status).toBe(201);
    await stack.api.app.get(InvoiceCollectionService).issue(merchantId, draft.body.id);
  };
  /** Per "metric period" (period start), the sum of the customer's usage line amounts. */
  const billedPerPeriod = async (customer: string) => {
    const rows = await stack.sql.query(
      `SELECT l.metric_id, l.period_start, sum(l.amount)::text AS amount
         FROM invoice_lines l JOIN invoices i ON i.merchant_id = l.merchant_id AND i.id = l.invoice_id
        WHERE i.payer_id = $1 AND l.kind IN ('usage', 'late_usage') GROUP BY 1, 2`,
      [customer],
    );
    return new Map(
      rows.rows.map((row: { metric_id: string; period_start: Date; amount: string }) => [
        `${row.metric_id} ${row.period_start.toISOString()}`,
        row.amount,
      ]),
    );
  };

  it('bills each period at the price of its whole usage, split or not', async () => {
    await fc.assert(
      fc.asyncProperty(steps$, async (steps) => {
        runs += 1;
        const split = (await call('POST', '/v1/customers', { name: `split ${runs}` })).body.id as string;
        const whole = (await call('POST', '/v1/customers', { name: `whole ${runs}` })).body.id as string;
        const all: Usage[] = [];
        let invoiced = 0;
        for (const [index, step] of steps.entries()) {
          if ('log' in step) {
            await log(split, step.log, `split-${runs}-${index}`);
            all.push(...step.log);
          } else if ('fold' in step) {
            await stack.api.app.get(RollupService).rollUpBatch(step.fold);
          } else if (invoiced < MONTHS.length) {
            await invoice(split, invoiced++);
          }
        }
        // The rest of the months, in order: what arrived after a month was invoiced is late for it.
        while (invoiced < MONTHS.length) await invoice(split, invoiced++);
        await foldAll();
        // Late usage after the last month: one more invoice takes it, for the periods it belongs to.
        await invoiceLater(split);

        await log(whole, all, `whole-${runs}`);
        await foldAll();
        for (let index = 0; index < MONTHS.length; index += 1) await invoice(whole, index);

        const expected = new Map<string, string>();
        for (const name of NAMES) {
          for (const [month, period] of MONTHS.entries()) {
            const events = all.filter((event) => event.metric === name && event.month === month);
            if (events.length === 0) continue;
            const quantity =
              name === 'graduated_unique'
                ? new Set(events.map((event) => event.value % 5)).size
                : name === 'package_count'
                  ? events.length
                  : events.reduce((sum, event) => sum + event.value, 0);
            expected.set(
              `${metrics.get(name)!.id} ${period.start.toISOString()}`,
              rate(String(quantity), priceFromJson(storedPrice(PRICES[name].price)), 'usd'),
            );
          }
        }
        expect(await billedPerPeriod(split)).toEqual(expected);
        expect(await billedPerPeriod(whole)).toEqual(expected);
      }),
      { numRuns: 12, seed: 20261203, endOnFailure: true },
    );
  }, 240_000);

  /** A billing invoice for the month after the last one: it takes only late usage. */
  const invoiceLater = async (customer: string) => {
    const start = MONTHS[MONTHS.length - 1]!.end;
    const draft = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: start.toISOString(),
      end_date: new Date(Date.UTC(LAST_YEAR, MONTHS.length + 1, 1)).toISOString(),
      collection_method: 'send_invoice',
      currency: 'usd',
    });
    expect(draft.status).toBe(201);
    await stack.api.app.get(InvoiceCollectionService).issue(merchantId, draft.body.id);
  };
});
