import { SubscriptionCycleService } from '../../src/subscriptions/subscription-cycle.service.js';
import { caller, customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { createMerchant, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

/**
 * The cycle workflow's steps run again (a worker that died after a step's commit, before its
 * result was recorded): nothing is invoiced twice. No worker here: this file runs the steps itself.
 */
describe('subscription cycle steps are idempotent', () => {
  const stack = useTestStack();

  it('opens a period once, invoices its base fee once, and bills its overage once', async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    const call = caller(stack.api.baseUrl, merchant.key);
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'jobs', '1');
    await logEvents(call, {
      customer,
      eventName: 'jobs',
      count: 7,
      value: '1',
      from: `${LAST_YEAR}-01-05T00:00:00Z`,
      prefix: 'j',
    });
    const created = await call('POST', '/v1/subscriptions', {
      customer,
      interval: 'week',
      base_amount: '3.00',
      currency: 'usd',
      items: [{ metric: 'jobs', included_quantity: '5', unit_amount: '0.5' }],
      collection_method: 'auto_charge',
      start_date: `${LAST_YEAR}-01-01T00:00:00Z`,
    });
    const ref = { merchantId: merchant.id, subscriptionId: created.body.id as string, index: 1 };
    const cycle = stack.api.app.get(SubscriptionCycleService);

    const [first, again] = [await cycle.openPeriod(ref), await cycle.openPeriod(ref)];
    expect(again).toEqual(first);
    expect(new Date(first.startMs).toISOString()).toBe(`${LAST_YEAR}-01-08T00:00:00.000Z`);
    expect(new Date(first.endMs).toISOString()).toBe(`${LAST_YEAR}-01-15T00:00:00.000Z`);
    // Period 1 has no usage (the jobs ran on Jan 5, in period 0): nothing beyond the base fee.
    expect(await cycle.billOverage({ ...ref, cutoffMs: first.endMs, final: true })).toEqual({
      overageInvoiceId: null,
      continues: true,
    });

    const period0 = { ...ref, index: 0 };
    const opened = await cycle.openPeriod(period0);
    const closing = { ...period0, cutoffMs: opened.endMs, final: true };
    const closed = await cycle.billOverage(closing);
    expect(closed.overageInvoiceId).toMatch(/^inv_/);
    expect(await cycle.billOverage(closing)).toEqual({ overageInvoiceId: null, continues: true });
    // A "bill now" after the close finds nothing more to bill.
    expect((await cycle.billOverage({ ...closing, final: false })).overageInvoiceId).toBeNull();

    const invoices = await stack.sql.query(
      `SELECT i.id, string_agg(l.description || '=' || l.amount::text, ';') AS lines
         FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
        WHERE i.subscription_id = $1 GROUP BY i.id, i.period_start ORDER BY i.period_start, i.id`,
      [ref.subscriptionId],
    );
    expect(invoices.rows.map((row) => row.lines)).toEqual([
      `Base fee, ${LAST_YEAR}-01-01 to ${LAST_YEAR}-01-08=3.00`,
      'jobs overage (above 5 included)=1.00',
      `Base fee, ${LAST_YEAR}-01-08 to ${LAST_YEAR}-01-15=3.00`,
    ]);
    const events = await stack.sql.query(
      'SELECT invoice_id, count(*)::int AS n FROM billing_metric_events GROUP BY invoice_id',
    );
    expect(events.rows).toEqual([{ invoice_id: closed.overageInvoiceId, n: 7 }]);
  });
});
