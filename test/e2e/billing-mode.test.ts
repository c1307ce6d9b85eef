import { caller, type Call, customerWithCard, sumMetric } from '../support/billing-fixtures.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';

/**
 * Prepaid credits and a subscription would both pay for a customer's usage, so they exclude each
 * other: even when the two are created at the same moment, exactly one wins (the claim is taken
 * on the payer's row in the create's own transaction), and ending the last subscription frees
 * the customer for credits.
 */
describe('one billing mode per customer, under concurrent creates', () => {
  const stack = useTestStack({ worker: true, config: { ROLLUP_IDLE_MS: '100' } });
  let call: Call;

  beforeAll(async () => {
    call = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl)).key);
    await sumMetric(call, 'seats', '1.00');
  });

  const subscribe = (customer: string, headers?: Record<string, string>) =>
    call(
      'POST',
      '/v1/subscriptions',
      {
        customer,
        interval: 'month',
        base_amount: '5.00',
        currency: 'usd',
        items: [{ metric: 'seats', included_quantity: '1' }],
        collection_method: 'send_invoice',
      },
      headers,
    );
  const grant = (customer: string) =>
    call('POST', '/v1/billing/credits', { customer, amount: '1.00', currency: 'usd', paid: false });

  it('lets exactly one of a subscription and a credit grant created at once succeed, and the other answer 409', async () => {
    const customers = await Promise.all(
      Array.from({ length: 8 }, async () => (await customerWithCard(call, 'tok_visa')).customer),
    );
    const outcomes = await Promise.all(
      customers.map(async (customer) => {
        const [subscribed, granted] = await Promise.all([subscribe(customer), grant(customer)]);
        return [subscribed.status, granted.status, subscribed.body.error?.code ?? granted.body.error?.code];
      }),
    );
    for (const [subscribed, granted, code] of outcomes) {
      expect([subscribed, granted].sort()).toEqual([201, 409]);
      expect(code).toBe('billing_mode_conflict');
    }
    const both = await stack.sql.query(
      `SELECT count(*)::int AS n FROM payers p
        WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = p.id AND s.status = 'active')
          AND EXISTS (SELECT 1 FROM credit_accounts a WHERE a.payer_id = p.id)`,
    );
    expect(both.rows[0].n).toBe(0);
  });

  it('frees a customer for credits once its last subscription has billed its final period, and keeps a prepaid one from subscribing', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const first = (await subscribe(customer)).body.id as string;
    const second = (await subscribe(customer)).body.id as string;
    expect((await grant(customer)).status).toBe(409);

    // Canceled now, each still bills its last period's overage: until both have, no credits.
    await call('POST', `/v1/subscriptions/${first}/cancel`, { at_period_end: false });
    const ended = async (id: string) => (await call('GET', `/v1/subscriptions/${id}`)).body.ended_at !== null;
    await eventually(() => ended(first), { what: 'the first subscription to end' });
    expect((await grant(customer)).body.error?.code).toBe('billing_mode_conflict');
    await call('POST', `/v1/subscriptions/${second}/cancel`, { at_period_end: false });
    await eventually(() => ended(second), { what: 'the second subscription to end' });
    expect((await grant(customer)).status).toBe(201);

    const refused = await subscribe(customer);
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'billing_mode_conflict']);
  });

  it('answers a replayed subscription create with the original, not a conflict', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const headers = { 'Idempotency-Key': `sub-${customer}` };
    const [one, two] = await Promise.all([subscribe(customer, headers), subscribe(customer, headers)]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body.id).toBe(one.body.id);
  });
});
