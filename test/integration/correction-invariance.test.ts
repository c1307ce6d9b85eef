import fc from 'fast-check';
import { decimalText, ExactDecimal } from '../../src/common/money/decimal.js';
import { InvoiceCollectionService } from '../../src/invoicing/invoice-collection.service.js';
import { priceFromJson } from '../../src/metering/domain/price.js';
import { rate } from '../../src/metering/domain/rating.js';
import { quantityOf } from '../../src/usage/domain/quantity.js';
import { ReportsService } from '../../src/usage/reports.service.js';
import { RollupService } from '../../src/usage/rollup.service.js';
import { LAST_YEAR } from '../support/calendar.js';
import { storedPrice } from '../support/prices.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';

/** Two consecutive billing windows (UTC months) of last year, then one more for what comes late. */
const MONTHS = [0, 1].map((month) => ({
  start: new Date(Date.UTC(LAST_YEAR, month, 1)),
  end: new Date(Date.UTC(LAST_YEAR, month + 1, 1)),
}));
const HOUR_MS = 3_600_000;

/** One metric per aggregation, each with a price whose tiers a correction can move across. */
const METRICS = {
  sum: {
    aggregation: 'sum',
    price: {
      model: 'graduated',
      tiers: [
        { up_to: '10', unit_amount: '0.5', flat_amount: '1.00' },
        { up_to: null, unit_amount: '0.125' },
      ],
    },
  },
  count: { aggregation: 'count', price: { model: 'package', package_size: '3', package_amount: '0.70' } },
  count_unique: {
    aggregation: 'count_unique',
    price: {
      model: 'graduated',
      tiers: [
        { up_to: '1', unit_amount: '0' },
        { up_to: null, unit_amount: '1.10' },
      ],
    },
  },
  average: {
    aggregation: 'average',
    price: {
      model: 'volume',
      tiers: [
        { up_to: '4', unit_amount: '2' },
        { up_to: null, unit_amount: '1.5' },
      ],
    },
  },
  time_duration: {
    aggregation: 'time_duration',
    time_unit: 'minute',
    price: {
      model: 'graduated',
      tiers: [
        { up_to: '60', unit_amount: '0.10' },
        { up_to: null, unit_amount: '0.05' },
      ],
    },
  },
  markup_percentage: {
    aggregation: 'markup_percentage',
    price: {
      model: 'volume',
      tiers: [
        { up_to: '1', unit_amount: '3' },
        { up_to: null, unit_amount: '2' },
      ],
    },
  },
} as const;
type MetricName = keyof typeof METRICS;
const NAMES = Object.keys(METRICS) as MetricName[];

/** An event's content: which month and hour, its value (or counted entity), interval and markup. */
interface Content {
  month: number;
  hour: number;
  value: number;
  minutes: number;
  markup: number;
}
interface LoggedEvent extends Content {
  id: string;
  metric: MetricName;
  voided: boolean;
}

type Step =
  | { log: Array<Content & { metric: MetricName }> }
  | { void: number }
  | { amend: number; to: Partial<Content> }
  | { fold: number }
  | { invoice: true };

const contentFields = {
  month: fc.integer({ min: 0, max: MONTHS.length - 1 }),
  hour: fc.integer({ min: 0, max: 27 * 24 }),
  value: fc.integer({ min: 0, max: 9 }),
  minutes: fc.integer({ min: 1, max: 59 }),
  markup: fc.integer({ min: 0, max: 50 }),
};
const logged$ = fc.record({ metric: fc.constantFrom(...NAMES), ...contentFields });
const steps$: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.array(logged$, { minLength: 1, maxLength: 5 }).map((log) => ({ log })) },
    { weight: 2, arbitrary: fc.nat().map((index) => ({ void: index })) },
    {
      weight: 3,
      arbitrary: fc.record({ amend: fc.nat(), to: fc.record(contentFields, { requiredKeys: [] }) }),
    },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }).map((fold) => ({ fold })) },
    { weight: 1, arbitrary: fc.constant({ invoice: true as const }) },
  ),
  { minLength: 1, maxLength: 16 },
);

/**
 * Corrections bill exactly once, whatever their order: for any sequence of logging, voiding and
 * amending events (every aggregation, tiered prices), folded in batches of any size and billed
 * over several invoices (a correction after its month was invoiced is an adjustment on a later
 * one), the reports and the total billed over all invoices equal what logging only the final
 * versions would give; every row ends on exactly one invoice, and the invoices' totals less the
 * balance they carried forward are the usage they billed. Through the real ingestion,
 * correction, fold, claim and issue path on PostgreSQL.
 */
