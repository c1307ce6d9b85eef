import { subscriptionWorkflowId } from '../../workflows/contracts/subscription.contract.js';
import { customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { eventually } from '../support/test-stack.js';
import { useTimeSkippingStack } from '../support/time-skipping-stack.js';

/**
 * A live period on the time-skipping server: usage snapshots every 24 hours (the default) and a
 * plan change that waits for the next period. (Its own file, so its own server: on one shared
 * with the catch-up tests, the test server stopped accepting an activity's completion.)
 */
describe('a running subscription period, on the time-skipping server', () => {
  const stack = useTimeSkippingStack();
  const call = (...args: Parameters<typeof stack.call>) => stack.call(...args);

  const invoicesOf = async (subscription: string) =>
    (
      await stack.sql.query(
        `SELECT i.total::text AS total, (SELECT min(description) FROM invoice_lines l WHERE l.invoice_id = i.id) AS line
           FROM invoices i WHERE i.subscription_id = $1 AND i.status <> 'draft' ORDER BY i.period_start, i.created_at`,
        [subscription],
      )
    ).rows as Array<{ total: string; line: string }>;

  it('sends a usage snapshot every 24 hours and applies a plan change from the next period', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'minutes', '0.02');
    const created = await call('POST', '/v1/subscriptions', {
      customer,
      interval: 'month',
      base_amount: '10.00',
      currency: 'usd',
      items: [{ metric: 'minutes', included_quantity: '100' }],
      collection_method: 'auto_charge',
    });
    const id = created.body.id as string;
    const handle = stack.env.client.workflow.getHandle(subscriptionWorkflowId(id));
    await eventually(
      async () => (await call('GET', `/v1/subscriptions/${id}`)).body.current_period_end !== null,
    );
    await logEvents(call, {
      customer,
      eventName: 'minutes',
      count: 30,
      value: '1',
      from: new Date().toISOString(),
      prefix: 'm',
    });
    const snapshots = async () =>
      (
        await stack.sql.query(
          `SELECT object FROM webhook_events WHERE type = 'billing.subscriber_usage' AND object->>'subscription' = $1 ORDER BY id`,
          [id],
        )
      ).rows.map(
        (row) => row.object as { items: Array<{ used: string; included: string; overage: string }> },
      );
    await stack.env.sleep('49 hours');
    const taken = await eventually(async () => {
      const rows = await snapshots();
      return rows.length === 2 && rows;
    });
    expect(taken[1]!.items).toEqual([
      { metric: expect.stringMatching(/^bm_/), used: '30', included: '100', overage: '0' },
    ]);

    const changed = await call('POST', `/v1/subscriptions/${id}`, { base_amount: '20.00' });
    expect(changed.body).toMatchObject({ base_amount: '10.00', pending_update: { base_amount: '20.00' } });
    expect(await handle.query('state')).toMatchObject({ planChangePending: true });
    await stack.env.sleep('31 days');
    const bases = await eventually(async () => {
      const rows = (await invoicesOf(id)).filter((row) => row.line.startsWith('Base fee'));
      return rows.length === 2 && rows;
    });
    expect(bases.map((row) => row.total)).toEqual(['10.00', '20.00']);
    expect((await call('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({
      base_amount: '20.00',
      pending_update: null,
    });
  });
});
