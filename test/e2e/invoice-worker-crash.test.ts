import { createMerchant, eventually, startWorker, useTestStack } from '../support/test-stack.js';
import { caller, customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { startWorkerProcess, type TallyProcess } from '../support/tally-process.js';
import { LAST_YEAR } from '../support/calendar.js';

describe('a worker killed mid-charge', () => {
  // The sandbox answers 2 s after it has recorded (and so made) the charge: the window to die in.
  const stack = useTestStack({ config: { SANDBOX_GATEWAY_LATENCY_MS: '2000' } });
  let doomed: TallyProcess | undefined;
  afterAll(() => doomed?.kill());

  it('charges once: the retried attempt reuses its idempotency key and the gateway answers the first charge', async () => {
    doomed = await startWorkerProcess({
      DATABASE_URL: stack.database.url,
      TEMPORAL_ADDRESS: stack.config.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      SANDBOX_GATEWAY_LATENCY_MS: '2000',
    });
    const merchant = await createMerchant(stack.api.baseUrl);
    const call = caller(stack.api.baseUrl, merchant.key);
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'calls', '0.25');
    await logEvents(call, {
      customer,
      eventName: 'calls',
      count: 8,
      value: '1',
      from: `${LAST_YEAR}-03-01T10:00:00Z`,
      prefix: 'c',
    });
    const created = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-03-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-04-01T00:00:00Z`,
      collection_method: 'auto_charge',
    });
    const invoiceId = created.body.id as string;
    const gatewayCharges = async () =>
      (
        await stack.sql.query('SELECT count(*)::int AS n FROM sandbox_gateway_charges WHERE reference = $1', [
          invoiceId,
        ])
      ).rows[0].n as number;

    // The gateway has taken the money; the worker dies before it can record the charge.
    await eventually(async () => (await gatewayCharges()) === 1, { what: 'the gateway to charge' });
    await doomed.kill();
    expect((await call('GET', `/v1/invoices/${invoiceId}`)).body).toMatchObject({
      status: 'open',
      charges: [],
    });

    stack.worker = await startWorker(stack.config);
    const paid = await eventually(
      async () => {
        const invoice = (await call('GET', `/v1/invoices/${invoiceId}`)).body;
        return invoice.status === 'paid' && invoice;
      },
      { what: 'the retried attempt to record the charge', timeoutMs: 45_000 },
    );
    expect(paid).toMatchObject({ total: '2.00', attempt_count: 1 });
    expect(paid.charges).toEqual([
      expect.objectContaining({ attempt: 1, status: 'succeeded', amount: '2.00' }),
    ]);
    expect(await gatewayCharges()).toBe(1);
  });
});