describe('event corrections are billed exactly once through the fold and the claims', () => {
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
        name: `Corrected ${name}`,
        event_name: `corrected_${name}`,
        ...METRICS[name],
      });
      expect(created.status).toBe(201);
      metrics.set(name, { id: created.body.id, eventName: created.body.event_name });
    }
  });

  /** The fields an event of `metric` carries for its content (what logging and amending send). */
  const fields = (metric: MetricName, content: Content) => {
    const timestamp = new Date(MONTHS[content.month]!.start.getTime() + content.hour * HOUR_MS);
    return {
      timestamp: timestamp.toISOString(),
      value: metric === 'count_unique' ? `user-${content.value % 4}` : String(content.value),
      ...(metric === 'time_duration' && {
        start_time: timestamp.toISOString(),
        end_time: new Date(timestamp.getTime() + content.minutes * 60_000).toISOString(),
      }),
      ...(metric === 'markup_percentage' && { markup_percentage: String(content.markup) }),
    };
  };
  const foldAll = async () => {
    while ((await stack.api.app.get(RollupService).rollUpBatch(50)).folded > 0);
  };
  const invoice = async (customer: string, start: Date, end: Date) => {
    const draft = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: start.toISOString(),
      end_date: end.toISOString(),
      collection_method: 'send_invoice',
      currency: 'usd',
    });
    expect(draft.status).toBe(201);
    await stack.api.app.get(InvoiceCollectionService).issue(merchantId, draft.body.id);
  };

  /** The quantity logging only `events` (the final versions) gives, computed apart from the pipeline. */
  const quantityOfFinal = (metric: MetricName, events: LoggedEvent[]): string => {
    const values = events.map((event) => event.value);
    switch (metric) {
      case 'sum':
        return String(values.reduce((a, b) => a + b, 0));
      case 'count':
        return String(events.length);
      case 'count_unique':
        return String(new Set(values.map((value) => value % 4)).size);
      case 'average':
        return quantityOf(
          'average',
          {
            count: events.length,
            sum: String(values.reduce((a, b) => a + b, 0)),
            markupSum: '0',
            durationMs: '0',
            distinct: {},
          },
          null,
        );
      case 'time_duration':
        return String(events.reduce((sum, event) => sum + event.minutes, 0));
      case 'markup_percentage':
        return decimalText(
          events.reduce(
            (sum, event) => sum.plus(new ExactDecimal(event.value).times(event.markup).div(100)),
            new ExactDecimal(0),
          ),
        );
    }
  };

  /** Prepaid runs start with a free grant of this many dollars (null: the customer pays invoices only). */
  const grant$ = fc.option(fc.integer({ min: 1, max: 40 }), { nil: null });

  it('reports and bills what the final versions alone would give, each once, prepaid or not', async () => {
    await fc.assert(
      fc.asyncProperty(steps$, grant$, async (steps, credits) => {
        runs += 1;
        const customer = (await call('POST', '/v1/customers', { name: `corrected ${runs}` })).body
          .id as string;
        const grant =
          credits === null
            ? null
            : await call('POST', '/v1/billing/credits', {
                customer,
                amount: `${credits}.00`,
                currency: 'usd',
                paid: false,
              });
        if (grant) expect(grant.status).toBe(201);
        const logged: LoggedEvent[] = [];
        let invoiced = 0;
        for (const [index, step] of steps.entries()) {
          if ('log' in step) {
            const answer = await call('POST', '/v1/billing/metering_events/batch', {
              events: step.log.map((event, position) => ({
                customer,
                event_name: metrics.get(event.metric)!.eventName,
                reference: `corrected-${runs}-${index}-${position}`,
                ...fields(event.metric, event),
              })),
            });
            expect(answer.body.created).toBe(step.log.length);
            step.log.forEach((event, position) =>
              logged.push({ ...event, id: answer.body.data[position].id, voided: false }),
            );
          } else if ('void' in step) {
            const target = logged[step.void % Math.max(logged.length, 1)];
            if (!target) continue;
            const voided = await call('POST', `/v1/billing/metering_events/${target.id}/void`, {});
            expect(voided.status).toBe(200);
            target.voided = true;
          } else if ('amend' in step) {
            const target = logged[step.amend % Math.max(logged.length, 1)];
            if (!target) continue;
            const next = { ...target, ...step.to };
            const amended = await call('POST', `/v1/billing/metering_events/${target.id}/amend`, {
              ...fields(target.metric, next),
            });
            if (target.voided) {
              expect({ status: amended.status, code: amended.body.error?.code }).toEqual({
                status: 409,
                code: 'event_voided',
              });
              continue;
            }
            expect(amended.status).toBe(200);
            Object.assign(target, step.to);
          } else if ('fold' in step) {
            await stack.api.app.get(RollupService).rollUpBatch(step.fold);
          } else if (invoiced < MONTHS.length) {
            await invoice(customer, MONTHS[invoiced]!.start, MONTHS[invoiced]!.end);
            invoiced += 1;
          }
        }
        while (invoiced < MONTHS.length) {
          await invoice(customer, MONTHS[invoiced]!.start, MONTHS[invoiced]!.end);
          invoiced += 1;
        }
        await foldAll();
        // What came late for the months already billed: one more invoice takes it.
        const last = MONTHS[MONTHS.length - 1]!.end;
        await invoice(customer, last, new Date(last.getTime() + 31 * 24 * HOUR_MS));

        const live = logged.filter((event) => !event.voided);
        const expectedBilled = new Map<string, string>();
        const reports = stack.api.app.get(ReportsService);
        for (const [month, period] of MONTHS.entries()) {
          const reported = await reports.quantities(
            merchantId,
            { kind: 'customer', id: customer },
            period.start,
            period.end,
          );
          for (const name of NAMES) {
            const events = live.filter((event) => event.metric === name && event.month === month);
            const quantity = quantityOfFinal(name, events);
            const metricId = metrics.get(name)!.id;
            expect([name, month, decimalText(new ExactDecimal(reported.get(metricId) ?? '0'))]).toEqual([
              name,
              month,
              quantity,
            ]);
            if (logged.some((event) => event.metric === name)) {
              const amount =
                events.length === 0
                  ? '0'
                  : rate(quantity, priceFromJson(storedPrice(METRICS[name].price)), 'usd');
              expectedBilled.set(
                `${metricId} ${period.start.toISOString()}`,
                decimalText(new ExactDecimal(amount)),
              );
            }
          }
        }
        const billed = await stack.sql.query(
          `SELECT l.metric_id, l.period_start, sum(l.amount)::text AS amount
             FROM invoice_lines l JOIN invoices i ON i.merchant_id = l.merchant_id AND i.id = l.invoice_id
            WHERE i.payer_id = $1 AND i.status <> 'void' AND l.kind IN ('usage', 'late_usage', 'adjustment')
            GROUP BY 1, 2`,
          [customer],
        );
        const billedPerPeriod = new Map<string, string>(
          billed.rows.map((row: { metric_id: string; period_start: Date; amount: string }) => [
            `${row.metric_id} ${row.period_start.toISOString()}`,
            decimalText(new ExactDecimal(row.amount)),
          ]),
        );
        for (const key of billedPerPeriod.keys()) if (!expectedBilled.has(key)) expectedBilled.set(key, '0');
        for (const key of expectedBilled.keys()) if (!billedPerPeriod.has(key)) billedPerPeriod.set(key, '0');
        expect(billedPerPeriod).toEqual(expectedBilled);

        // Every row (events, versions, reversals) is on exactly one invoice, none left behind.
        const rows = await stack.sql.query(
          `SELECT count(*)::int AS unbilled FROM billing_metric_events
            WHERE merchant_id = $1 AND customer_id = $2 AND invoice_id IS NULL`,
          [merchantId, customer],
        );
        expect(rows.rows[0].unbilled).toBe(0);
        // The invoices charge the usage they billed, less what their balance carried forward.
        const totals = await stack.sql.query(
          `SELECT coalesce(sum(total), 0)::text AS totals,
                  (SELECT coalesce(sum(amount), 0)::text FROM invoice_balance_entries
                    WHERE merchant_id = $1 AND payer_id = $2) AS balance
             FROM invoices WHERE merchant_id = $1 AND payer_id = $2 AND status <> 'void'`,
          [merchantId, customer],
        );
        // Prepaid: what credits paid (drawn, less what corrections returned) counts as charged too.
        const drawn = grant
          ? (
              await stack.sql.query(
                `SELECT (amount - remaining)::text AS drawn FROM credit_grants WHERE merchant_id = $1 AND id = $2`,
                [merchantId, grant.body.id],
              )
            ).rows[0].drawn
          : '0';
        const charged = new ExactDecimal(totals.rows[0].totals).minus(totals.rows[0].balance).plus(drawn);
        const usage = [...billedPerPeriod.values()].reduce(
          (sum, amount) => sum.plus(amount),
          new ExactDecimal(0),
        );
        expect(decimalText(charged)).toBe(decimalText(usage));
        expect(new ExactDecimal(totals.rows[0].balance).isNegative()).toBe(false);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 300_000);
});
