import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';
import { type Call, caller, customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { LAST_YEAR } from '../support/calendar.js';

const MARCH = { start_date: `${LAST_YEAR}-03-01T00:00:00Z`, end_date: `${LAST_YEAR}-04-01T00:00:00Z` };

describe('invoices: usage to money, charged with durable retries, never twice', () => {
  const stack = useTestStack({
    worker: true,
    config: {
      CHARGE_RETRY_INTERVAL: '300ms',
      CHARGE_MAX_RETRIES: '3',
      WEBHOOK_RETRY_SCHEDULE: '200ms,200ms',
      OUTBOX_SWEEP_INTERVAL_MS: '250',
    },
  });
  const receiver = new WebhookReceiver();
  let call: Call;

  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    // One merchant per test, with an endpoint receiving all its billing webhooks.
    const merchant = await createMerchant(stack.api.baseUrl);
    call = caller(stack.api.baseUrl, merchant.key);
    const path = `/${merchant.id}`;
    await call('POST', '/v1/webhook_endpoints', { url: receiver.script(path, [200]), enabled_events: ['*'] });
    webhooksOf = () => receiver.uniqueAt(path).map((request) => JSON.parse(request.body));
  });
  let webhooksOf: () => Array<{ id: string; type: string; data: { object: any } }>;

  const invoice = async (id: string) => (await call('GET', `/v1/invoices/${id}`)).body;
  const untilInvoice = (id: string, done: (inv: any) => boolean, what: string) =>
    eventually(
      async () => {
        const current = await invoice(id);
        return done(current) && current;
      },
      { what, timeoutMs: 30_000 },
    );
  const eventStatuses = async (customer: string) => {
    const rows = await stack.sql.query(
      `SELECT status, invoice_id, count(*)::int AS n FROM billing_metric_events
        WHERE customer_id = $1 GROUP BY status, invoice_id ORDER BY status`,
      [customer],
    );
    return rows.rows as Array<{ status: string; invoice_id: string | null; n: number }>;
  };

  it('bills 42,318 events of 1 at 0.001 as one line of 42.32, charges tok_visa, marks the events paid, and sends both webhooks', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'api_call', '0.001');
    await logEvents(call, {
      customer,
      eventName: 'api_call',
      count: 42_318,
      value: '1',
      from: `${LAST_YEAR}-03-10T12:00:00Z`,
      prefix: 'visa',
    });
    const created = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      ...MARCH,
      collection_method: 'auto_charge',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'invoice', customer, currency: 'usd', kind: 'billing' });
    const paid = await untilInvoice(
      created.body.id,
      (inv) => inv.status === 'paid',
      'the invoice to be paid',
    );
    expect(paid.lines.data).toEqual([
      expect.objectContaining({ kind: 'usage', quantity: '42318', unit_amount: '0.001', amount: '42.32' }),
    ]);
    expect(paid).toMatchObject({
      total: '42.32',
      amount_paid: '42.32',
      amount_due: '0.00',
      attempt_count: 1,
      next_payment_attempt: null,
    });
    expect(paid.number).toMatch(/^INV-\d{6}$/);
    expect(paid.charges).toEqual([
      expect.objectContaining({ attempt: 1, status: 'succeeded', amount: '42.32' }),
    ]);
    expect(await eventStatuses(customer)).toEqual([{ status: 'paid', invoice_id: paid.id, n: 42_318 }]);

    const types = await eventually(() => {
      const received = webhooksOf().map((event) => event.type);
      return received.length >= 2 && received.sort();
    });
    expect(types).toEqual(['billing.charge.succeeded', 'billing.invoice.generated']);
    const generated = webhooksOf().find((event) => event.type === 'billing.invoice.generated')!;
    expect(generated.data.object).toMatchObject({ id: paid.id, status: 'open', total: '42.32' });
  });

  it('pays tok_failTwice on the third attempt, after two charge.failed webhooks', async () => {
    const { customer } = await customerWithCard(call, 'tok_failTwice');
    await sumMetric(call, 'gb', '2.5');
    await logEvents(call, {
      customer,
      eventName: 'gb',
      count: 3,
      value: '1.1',
      from: `${LAST_YEAR}-03-02T00:00:00Z`,
      prefix: 'ft',
    });
    const created = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      ...MARCH,
      collection_method: 'auto_charge',
    });
    const paid = await untilInvoice(created.body.id, (inv) => inv.status === 'paid', 'the third attempt');
    expect(paid.total).toBe('8.25');
    expect(paid.attempt_count).toBe(3);
    expect(
      paid.charges.map((c: { status: string; failure_code: string | null }) => [c.status, c.failure_code]),
    ).toEqual([
      ['failed', 'card_declined'],
      ['failed', 'card_declined'],
      ['succeeded', null],
    ]);
    const charges = await eventually(() => {
      const events = webhooksOf().filter((e) => e.type.startsWith('billing.charge.'));
      return events.length === 3 && events;
    });
    expect(charges.map((e) => [e.type, e.data.object.attempt, e.data.object.will_retry])).toEqual([
      ['billing.charge.failed', 1, true],
      ['billing.charge.failed', 2, true],
      ['billing.charge.succeeded', 3, undefined],
    ]);
  });

  it('makes tok_chargeDeclined uncollectible after 1 + 3 attempts with four charge.failed webhooks', async () => {
    const { customer } = await customerWithCard(call, 'tok_chargeDeclined');
    await sumMetric(call, 'seat', '10');
    await logEvents(call, {
      customer,
      eventName: 'seat',
      count: 2,
      value: '1',
      from: `${LAST_YEAR}-03-05T00:00:00Z`,
      prefix: 'cd',
    });
    const created = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      ...MARCH,
      collection_method: 'auto_charge',
    });
    const final = await untilInvoice(
      created.body.id,
      (inv) => inv.status === 'uncollectible',
      'uncollectible',
    );
    expect(final).toMatchObject({
      total: '20.00',
      attempt_count: 4,
      next_payment_attempt: null,
      amount_due: '20.00',
    });
    expect(final.charges).toHaveLength(4);
    const failed = await eventually(() => {
      const events = webhooksOf().filter((e) => e.type === 'billing.charge.failed');
      return events.length === 4 && events;
    });
    expect(
      failed.map((e) => [e.data.object.attempt, e.data.object.will_retry, e.data.object.failure_code]),
    ).toEqual([
      [1, true, 'card_declined'],
      [2, true, 'card_declined'],
      [3, true, 'card_declined'],
      [4, false, 'card_declined'],
    ]);
    expect(webhooksOf().filter((e) => e.type === 'billing.charge.succeeded')).toHaveLength(0);
    expect(await eventStatuses(customer)).toEqual([{ status: 'invoiced', invoice_id: final.id, n: 2 }]);

    // An operator can still collect it with another card.
    const visa = await call('POST', `/v1/customers/${customer}/payment_methods`, { token: 'tok_visa' });
    const paid = await call('POST', `/v1/invoices/${final.id}/pay`, { payment_method: visa.body.id });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', attempt_count: 5, payment_method: visa.body.id });
    const again = await call('POST', `/v1/invoices/${final.id}/pay`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invoice_not_payable');
  });

  it('bills each event once when two invoices cover overlapping windows', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'req', '1');
    await logEvents(call, {
      customer,
      eventName: 'req',
      count: 10,
      value: '1',
      from: `${LAST_YEAR}-03-10T00:00:00Z`,
      prefix: 'a',
    });
    await logEvents(call, {
      customer,
      eventName: 'req',
      count: 5,
      value: '1',
      from: `${LAST_YEAR}-03-20T00:00:00Z`,
      prefix: 'b',
    });
    const first = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-03-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-03-15T00:00:00Z`,
      collection_method: 'send_invoice',
    });
    const second = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-03-05T00:00:00Z`,
      end_date: `${LAST_YEAR}-03-31T00:00:00Z`,
      collection_method: 'send_invoice',
    });
    const [a, b] = await Promise.all([
      untilInvoice(first.body.id, (inv) => inv.status === 'open', 'first issued'),
      untilInvoice(second.body.id, (inv) => inv.status === 'open', 'second issued'),
    ]);
    expect([a.total, b.total]).toEqual(['10.00', '5.00']);
    const byInvoice = await eventStatuses(customer);
    expect(byInvoice.reduce((sum, row) => sum + row.n, 0)).toBe(15);
    expect(byInvoice.every((row) => row.status === 'invoiced')).toBe(true);
  });

  it('puts an event that arrives after its window was invoiced on the next invoice, as usage from earlier periods', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'late', '0.5');
    await logEvents(call, {
      customer,
      eventName: 'late',
      count: 4,
      value: '1',
      from: `${LAST_YEAR}-03-03T00:00:00Z`,
      prefix: 'on-time',
    });
    const march = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      ...MARCH,
      collection_method: 'auto_charge',
    });
    await untilInvoice(march.body.id, (inv) => inv.status === 'paid', 'March paid');
    // Late: March usage logged after March was invoiced, and April's own usage.
    await logEvents(call, {
      customer,
      eventName: 'late',
      count: 3,
      value: '1',
      from: `${LAST_YEAR}-03-30T00:00:00Z`,
      prefix: 'late',
    });
    await logEvents(call, {
      customer,
      eventName: 'late',
      count: 2,
      value: '1',
      from: `${LAST_YEAR}-04-02T00:00:00Z`,
      prefix: 'april',
    });
    const april = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-04-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-05-01T00:00:00Z`,
      collection_method: 'auto_charge',
    });
    const paid = await untilInvoice(april.body.id, (inv) => inv.status === 'paid', 'April paid');
    expect(paid.lines.data.map((l: any) => [l.kind, l.quantity, l.amount, l.description])).toEqual([
      ['usage', '2', '1.00', 'late'],
      [
        'late_usage',
        '3',
        '1.50',
        `late (usage from earlier periods: ${LAST_YEAR}-03-01 to ${LAST_YEAR}-04-01)`,
      ],
    ]);
    // Each line prices its own billing period: the late events the March window's.
    expect(paid.lines.data.map((l: any) => [l.period_start, l.period_end])).toEqual([
      [`${LAST_YEAR}-04-01T00:00:00.000Z`, `${LAST_YEAR}-05-01T00:00:00.000Z`],
      [`${LAST_YEAR}-03-01T00:00:00.000Z`, `${LAST_YEAR}-04-01T00:00:00.000Z`],
    ]);
    expect(paid.total).toBe('2.50');
    expect((await invoice(march.body.id)).total).toBe('2.00');
  });

  it('answers the same invoice for the same Idempotency-Key, and 409 for another body with it', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const body = { customer, ...MARCH, collection_method: 'send_invoice' };
    const headers = { 'idempotency-key': `bill-${customer}` };
    const [one, two] = await Promise.all([
      call('POST', '/v1/billing/billing_invoice', body, headers),
      call('POST', '/v1/billing/billing_invoice', body, headers),
    ]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body.id).toBe(one.body.id);
    const listed = await call('GET', `/v1/invoices?customer=${customer}`);
    expect(listed.body.data).toHaveLength(1);
    const other = await call(
      'POST',
      '/v1/billing/billing_invoice',
      { ...body, collection_method: 'auto_charge' },
      headers,
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('refuses bad requests with 400 and a code, writing nothing', async () => {
    const customer = (await call('POST', '/v1/customers', {})).body.id;
    const cases: Array<[unknown, string]> = [
      [{ customer, ...MARCH, collection_method: 'auto_charge' }, 'payment_method_required'],
      [
        { customer, ...MARCH, collection_method: 'send_invoice', payment_method: 'pm_nope' },
        'unknown_payment_method',
      ],
      [
        {
          customer,
          start_date: MARCH.end_date,
          end_date: MARCH.start_date,
          collection_method: 'send_invoice',
        },
        'window_invalid',
      ],
      [{ ...MARCH, collection_method: 'send_invoice' }, 'payer_required'],
      [{ customer: 'cus_nope', ...MARCH, collection_method: 'send_invoice' }, 'resource_missing'],
      [{ customer, ...MARCH, collection_method: 'cash' }, 'parameter_invalid'],
      [
        { customer, start_date: 'yesterday', end_date: MARCH.end_date, collection_method: 'send_invoice' },
        'parameter_invalid',
      ],
    ];
    for (const [body, code] of cases) {
      const answer = await call('POST', '/v1/billing/billing_invoice', body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({
        body,
        status: 400,
        code,
      });
    }
    expect((await call('GET', '/v1/invoices')).body.data).toHaveLength(0);
  });

  it('issues manual invoices with one-off lines, pays them on demand and voids them', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const draft = await call('POST', '/v1/invoices', {
      customer,
      currency: 'usd',
      collection_method: 'send_invoice',
      description: 'Onboarding',
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', kind: 'manual', number: null, total: '0.00' });
    const headers = { 'idempotency-key': `line-${draft.body.id}` };
    const lineBody = { invoice: draft.body.id, description: 'Setup', quantity: '3', unit_amount: '33.335' };
    const line = await call('POST', '/v1/invoice_line_items', lineBody, headers);
    const lineAgain = await call('POST', '/v1/invoice_line_items', lineBody, headers);
    expect(line.status).toBe(201);
    expect(line.body).toMatchObject({ amount: '100.01', quantity: '3', unit_amount: '33.335' });
    expect(lineAgain.body.id).toBe(line.body.id);
    const issued = await call('POST', `/v1/invoices/${draft.body.id}/issue`);
    expect(issued.body).toMatchObject({ status: 'open', total: '100.01', amount_due: '100.01' });
    expect(issued.body.number).toMatch(/^INV-/);
    const lateLine = await call('POST', '/v1/invoice_line_items', { ...lineBody, description: 'More' });
    expect(lateLine.status).toBe(409);
    expect(lateLine.body.error.code).toBe('invoice_not_draft');

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await invoice(draft.body.id)).status).toBe('open');
    const paid = await call('POST', `/v1/invoices/${draft.body.id}/pay`, {});
    expect(paid.body).toMatchObject({ status: 'paid', amount_paid: '100.01', attempt_count: 1 });
    expect((await call('POST', `/v1/invoices/${draft.body.id}/void`)).body.error.code).toBe(
      'invoice_not_voidable',
    );

    const other = await call('POST', '/v1/invoices', {
      customer,
      currency: 'jpy',
      collection_method: 'send_invoice',
    });
    await call('POST', '/v1/invoice_line_items', {
      invoice: other.body.id,
      description: 'Fee',
      unit_amount: '1000.5',
    });
    const opened = await call('POST', `/v1/invoices/${other.body.id}/issue`);
    expect(opened.body.total).toBe('1001');
    const voided = await call('POST', `/v1/invoices/${other.body.id}/void`);
    expect(voided.body).toMatchObject({ status: 'void', amount_due: '0' });
    const open = await call('GET', `/v1/invoices?customer=${customer}&status=paid`);
    expect(open.body.data.map((inv: { id: string }) => inv.id)).toEqual([draft.body.id]);
  });
});
