import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config/project-root.js';
import { caller, type Call, customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';

const run = promisify(execFile);

describe('subscriptions through the API, on the real Temporal dev server', () => {
  const stack = useTestStack({ worker: true, config: { ROLLUP_IDLE_MS: '100' } });
  let call: Call;
  let merchantId: string;

  beforeAll(async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    merchantId = merchant.id;
    call = caller(stack.api.baseUrl, merchant.key);
  });

  it('runs each subscription as a workflow an operator finds by customer, announces overage once, bills it now, and cancels', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'renders', '0.10');
    const created = await call('POST', '/v1/subscriptions', {
      customer,
      interval: 'month',
      base_amount: '25.00',
      currency: 'usd',
      items: [{ metric: 'renders', included_quantity: '100', unit_amount: '0.05' }],
      collection_method: 'auto_charge',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      object: 'subscription',
      status: 'active',
      interval: 'month',
      base_amount: '25.00',
    });

    // The operator's view: the workflow, found by its search attributes with the Temporal CLI.
    const listed = await eventually(
      async () => {
        const { stdout } = await run(join(projectRoot(), '.tally/tools/bin/temporal'), [
          'workflow',
          'list',
          '--address',
          stack.config.temporalAddress,
          '--query',
          `TallyCustomerId='${customer}' AND WorkflowType='subscriptionCycle'`,
          '--output',
          'json',
        ]);
        const workflows = stdout.trim()
          ? (JSON.parse(stdout) as Array<{ execution: { workflowId: string } }>)
          : [];
        return workflows.length === 1 && workflows;
      },
      { what: 'the workflow in visibility' },
    );
    expect(listed[0]!.execution.workflowId).toBe(`subscription/${id}`);

    const current = await eventually(async () => {
      const body = (await call('GET', `/v1/subscriptions/${id}`)).body;
      return body.current_period_start !== null && body;
    });
    const start = Date.parse(current.current_period_start);
    expect(Math.abs(start - Date.now())).toBeLessThan(60_000);

    // 120 renders: the rollup folds them and tells the workflow, which announces the overage once.
    await logEvents(call, {
      customer,
      eventName: 'renders',
      count: 120,
      value: '1',
      from: new Date(start).toISOString(),
      prefix: 'r1',
    });
    const notices = async () =>
      (
        await stack.sql.query(
          `SELECT count(*)::int AS n FROM webhook_events WHERE type = 'billing.subscriber_overage' AND object->>'subscription' = $1`,
          [id],
        )
      ).rows[0].n as number;
    await eventually(async () => (await notices()) === 1, { what: 'the overage notice' });

    const report = await call('GET', `/v1/billing/report/subscription?subscription_id=${id}`);
    expect(report.body).toMatchObject({
      subscription: id,
      base_amount: '25.00',
      items: [
        expect.objectContaining({
          used: '120',
          included: '100',
          overage_quantity: '20',
          overage_amount: '1.00',
        }),
      ],
      overage_amount: '1.00',
    });

    const billed = await call('POST', `/v1/subscriptions/${id}/bill_now`);
    expect(billed.status).toBe(200);
    const issued = (invoiceId: string) =>
      eventually(async () => {
        const invoice = (await call('GET', `/v1/invoices/${invoiceId}`)).body;
        return invoice.status !== 'draft' && invoice;
      });
    expect(await issued(billed.body.invoice)).toMatchObject({ total: '1.00', kind: 'subscription' });
    await logEvents(call, {
      customer,
      eventName: 'renders',
      count: 10,
      value: '1',
      // In the past, like every usage: stamped a second after the period start, a bill_now made
      // within that second would count only the events before its cutoff (it did, on a fast run).
      from: new Date(start).toISOString(),
      prefix: 'r2',
    });
    const second = await eventually(async () => {
      const answer = await call('POST', `/v1/subscriptions/${id}/bill_now`);
      return answer.body.invoice !== null && answer.body.invoice;
    });
    expect((await issued(second)).total).toBe('0.50');
    expect(await notices()).toBe(1);

    const canceled = await call('POST', `/v1/subscriptions/${id}/cancel`, { at_period_end: false });
    expect(canceled.body.status).toBe('canceled');
    await eventually(async () => (await call('GET', `/v1/subscriptions/${id}`)).body.ended_at !== null, {
      what: 'the cycle to end',
    });
    expect((await call('POST', `/v1/subscriptions/${id}/cancel`, {})).status).toBe(409);
    const invoices = (await call('GET', `/v1/invoices?customer=${customer}&limit=100`)).body.data;
    expect(invoices.map((invoice: { total: string }) => invoice.total).sort()).toEqual([
      '0.50',
      '1.00',
      '25.00',
    ]);
    expect(merchantId).toMatch(/^mer_/);
  });

  it('answers 409 subscription_not_started to bill_now before the first period opens, and bills nothing', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'later_renders', '0.05');
    const created = await call('POST', '/v1/subscriptions', {
      customer,
      interval: 'month',
      base_amount: '10.00',
      currency: 'usd',
      items: [{ metric: 'later_renders', included_quantity: '0', unit_amount: '0.05' }],
      collection_method: 'auto_charge',
      // Relative to the clock of the run, so the period is always ahead of it.
      start_date: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const billed = await call('POST', `/v1/subscriptions/${id}/bill_now`);
    expect(billed.status).toBe(409);
    expect(billed.body.error.code).toBe('subscription_not_started');
    // Invoices carry no subscription field: the customer's are the subscription's here. Nothing
    // of usage is billed; the first period's base fee may be (its draft is made when the workflow
    // opens the period, which it does at once even for a later start_date).
    const invoices = (await call('GET', `/v1/invoices?customer=${customer}&limit=100`)).body.data as Array<{
      lines: { data: Array<{ kind: string; description: string }> };
    }>;
    expect(
      invoices
        .flatMap((invoice) => invoice.lines.data)
        .filter((line) => !line.description.startsWith('Base fee')),
    ).toEqual([]);
  });

  it('refuses bad subscriptions with 400 and a code', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'eur_metric', '1');
    const base = {
      customer,
      interval: 'month',
      base_amount: '5',
      currency: 'usd',
      items: [],
      collection_method: 'send_invoice',
    };
    const cases: Array<[unknown, string]> = [
      [{ ...base, interval: 'fortnight' }, 'parameter_invalid'],
      [{ ...base, customer: 'cus_nope' }, 'resource_missing'],
      [{ ...base, items: [{ metric: 'nope', included_quantity: '1' }] }, 'resource_missing'],
      [{ ...base, base_amount: '5.001' }, 'parameter_invalid'],
      [{ ...base, items: [{ metric: 'eur_metric', included_quantity: '-1' }] }, 'parameter_invalid'],
      [
        {
          ...base,
          collection_method: 'auto_charge',
          customer: (await call('POST', '/v1/customers', {})).body.id,
        },
        'payment_method_required',
      ],
      [
        {
          ...base,
          items: [
            { metric: 'eur_metric', included_quantity: '1' },
            { metric: 'eur_metric', included_quantity: '2' },
          ],
        },
        'duplicate_item',
      ],
    ];
    for (const [body, code] of cases) {
      const answer = await call('POST', '/v1/subscriptions', body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({
        body,
        status: 400,
        code,
      });
    }
  });
});
