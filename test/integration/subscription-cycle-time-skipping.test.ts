import { Worker } from '@temporalio/worker';
import { subscriptionWorkflowId } from '../../src/subscriptions/subscription-workflows.js';
import { customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { eventually } from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';
import { recordHistory } from '../support/recorded-histories.js';
import { useTimeSkippingStack } from '../support/time-skipping-stack.js';

/**
 * Monthly subscriptions anchored on Jan 31 2026, run on the time-skipping server: the workflow
 * bills every period since then (each a run of its own, continueAsNew) against usage logged for
 * those months, while the real API, worker and PostgreSQL do the work.
 */
describe('subscription billing cycles, on the time-skipping server', () => {
  const stack = useTimeSkippingStack();
  const call = (...args: Parameters<typeof stack.call>) => stack.call(...args);

  async function subscribeWithUsage(
    name: string,
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
      start_date: '2026-01-31T00:00:00Z',
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

  it('bills a base fee each month on Jan 31, Feb 28, Mar 31, …, and overage only for months above the allotment', async () => {
    const { subscription } = await subscribeWithUsage('api_calls', [
      ['2026-02-10T00:00:00Z', 120], // period 0 [Jan 31, Feb 28): 20 over
      ['2026-03-10T00:00:00Z', 50], // period 1 [Feb 28, Mar 31): within
      ['2026-04-10T00:00:00Z', 130], // period 2 [Mar 31, Apr 30): 30 over
    ]);
    // Catching up: one period per run until the current month.
    const invoices = await eventually(
      async () => {
        const rows = await invoicesOf(subscription);
        return rows.filter((row) => row.line.startsWith('Base fee')).length >= 10 && rows;
      },
      { what: 'the catch-up to the current period', timeoutMs: 60_000 },
    );
    const firstThree = invoices.filter((row) => row.period_start < new Date('2026-04-30T00:00:00Z'));
    expect(
      firstThree.map((row) => [
        row.period_start.toISOString().slice(0, 10),
        row.total,
        row.line.split(',')[0],
      ]),
    ).toEqual([
      ['2026-01-31', '10.00', 'Base fee'],
      ['2026-01-31', '1.00', 'api_calls overage (above 100 included)'],
      ['2026-02-28', '10.00', 'Base fee'],
      ['2026-03-31', '10.00', 'Base fee'],
      ['2026-03-31', '1.50', 'api_calls overage (above 100 included)'],
    ]);
    const baseDays = invoices
      .filter((row) => row.line.startsWith('Base fee'))
      .map((row) => row.period_start.toISOString().slice(0, 10));
    expect(baseDays.slice(0, 10)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
    ]);
    expect(await overageNotices(subscription)).toEqual([
      { period: '2026-01-31T00:00:00.000Z', n: 1 },
      { period: '2026-03-31T00:00:00.000Z', n: 1 },
    ]);
    await eventually(async () => (await invoicesOf(subscription)).every((row) => row.status === 'paid'), {
      what: 'every invoice paid',
    });
    const events = await stack.sql.query(
      `SELECT e.status, count(*)::int AS n FROM billing_metric_events e
         JOIN billing_metrics m ON m.id = e.metric_id WHERE m.event_name = 'api_calls' GROUP BY e.status`,
    );
    expect(events.rows).toEqual([{ status: 'paid', n: 300 }]);

    const state = await stack.env.client.workflow
      .getHandle(subscriptionWorkflowId(subscription))
      .query('state');
    expect(state).toMatchObject({
      periodStart: '2026-10-31T00:00:00.000Z',
      periodEnd: '2026-11-30T00:00:00.000Z',
    });
  });

  it('stops after the final overage invoice when canceled at period end, and the finished history replays', async () => {
    const { subscription } = await subscribeWithUsage('storage', [['2026-02-01T00:00:00Z', 105]], {
      cancel_at_period_end: true,
    });
    const handle = stack.env.client.workflow.getHandle(subscriptionWorkflowId(subscription));
    await handle.result();
    // The invoices' own workflows issue them (children that outlive the cycle).
    await eventually(async () => (await invoicesOf(subscription)).every((row) => row.status !== 'draft'));
    expect((await invoicesOf(subscription)).map((row) => [row.total, row.line.split(' ')[0]])).toEqual([
      ['10.00', 'Base'],
      ['0.25', 'storage'],
    ]);
    const stored = (await call('GET', `/v1/subscriptions/${subscription}`)).body;
    expect(stored).toMatchObject({ status: 'canceled', current_period_start: '2026-01-31T00:00:00.000Z' });
    expect(stored.ended_at).not.toBeNull();
    expect(await overageNotices(subscription)).toEqual([{ period: '2026-01-31T00:00:00.000Z', n: 1 }]);

    const history = await handle.fetchHistory();
    recordHistory('subscription-cancel-at-period-end', history);
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: testEnv('workflowBundle') } },
      history,
      handle.workflowId,
    );
  });
});
