import { eventually, createMerchant, useTestStack } from '../support/test-stack.js';
import { caller, customerWithCard, manualDraft, type Call } from '../support/billing-fixtures.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { testEnv } from '../support/test-env.js';

/** The time a request may take while Temporal cannot be reached. */
const ANSWER_WITHIN_MS = 2000;

describe('Temporal unreachable: requests answer within 2 s, the change is committed, the outbox starts the workflow once it is back', () => {
  const proxy = TcpProxy.to(testEnv('temporalAddress'));
  const config: Record<string, string> = { OUTBOX_SWEEP_INTERVAL_MS: '250', LOG_LEVEL: 'error' };
  beforeAll(async () => {
    await proxy.start();
    // The API and the worker both reach Temporal through the proxy: cutting it is Temporal going down.
    config.TEMPORAL_ADDRESS = proxy.address;
  });
  // Back before the stack stops (its worker and API talk through it), closed after.
  afterAll(() => proxy.restore().catch(() => undefined));
  const stack = useTestStack({ worker: true, config });
  afterAll(() => proxy.cut());
  let call: Call;

  beforeAll(async () => {
    call = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl)).key);
  });

  const timed = async (method: string, path: string, body?: unknown) => {
    const started = Date.now();
    const answer = await call(method, path, body);
    return { ...answer, tookMs: Date.now() - started };
  };
  const startedAt = async (table: string, where: string, params: unknown[]) =>
    (await stack.sql.query(`SELECT workflow_started_at FROM ${table} WHERE ${where}`, params)).rows[0]
      ?.workflow_started_at as Date | null | undefined;

  it('grants credits, issues and creates invoices and subscriptions, answers 503 for pay, and starts every workflow when Temporal is back', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const prepaid = (await call('POST', '/v1/customers', { name: 'prepaid' })).body.id as string;
    expect(
      (
        await call('POST', '/v1/billing/credits', {
          customer: prepaid,
          amount: '5.00',
          currency: 'usd',
          paid: false,
        })
      ).status,
    ).toBe(201);
    await eventually(async () => (await startedAt('credit_accounts', 'payer_id = $1', [prepaid])) ?? false, {
      what: "the prepaid customer's credit monitor to start",
    });
    const issuedId = await manualDraft(call, customer, '12.00', 'auto_charge');
    const unpaidId = await manualDraft(call, customer, '3.00', 'send_invoice');
    expect((await call('POST', `/v1/invoices/${unpaidId}/issue`)).body.status).toBe('open');

    await proxy.cut();

    const grant = await timed('POST', '/v1/billing/credits', {
      customer: prepaid,
      amount: '7.00',
      currency: 'usd',
      paid: false,
    });
    expect([grant.status, grant.body.amount]).toEqual([201, '7.00']);
    const issued = await timed('POST', `/v1/invoices/${issuedId}/issue`);
    expect([issued.status, issued.body.status]).toEqual([200, 'open']);
    const subscribed = (await call('POST', '/v1/customers', { name: 'subscribed' })).body.id as string;
    const subscription = await timed('POST', '/v1/subscriptions', {
      customer: subscribed,
      interval: 'month',
      base_amount: '25.00',
      currency: 'usd',
      items: [],
      collection_method: 'send_invoice',
    });
    expect(subscription.status).toBe(201);
    const pay = await timed('POST', `/v1/invoices/${unpaidId}/pay`, {});
    expect([pay.status, pay.body.error?.code, pay.headers.get('retry-after')]).toEqual([
      503,
      'service_unavailable',
      '2',
    ]);
    const ready = await timed('GET', '/readyz');
    expect([ready.status, ready.body.checks.temporal.ok]).toEqual([503, false]);
    const times = { grant, issued, subscription, pay, ready };
    for (const [what, answer] of Object.entries(times)) {
      expect([what, answer.tookMs < ANSWER_WITHIN_MS, answer.tookMs]).toEqual([what, true, answer.tookMs]);
    }

    // Every change is committed, and waits in the outbox: the monitor's signal (it already ran)
    // is put back once its call gives up, the workflows that never started stay unstarted.
    expect((await call('GET', `/v1/billing/credits?customer_id=${prepaid}`)).body.data).toHaveLength(2);
    expect((await call('GET', `/v1/invoices/${issuedId}`)).body.status).toBe('open');
    await eventually(async () => (await startedAt('credit_accounts', 'payer_id = $1', [prepaid])) === null, {
      what: 'the lost signal to go back in the outbox',
      timeoutMs: 30_000,
    });
    expect(await startedAt('invoices', 'id = $1', [issuedId])).toBeNull();
    expect(await startedAt('subscriptions', 'id = $1', [subscription.body.id])).toBeNull();

    await proxy.restore();

    const paid = await eventually(
      async () => {
        const invoice = (await call('GET', `/v1/invoices/${issuedId}`)).body;
        return invoice.status === 'paid' && invoice;
      },
      { what: 'the issued invoice to be charged once Temporal is back', timeoutMs: 90_000 },
    );
    expect(paid).toMatchObject({ amount_paid: '12.00', attempt_count: 1 });
    for (const [table, id] of [
      ['credit_accounts', prepaid],
      ['subscriptions', subscription.body.id],
    ] as const) {
      await eventually(
        async () =>
          (await startedAt(table, table === 'credit_accounts' ? 'payer_id = $1' : 'id = $1', [id])) ?? false,
        { what: `the ${table} row's workflow to start`, timeoutMs: 90_000 },
      );
    }
    const after = await call('POST', `/v1/invoices/${unpaidId}/pay`, {});
    expect([after.status, after.body.status]).toEqual([200, 'paid']);
  }, 240_000);
});
