import { Worker } from '@temporalio/worker';
import { subscriptionWorkflowId } from '../../workflows/contracts/subscription.contract.js';
import { customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { eventually } from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';
import { recordHistory } from '../support/recorded-histories.js';
import { useTimeSkippingStack } from '../support/time-skipping-stack.js';
import { daysBefore, monthlyPeriodStarts, mostRecentUtcDay, utcDay } from '../support/calendar.js';

/** The midnight (UTC) of `day` in the `monthsLater`-th month after `anchor`'s. */
const dayOfMonthAfter = (anchor: Date, monthsLater: number, day: number) =>
  new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + monthsLater, day)).toISOString();

/**
 * Monthly subscriptions anchored on the most recent 31 January in the past, run on the
 * time-skipping server (whose clock starts at the real time): the workflow bills every period
 * since then (each a run of its own, continueAsNew) against usage logged for those months,
 * while the real API, worker and PostgreSQL do the work. Every date here is computed from the
 * clock, so the test holds on any day of any year.
 */
describe('subscription billing cycles, on the time-skipping server', () => {
  const stack = useTimeSkippingStack();
  const call = (...args: Parameters<typeof stack.call>) => stack.call(...args);

  async function subscribeWithUsage(
    name: string,
    anchor: Date,
    usage: Array<[string, number]>,
    extra: Record<string, unknown> = {},
  ) {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, name, '0.01');
    for (const [from, count] of usage) {
      await logEvents(call, {
        customer,
        eventName: name,
        count,
        value: '1',
        from,
        prefix: `${name}-${from}`,
      });
    }
    const created = await call('POST', '/v1/subscriptions', {
      customer,
      interval: 'month',
      base_amount: '10.00',
      currency: 'usd',
      items: [{ metric: name, included_quantity: '100', unit_amount: '0.05' }],
      collection_method: 'auto_charge',
      start_date: anchor.toISOString(),
      ...extra,
    });
    expect(created.status).toBe(201);
    return { customer, subscription: created.body.id as string };
  }

  const invoicesOf = async (subscription: string) =>
    (
      await stack.sql.query(
        `SELECT i.id, i.period_start, i.total::text AS total, i.status,
                (SELECT min(description) FROM invoice_lines l WHERE l.invoice_id = i.id) AS line
           FROM invoices i WHERE i.subscription_id = $1 ORDER BY i.period_start, i.created_at`,
        [subscription],
      )
    ).rows as Array<{ id: string; period_start: Date; total: string; status: string; line: string }>;

  const overageNotices = async (subscription: string) =>
    (
      await stack.sql.query(
        `SELECT object->>'period_start' AS period, count(*)::int AS n FROM webhook_events
          WHERE type = 'billing.subscriber_overage' AND object->>'subscription' = $1
          GROUP BY 1 ORDER BY 1`,
        [subscription],
      )
    ).rows as Array<{ period: string; n: number }>;

  it('bills a base fee each month on Jan 31, the end of February, Mar 31, …, and overage only for months above the allotment', async () => {
    // At least three whole periods in the past, so the months with usage are all billed.
    const anchor = mostRecentUtcDay(0, 31, daysBefore(new Date(), 95));
    const starts = monthlyPeriodStarts(anchor, 24);
    const { subscription } = await subscribeWithUsage('api_calls', anchor, [
      [dayOfMonthAfter(anchor, 1, 10), 120], // period 0 [Jan 31, end of Feb): 20 over
      [dayOfMonthAfter(anchor, 2, 10), 50], // period 1 [end of Feb, Mar 31): within
      [dayOfMonthAfter(anchor, 3, 10), 130], // period 2 [Mar 31, Apr 30): 30 over
    ]);
    const startedBy = (ms: number) => starts.filter((start) => start.getTime() <= ms);
    // Catching up: one period per run until the one that contains the server's now.
    const invoices = await eventually(
      async () => {
        const rows = await invoicesOf(subscription);
        const due = startedBy(await stack.env.currentTimeMs()).length;
        return rows.filter((row) => row.line.startsWith('Base fee')).length >= due && rows;
      },
      { what: 'the catch-up to the current period', timeoutMs: 60_000 },
    );
    const firstThree = invoices.filter((row) => row.period_start < starts[3]!);
    expect(firstThree.map((row) => [utcDay(row.period_start), row.total, row.line.split(',')[0]])).toEqual([
      [utcDay(starts[0]!), '10.00', 'Base fee'],
      [utcDay(starts[0]!), '1.00', 'api_calls overage (above 100 included)'],
      [utcDay(starts[1]!), '10.00', 'Base fee'],
      [utcDay(starts[2]!), '10.00', 'Base fee'],
      [utcDay(starts[2]!), '1.50', 'api_calls overage (above 100 included)'],
    ]);
    expect(utcDay(starts[1]!)).toMatch(/-02-(28|29)$/);
    const baseDays = invoices
      .filter((row) => row.line.startsWith('Base fee'))
      .map((row) => utcDay(row.period_start));
    const due = startedBy(await stack.env.currentTimeMs()).map(utcDay);
    expect(baseDays.slice(0, due.length)).toEqual(due);
    expect(await overageNotices(subscription)).toEqual([
      { period: starts[0]!.toISOString(), n: 1 },
      { period: starts[2]!.toISOString(), n: 1 },
    ]);
    await eventually(async () => (await invoicesOf(subscription)).every((row) => row.status === 'paid'), {
      what: 'every invoice paid',
    });
    const events = await stack.sql.query(
      `SELECT e.status, count(*)::int AS n FROM billing_metric_events e
         JOIN billing_metrics m ON m.id = e.metric_id WHERE m.event_name = 'api_calls' GROUP BY e.status`,
    );
    expect(events.rows).toEqual([{ status: 'paid', n: 300 }]);

    // The current period is the one that contains now.
    const before = await stack.env.currentTimeMs();
    const state = await stack.env.client.workflow
      .getHandle(subscriptionWorkflowId(subscription))
      .query<{ periodStart: string; periodEnd: string }>('state');
    const after = await stack.env.currentTimeMs();
    const current = starts.findIndex((start) => start.toISOString() === state.periodStart);
    expect(current).toBeGreaterThanOrEqual(3);
    expect(state.periodEnd).toBe(starts[current + 1]!.toISOString());
    expect(Date.parse(state.periodStart)).toBeLessThanOrEqual(after);
    expect(Date.parse(state.periodEnd)).toBeGreaterThan(before);
  });

  it('stops after the final overage invoice when canceled at period end, and the finished history replays', async () => {
    const anchor = mostRecentUtcDay(0, 31, daysBefore(new Date(), 35));
    const { subscription } = await subscribeWithUsage(
      'storage',
      anchor,
      [[dayOfMonthAfter(anchor, 1, 1), 105]],
      { cancel_at_period_end: true },
    );
    const handle = stack.env.client.workflow.getHandle(subscriptionWorkflowId(subscription));
    await handle.result();
    // The invoices' own workflows issue them (children that outlive the cycle).
    await eventually(async () => (await invoicesOf(subscription)).every((row) => row.status !== 'draft'));
    expect((await invoicesOf(subscription)).map((row) => [row.total, row.line.split(' ')[0]])).toEqual([
      ['10.00', 'Base'],
      ['0.25', 'storage'],
    ]);
    const stored = (await call('GET', `/v1/subscriptions/${subscription}`)).body;
    expect(stored).toMatchObject({ status: 'canceled', current_period_start: anchor.toISOString() });
    expect(stored.ended_at).not.toBeNull();
    expect(await overageNotices(subscription)).toEqual([{ period: anchor.toISOString(), n: 1 }]);

    const history = await handle.fetchHistory();
    recordHistory('subscription-cancel-at-period-end', history);
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: testEnv('workflowBundle') } },
      history,
      handle.workflowId,
    );
  });
});
