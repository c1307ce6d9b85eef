import { CreditDrawsService } from '../../src/credits/credit-draws.service.js';
import { DataSource } from 'typeorm';
import { type Call, caller, customerWithCard, sumMetric } from '../support/billing-fixtures.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { daysFromNow, LAST_YEAR } from '../support/calendar.js';

const MAY = { start_date: `${LAST_YEAR}-05-01T00:00:00Z`, end_date: `${LAST_YEAR}-06-01T00:00:00Z` };

interface Webhook {
  id: string;
  type: string;
  data: { object: any };
}

describe('prepaid credits through the API, on the real servers', () => {
  const stack = useTestStack({
    worker: true,
    config: { ROLLUP_IDLE_MS: '100', OUTBOX_SWEEP_INTERVAL_MS: '250', WEBHOOK_RETRY_SCHEDULE: '200ms' },
  });
  const receiver = new WebhookReceiver();
  let call: Call;
  let merchantId: string;
  let webhooks: (type?: string) => Webhook[];

  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    merchantId = merchant.id;
    call = caller(stack.api.baseUrl, merchant.key);
    const path = `/${merchant.id}`;
    await call('POST', '/v1/webhook_endpoints', { url: receiver.script(path, [200]), enabled_events: ['*'] });
    webhooks = (type) =>
      receiver
        .uniqueAt(path)
        .map((request) => JSON.parse(request.body) as Webhook)
        .filter((hook) => type === undefined || hook.type === type);
  });

  let sequence = 0;
  const logUsage = async (customer: string, eventName: string, values: string[], day = '10') => {
    const events = values.map((value) => ({
      customer,
      event_name: eventName,
      reference: `usage-${(sequence += 1)}`,
      value,
      timestamp: `${LAST_YEAR}-05-${day}T12:00:00Z`,
    }));
    const logged = await call('POST', '/v1/billing/metering_events/batch', { events });
    expect(logged.status).toBe(200);
  };
  const grant = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
    call('POST', '/v1/billing/credits', { currency: 'usd', paid: false, ...body }, headers);
  const ledger = async (customer: string) =>
    (await call('GET', `/v1/billing/credits/ledger?customer_id=${customer}&limit=100`)).body.data as Array<{
      grant: string;
      kind: string;
      amount: string;
      balance_after: string;
      window_start: string | null;
      source: { type: string; id: string } | null;
    }>;
  const credits = async (customer: string) =>
    (await call('GET', `/v1/billing/credits?customer_id=${customer}&limit=100`)).body;
  const drawsOf = async (customer: string) => (await ledger(customer)).filter((e) => e.kind === 'draw');
  const untilDrawn = (customer: string, total: string) =>
    eventually(
      async () => {
        const draws = await drawsOf(customer);
        const cents = draws.reduce((sum, e) => sum - Math.round(Number(e.amount) * 100), 0);
        return cents === Math.round(Number(total) * 100) && draws;
      },
      { what: `draws adding up to ${total}`, timeoutMs: 30_000 },
    );

  /** Issues May's billing invoice (auto charge) and answers it once paid. */
  const billMayUntilPaid = async (customer: string) => {
    const issued = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      ...MAY,
      collection_method: 'auto_charge',
    });
    expect(issued.status).toBe(201);
    return eventually(
      async () => {
        const current = (await call('GET', `/v1/invoices/${issued.body.id}`)).body;
        return current.status === 'paid' && current;
      },
      { what: 'the invoice to be paid', timeoutMs: 30_000 },
    );
  };

  it('draws 5.00 then 7.00 for 12.00 of usage, warns once at the threshold, bills what credits do not cover, and never draws twice', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'compute', '1.00');
    await sumMetric(call, 'pings', '0');
    const ten = await grant({ customer, amount: '10.00', expires_at: daysFromNow(730) });
    const five = await grant({ customer, amount: '5.00', expires_at: daysFromNow(365) });
    expect(ten.status).toBe(201);
    expect(ten.body).toMatchObject({
      object: 'credit_grant',
      customer,
      amount: '10.00',
      remaining: '10.00',
      status: 'active',
      paid: false,
    });
    expect(ten.body.id).toMatch(/^cg_/);

    // 12.00 of usage: the sooner-expiring grant goes first, then the other.
    await logUsage(customer, 'compute', ['4', '5', '3']);
    const first = await untilDrawn(customer, '12.00');
    expect(
      first
        .slice()
        .reverse()
        .map((e) => [e.grant, e.amount, e.window_start]),
    ).toEqual([
      [five.body.id, '-5.00', `${LAST_YEAR}-05-01T00:00:00.000Z`],
      [ten.body.id, '-7.00', `${LAST_YEAR}-05-01T00:00:00.000Z`],
    ]);
    expect(first.every((e) => e.source?.type === 'rollup' && /^\d+$/.test(e.source.id))).toBe(true);
    const afterFirst = await credits(customer);
    expect(afterFirst.balances).toEqual([{ currency: 'usd', available: '3.00', pending: '0.00' }]);
    expect(
      Object.fromEntries(afterFirst.data.map((g: { id: string; remaining: string }) => [g.id, g.remaining])),
    ).toEqual({ [ten.body.id]: '3.00', [five.body.id]: '0.00' });

    // The balance is the ledger's sum, entry by entry.
    const entries = (await ledger(customer)).slice().reverse();
    let running = 0;
    for (const entry of entries) {
      running += Math.round(Number(entry.amount) * 100);
      expect(Math.round(Number(entry.balance_after) * 100)).toBe(running);
    }
    expect(running).toBe(300);

    // 3.00 left of 15.00 is the default threshold (20 %): one notice.
    const threshold = await eventually(
      () => webhooks('billing.threshold.approaching').length === 1 && webhooks(),
      {
        what: 'the threshold webhook',
      },
    );
    expect(threshold.find((w) => w.type === 'billing.threshold.approaching')!.data.object).toMatchObject({
      customer,
      currency: 'usd',
      granted: '15.00',
      remaining: '3.00',
      threshold: { percent: '20' },
      threshold_amount: '3.00',
    });
    expect(webhooks('billing.credits_usage').map((w) => w.data.object.currencies[0].drawn)).toEqual([
      '12.00',
    ]);
    const progress = await call('GET', `/v1/billing/report/threshold_progress?customer_id=${customer}`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({
      object: 'threshold_progress',
      customer,
      currency: 'usd',
      granted: '15.00',
      consumed: '12.00',
      remaining: '3.00',
      percent_used: '80.00',
      threshold: { percent: '20' },
      threshold_amount: '3.00',
      crossed: true,
    });
    expect(Date.parse(progress.body.projected_depletion_at)).toBeGreaterThan(Date.now());

    // 4.00 more: 3.00 drawn, 1.00 uncovered; depletion is announced once.
    await logUsage(customer, 'compute', ['4']);
    await untilDrawn(customer, '15.00');
    expect((await credits(customer)).balances[0].available).toBe('0.00');
    const usage = await eventually(() => {
      const notices = webhooks('billing.credits_usage');
      return notices.length === 2 && notices;
    });
    expect(usage[1]!.data.object.currencies[0]).toMatchObject({
      drawn: '3.00',
      uncovered: '1.00',
      balance: '0.00',
    });
    await eventually(() => webhooks('billing.subscriber_overage').length === 1, {
      what: 'the depletion webhook',
    });

    // A fold that changes nothing priced (a free metric), and the same fold replayed: no draw.
    const entriesBefore = (await ledger(customer)).length;
    await logUsage(customer, 'pings', ['1']);
    await eventually(async () => {
      const rows = await stack.sql.query(
        `SELECT count(*)::int AS n FROM billing_metric_events WHERE customer_id = $1 AND status = 'logged'`,
        [customer],
      );
      return rows.rows[0].n === 0;
    });
    const draws = stack.worker!.app.get(CreditDrawsService);
    const db = stack.worker!.app.get(DataSource);
    const replay = () =>
      db.transaction((tx) =>
        draws.usageFolded(
          tx,
          [
            {
              merchantId,
              payerId: customer,
              from: new Date(`${LAST_YEAR}-05-10T12:00:00Z`),
              to: new Date(`${LAST_YEAR}-05-10T12:00:00Z`),
            },
          ],
          { type: 'rollup', id: first[0]!.source!.id },
        ),
      );
    await replay();
    await replay();
    expect((await ledger(customer)).length).toBe(entriesBefore);

    // The next billing invoice: 16.00 of usage, 15.00 of credits applied, 1.00 charged.
    const paid = await billMayUntilPaid(customer);
    expect(
      paid.lines.data.map((line: { kind: string; amount: string }) => [line.kind, line.amount]).sort(),
    ).toEqual([
      ['credits_applied', '-15.00'],
      ['usage', '0.00'],
      ['usage', '16.00'],
    ]);
    expect(paid).toMatchObject({ total: '1.00', amount_paid: '1.00' });
    expect(paid.charges.map((charge: { amount: string }) => charge.amount)).toEqual(['1.00']);

    // After the invoice, folding and replaying still draw nothing, and nothing is billed twice.
    await replay();
    await logUsage(customer, 'pings', ['1'], '11');
    const second = await billMayUntilPaid(customer);
    expect(second.total).toBe('0.00');
    expect((await ledger(customer)).length).toBe(entriesBefore);
    expect(webhooks('billing.threshold.approaching')).toHaveLength(1);
    expect(webhooks('billing.subscriber_overage')).toHaveLength(1);
  });

  it('draws only for usage priced in the credits’ currency', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'compute', '1.00');
    const euro = await call('POST', '/v1/billing/metering', {
      name: 'compute (eur)',
      event_name: 'compute_eur',
      aggregation: 'sum',
      unit_amount: '1.00',
      currency: 'eur',
    });
    expect(euro.status).toBe(201);
    await grant({ customer, amount: '10.00' });
    await logUsage(customer, 'compute_eur', ['4']);
    await logUsage(customer, 'compute', ['1']);
    await untilDrawn(customer, '1.00');
    await eventually(async () => {
      const rows = await stack.sql.query(
        `SELECT count(*)::int AS n FROM billing_metric_events WHERE customer_id = $1 AND status = 'logged'`,
        [customer],
      );
      return rows.rows[0].n === 0;
    });
    expect((await drawsOf(customer)).map((e) => e.amount)).toEqual(['-1.00']);
  });

  it('lets credits granted after the balance ran out pay for the uncovered usage the next invoice bills', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'compute', '1.00');
    await grant({ customer, amount: '2.00' });
    await logUsage(customer, 'compute', ['3'], '31');
    await untilDrawn(customer, '2.00');
    await eventually(() => webhooks('billing.credits_usage').length === 1);
    expect(webhooks('billing.credits_usage')[0]!.data.object.currencies[0]).toMatchObject({
      drawn: '2.00',
      uncovered: '1.00',
    });

    // Nothing is left to fold when May is billed (its period ends on June 1st): issuing the
    // invoice still settles May's window, so the new grant pays for May's last 0.60.
    await grant({ customer, amount: '0.60' });
    const paid = await billMayUntilPaid(customer);
    expect(paid.lines.data.map((line: { kind: string; amount: string }) => [line.kind, line.amount])).toEqual(
      expect.arrayContaining([
        ['usage', '3.00'],
        ['credits_applied', '-2.60'],
      ]),
    );
    expect(paid).toMatchObject({ total: '0.40', amount_paid: '0.40' });
    const lastDraw = (await drawsOf(customer))[0]!;
    expect(lastDraw).toMatchObject({
      amount: '-0.60',
      window_start: `${LAST_YEAR}-05-01T00:00:00.000Z`,
      source: { type: 'invoice', id: paid.id },
    });
    expect((await credits(customer)).balances[0].available).toBe('0.00');
  });

  it('buys exactly one paid grant per crossing of the auto top-up threshold', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'compute', '1.00');
    await grant({ customer, amount: '5.00' });
    const settings = await call('POST', '/v1/billing/credits/settings', {
      customer,
      currency: 'usd',
      auto_top_up: { threshold: '2.00', amount: '10.00' },
    });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      object: 'credit_settings',
      balance: '5.00',
      auto_top_up: { threshold: '2.00', amount: '10.00' },
      threshold: { percent: '20' },
    });
    // Money thresholds are whole cents too: a later read would have no exact cent to show.
    for (const [body, code] of [
      [{ threshold: { amount: '1.005' } }, 'threshold_invalid'],
      [{ auto_top_up: { threshold: '2.001', amount: '10.00' } }, 'amount_invalid'],
    ] as const) {
      const refused = await call('POST', '/v1/billing/credits/settings', {
        customer,
        currency: 'usd',
        ...body,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe(code);
    }
    const topUps = async () =>
      ((await credits(customer)).data as Array<{ source: string; status: string; invoice: string }>).filter(
        (g) => g.source === 'auto_top_up',
      );

    await logUsage(customer, 'compute', ['4']);
    const bought = await eventually(
      async () => {
        const list = await topUps();
        return list.length === 1 && list[0]!.status === 'active' && list;
      },
      { what: 'the first top-up to be paid', timeoutMs: 30_000 },
    );
    const invoice = (await call('GET', `/v1/invoices/${bought[0]!.invoice}`)).body;
    expect(invoice).toMatchObject({ kind: 'credits', status: 'paid', total: '10.00' });
    await eventually(async () => (await credits(customer)).balances[0].available === '11.00');

    // Above the threshold again: more usage that stays above it buys nothing.
    await logUsage(customer, 'compute', ['1']);
    await untilDrawn(customer, '5.00');
    // Each review re-reads the balance; a few more signals must not buy again.
    await logUsage(customer, 'compute', ['0']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await topUps()).toHaveLength(1);

    // The second crossing buys the second.
    await logUsage(customer, 'compute', ['8.5']);
    await eventually(async () => (await topUps()).length === 2, {
      what: 'the second top-up',
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await topUps()).toHaveLength(2);
  });

  it('sells paid grants through an invoice, voids grants, and refuses bad grants with clear errors', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const bought = await grant({ customer, amount: '10.00', paid: true }, { 'Idempotency-Key': 'buy-1' });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({ status: 'pending', paid: true, remaining: '0.00' });
    const retried = await grant({ customer, amount: '10.00', paid: true }, { 'Idempotency-Key': 'buy-1' });
    expect(retried.body.id).toBe(bought.body.id);
    const reused = await grant({ customer, amount: '11.00', paid: true }, { 'Idempotency-Key': 'buy-1' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');

    const active = await eventually(
      async () => {
        const current = (await call('GET', `/v1/billing/credits/${bought.body.id}`)).body;
        return current.status === 'active' && current;
      },
      { what: 'the paid grant to become active', timeoutMs: 30_000 },
    );
    expect(active.remaining).toBe('10.00');
    const invoice = (await call('GET', `/v1/invoices/${active.invoice}`)).body;
    expect(invoice).toMatchObject({ kind: 'credits', status: 'paid', total: '10.00', customer });

    const voided = await call('POST', `/v1/billing/credits/${bought.body.id}/void`);
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'voided', remaining: '0.00' });
    expect((await call('POST', `/v1/billing/credits/${bought.body.id}/void`)).body.status).toBe('voided');
    expect((await credits(customer)).balances[0].available).toBe('0.00');
    expect((await ledger(customer)).map((e) => [e.kind, e.amount])).toEqual([
      ['void', '-10.00'],
      ['grant', '10.00'],
    ]);

    const noCard = (await call('POST', '/v1/customers', {})).body.id;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ customer, amount: '0' }, 400, 'amount_invalid'],
      [{ customer, amount: '1.001' }, 400, 'amount_invalid'],
      [{ customer, amount: 'ten' }, 400, 'parameter_invalid'],
      [{ customer, amount: '1.00', expires_at: '2020-01-01T00:00:00Z' }, 400, 'expires_at_invalid'],
      [{ amount: '1.00' }, 400, 'payer_required'],
      [{ customer, account: 'acct_x', amount: '1.00' }, 400, 'payer_conflict'],
      [{ customer: 'cus_01jdx0000000000000000000000', amount: '1.00' }, 400, 'resource_missing'],
      [{ customer: noCard, amount: '1.00', paid: true }, 400, 'payment_method_required'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await grant(body);
      expect([body, answer.status, answer.body.error?.code]).toEqual([body, status, code]);
    }
    expect(
      (await call('GET', '/v1/billing/credits?customer_id=cus_01jdx0000000000000000000000')).status,
    ).toBe(404);
    expect((await call('POST', '/v1/billing/credits/cg_01jdx0000000000000000000000/void')).status).toBe(404);
    expect((await call('GET', `/v1/billing/report/threshold_progress?customer_id=${noCard}`)).status).toBe(
      404,
    );

    // A subscription bills its customer's usage itself: the two modes exclude each other.
    await sumMetric(call, 'seats', '1.00');
    const plan = {
      interval: 'month',
      base_amount: '5.00',
      currency: 'usd',
      items: [{ metric: 'seats', included_quantity: '1' }],
      collection_method: 'send_invoice',
    };
    const refused = await call('POST', '/v1/subscriptions', { customer, ...plan });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'billing_mode_conflict']);
    const subscribed = (await call('POST', '/v1/customers', {})).body.id;
    expect((await call('POST', '/v1/subscriptions', { customer: subscribed, ...plan })).status).toBe(201);
    const conflict = await grant({ customer: subscribed, amount: '1.00' });
    expect([conflict.status, conflict.body.error?.code]).toEqual([409, 'billing_mode_conflict']);
  });
});
