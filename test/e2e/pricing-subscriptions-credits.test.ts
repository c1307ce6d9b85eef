import { type Call, caller, customerWithCard } from '../support/billing-fixtures.js';
import { LAST_YEAR, monthlyPeriodStarts } from '../support/calendar.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Graduated: the first 1,000 units at 0.002, the rest at 0.001 (the lead's example). */
const GRADUATED = {
  model: 'graduated',
  tiers: [
    { up_to: '1000', unit_amount: '0.002' },
    { up_to: null, unit_amount: '0.001' },
  ],
};
/** GRADUATED as the API answers it (canonical: flat amounts and bounds spelled out). */
const GRADUATED_JSON = {
  model: 'graduated',
  tiers: [
    { up_to: '1000', unit_amount: '0.002', flat_amount: '0' },
    { up_to: null, unit_amount: '0.001', flat_amount: '0' },
  ],
  minimum_amount: null,
  maximum_amount: null,
};

interface Line {
  id: string | null;
  invoice: string | null;
  kind: string;
  metric: string | null;
  description: string;
  quantity: string;
  unit_amount: string | null;
  amount: string;
  tiers: Array<Record<string, string | null>> | null;
  period_start: string | null;
  period_end: string | null;
}

/** A line without what only a stored line has (its id and invoice), to compare a preview with an invoice. */
const content = ({ id: _id, invoice: _invoice, ...rest }: Line) => rest;
const linesOf = (invoice: { lines: { data: Line[] } }) => invoice.lines.data.map(content);
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('pricing models, subscription prices and minimums, tiered credits and the invoice preview, through the API', () => {
  const stack = useTestStack({ worker: true, config: { ROLLUP_IDLE_MS: '100' } });
  let call: Call;

  beforeEach(async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    call = caller(stack.api.baseUrl, merchant.key);
  });

  let sequence = 0;
  /** Logs one batch: each [timestamp, value] an event of `eventName`. */
  const log = async (customer: string, eventName: string, events: Array<[string, string]>) => {
    const answer = await call('POST', '/v1/billing/metering_events/batch', {
      events: events.map(([timestamp, value]) => ({
        customer,
        event_name: eventName,
        reference: `psc-${(sequence += 1)}`,
        value,
        timestamp,
      })),
    });
    expect([answer.status, answer.body.created]).toEqual([200, events.length]);
  };
  const metric = async (eventName: string, price: unknown) => {
    const created = await call('POST', '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation: 'sum',
      price,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const issued = (invoiceId: string) =>
    eventually(
      async () => {
        const invoice = (await call('GET', `/v1/invoices/${invoiceId}`)).body;
        return invoice.status !== 'draft' && invoice;
      },
      { what: `${invoiceId} to be issued`, timeoutMs: 30_000 },
    );
  const invoicesOf = async (customer: string) =>
    (await call('GET', `/v1/invoices?customer=${customer}&limit=100`)).body.data as Array<{
      id: string;
      status: string;
    }>;
  const subscribe = async (body: Record<string, unknown>) => {
    const created = await call('POST', '/v1/subscriptions', {
      currency: 'usd',
      collection_method: 'auto_charge',
      ...body,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const current = await eventually(
      async () => {
        const body = (await call('GET', `/v1/subscriptions/${id}`)).body;
        return body.current_period_start !== null && body;
      },
      { what: `${id}'s first period` },
    );
    return { id, created: created.body, current };
  };
  const preview = async (subscription: string) => {
    const answer = await call('GET', `/v1/invoices/upcoming?subscription=${subscription}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const billNow = async (subscription: string) => {
    const answer = await call('POST', `/v1/subscriptions/${subscription}/bill_now`);
    expect(answer.status).toBe(200);
    expect(answer.body.invoice).toMatch(/^inv_/);
    return issued(answer.body.invoice as string);
  };
  const usedOf = async (subscription: string) =>
    (await call('GET', `/v1/billing/report/subscription?subscription_id=${subscription}`)).body;

  it('bills an item’s graduated overage as a difference in amount (bill now, then the period end) and trues up the minimum commitment only when usage falls short', async () => {
    // ---- A: a daily subscription whose first period ends ~15 s after it is created. ----
    const a = await customerWithCard(call, 'tok_visa');
    // The metric's own price (0.01 a unit) would bill the first 200 over 2.00, not 0.20: the item's price wins.
    const callsA = await metric('calls_a', { model: 'per_unit', unit_amount: '0.01' });
    const startA = new Date(Date.now() - DAY_MS + 15_000);
    const subA = await subscribe({
      customer: a.customer,
      interval: 'day',
      base_amount: '5.00',
      items: [{ metric: 'calls_a', included_quantity: '1000', price: GRADUATED }],
      minimum_amount: '1.00',
      start_date: startA.toISOString(),
    });
    expect(subA.created).toMatchObject({
      minimum_amount: '1.00',
      items: [{ metric: callsA, included_quantity: '1000', unit_amount: null, price: GRADUATED_JSON }],
    });
    const periodA = {
      period_start: startA.toISOString(),
      period_end: new Date(startA.getTime() + DAY_MS).toISOString(),
    };
    expect(subA.current).toMatchObject({
      current_period_start: periodA.period_start,
      current_period_end: periodA.period_end,
    });
    const endA = Date.parse(periodA.period_end);

    // 1,200 units in the period (an hour after its start, so in the past).
    const inA = new Date(startA.getTime() + HOUR_MS).toISOString();
    await log(a.customer, 'calls_a', [
      [inA, '700'],
      [inA, '500'],
    ]);
    const report = await eventually(async () => {
      const body = await usedOf(subA.id);
      return body.items?.[0]?.used === '1200' && body;
    });
    // 1,200 used, 1,000 free: units 1,000–1,200 fall in the second tier, 200 × 0.001 = 0.20.
    expect(report).toMatchObject({
      subscription: subA.id,
      minimum_amount: '1.00',
      period_start: periodA.period_start,
      period_end: periodA.period_end,
      items: [
        {
          metric: callsA,
          used: '1200',
          included: '1000',
          overage_quantity: '200',
          unit_amount: null,
          price: GRADUATED_JSON,
          overage_amount: '0.20',
        },
      ],
      overage_amount: '0.20',
    });

    expect(endA - Date.now()).toBeGreaterThan(3_000); // else this run was too slow for the period's end
    const nowA = await billNow(subA.id);
    // Bill now: 0.20; no true-up (the period has not ended).
    expect(nowA).toMatchObject({ kind: 'subscription', total: '0.20', customer: a.customer, ...periodA });
    expect(linesOf(nowA)).toEqual([
      {
        object: 'invoice_line_item',
        kind: 'usage',
        metric: callsA,
        description: 'calls_a overage (above 1000 included)',
        quantity: '200',
        unit_amount: null,
        amount: '0.20',
        tiers: [
          { from: '1000', to: null, quantity: '200', unit_amount: '0.001', flat_amount: '0', amount: '0.2' },
        ],
        ...periodA,
      },
    ]);

    // 300 more: the period's 1,500 cost 500 × 0.001 = 0.50, of which 0.20 was billed: 0.30 left.
    await log(a.customer, 'calls_a', [[inA, '300']]);
    await eventually(async () => (await usedOf(subA.id)).items?.[0]?.used === '1500');
    const finalPreview = await preview(subA.id);
    expect(endA - Date.now()).toBeGreaterThan(1_000); // the preview must be of the live period
    // As if the period ended now: 0.30 more, and the usage lines (0.20 + 0.30 = 0.50) fall 0.50
    // short of the 1.00 minimum. The next period is [end, end + 1 day), at the 5.00 base fee.
    const finalLines = [
      {
        object: 'invoice_line_item',
        kind: 'usage',
        metric: callsA,
        description: 'calls_a overage (above 1000 included)',
        quantity: '300',
        unit_amount: null,
        amount: '0.30',
        tiers: [
          { from: '1000', to: null, quantity: '300', unit_amount: '0.001', flat_amount: '0', amount: '0.3' },
        ],
        ...periodA,
      },
      {
        object: 'invoice_line_item',
        kind: 'minimum_commitment',
        metric: null,
        description: 'Minimum commitment true-up (usage 0.50 of 1.00)',
        quantity: '1',
        unit_amount: '0.5',
        amount: '0.50',
        tiers: null,
        ...periodA,
      },
    ];
    expect(finalPreview).toMatchObject({ id: null, kind: 'subscription', total: '0.80', ...periodA });
    expect(linesOf(finalPreview)).toEqual(finalLines);
    expect(finalPreview.next_base_fee).toEqual({
      amount: '5.00',
      period_start: periodA.period_end,
      period_end: new Date(endA + DAY_MS).toISOString(),
    });

    // ---- B: a daily subscription started three days ago: its three past periods bill at once. ----
    const b = await customerWithCard(call, 'tok_visa');
    const callsB = await metric('calls_b', { model: 'per_unit', unit_amount: '1' });
    const startB = new Date(Date.now() - 3 * DAY_MS - HOUR_MS);
    const dayB = (k: number) => new Date(startB.getTime() + k * DAY_MS);
    const at = (k: number) => new Date(dayB(k).getTime() + HOUR_MS).toISOString();
    // Logged before the subscription exists, so its catch-up finds every period's usage.
    await log(b.customer, 'calls_b', [
      [at(0), '1000'],
      [at(0), '500'], // period 0: 1,500
      [at(1), '800'], // period 1: 800
      [at(2), '300'], // period 2: 300, within the allotment
    ]);
    const subB = await subscribe({
      customer: b.customer,
      interval: 'day',
      base_amount: '2.00',
      // 500 free, then the same tiers as A: here the free units end inside the first tier.
      items: [{ metric: 'calls_b', included_quantity: '500', price: GRADUATED }],
      minimum_amount: '1.00',
      start_date: startB.toISOString(),
    });
    // Four base fees (periods 0–3) and three overage invoices (periods 0–2).
    const billedB = await eventually(
      async () => {
        const list = await invoicesOf(b.customer);
        return list.length === 7 && list.every((invoice) => invoice.status !== 'draft') && list;
      },
      { what: 'the catch-up of B', timeoutMs: 30_000 },
    );
    expect(subB.id).toMatch(/^sub_/);
    const fullB = await Promise.all(
      billedB.map(async ({ id }) => (await call('GET', `/v1/invoices/${id}`)).body),
    );
    const overageB = fullB
      .filter((invoice) => !invoice.lines.data[0].description.startsWith('Base fee'))
      .sort((x, y) => Date.parse(x.period_start) - Date.parse(y.period_start));
    const periodB = (k: number) => ({
      period_start: dayB(k).toISOString(),
      period_end: dayB(k + 1).toISOString(),
    });
    expect(overageB.map((invoice) => [invoice.period_start, invoice.total, invoice.kind])).toEqual([
      // 1,500 used, 500 free: 500 × 0.002 (to 1,000) + 500 × 0.001 = 1.00 + 0.50 = 1.50, above the minimum.
      [dayB(0).toISOString(), '1.50', 'subscription'],
      // 800 used: 300 × 0.002 = 0.60, and 0.40 to reach 1.00.
      [dayB(1).toISOString(), '1.00', 'subscription'],
      // 300 used, all free: no usage line, the whole 1.00 trued up.
      [dayB(2).toISOString(), '1.00', 'subscription'],
    ]);
    const usageB = (quantity: string, amount: string, tiers: unknown[], k: number) => ({
      object: 'invoice_line_item',
      kind: 'usage',
      metric: callsB,
      description: 'calls_b overage (above 500 included)',
      quantity,
      unit_amount: null,
      amount,
      tiers,
      ...periodB(k),
    });
    const trueUpB = (description: string, amount: string, unit: string, k: number) => ({
      object: 'invoice_line_item',
      kind: 'minimum_commitment',
      metric: null,
      description,
      quantity: '1',
      unit_amount: unit,
      amount,
      tiers: null,
      ...periodB(k),
    });
    expect(overageB.map(linesOf)).toEqual([
      [
        usageB(
          '1000',
          '1.50',
          [
            { from: '0', to: '1000', quantity: '500', unit_amount: '0.002', flat_amount: '0', amount: '1' },
            {
              from: '1000',
              to: null,
              quantity: '500',
              unit_amount: '0.001',
              flat_amount: '0',
              amount: '0.5',
            },
          ],
          0,
        ),
      ],
      [
        usageB(
          '300',
          '0.60',
          [{ from: '0', to: '1000', quantity: '300', unit_amount: '0.002', flat_amount: '0', amount: '0.6' }],
          1,
        ),
        trueUpB('Minimum commitment true-up (usage 0.60 of 1.00)', '0.40', '0.4', 1),
      ],
      [trueUpB('Minimum commitment true-up (usage 0.00 of 1.00)', '1.00', '1', 2)],
    ]);
    expect(fullB.filter((invoice) => invoice.total === '2.00')).toHaveLength(4);

    // ---- A's period end: the final overage invoice is what the preview showed, true-up included. ----
    const finalA = await eventually(
      async () => {
        const ids = (await invoicesOf(a.customer)).map((invoice) => invoice.id);
        const all = await Promise.all(ids.map(async (id) => (await call('GET', `/v1/invoices/${id}`)).body));
        const found = all.find(
          (invoice) =>
            invoice.lines.data.some((line: Line) => line.kind === 'minimum_commitment') &&
            invoice.status !== 'draft',
        );
        return found;
      },
      { what: "A's final overage invoice", timeoutMs: 40_000 },
    );
    expect(finalA).toMatchObject({ kind: 'subscription', total: '0.80', ...periodA });
    expect(linesOf(finalA)).toEqual(finalLines);
    // 0.20 + 0.30 of usage and 0.50 of true-up: the period billed exactly its 1.00 minimum.
    expect(cents(nowA.total) + cents(finalA.total)).toBe(100);
    // The next period opened at the end, with its base fee, as the preview announced.
    const next = await eventually(async () => {
      const body = (await call('GET', `/v1/subscriptions/${subA.id}`)).body;
      return body.current_period_start === periodA.period_end && body;
    });
    expect(next.current_period_end).toBe(new Date(endA + DAY_MS).toISOString());
  });

  it('previews a subscription period as bill now then invoices it (the true-up only in the preview), and the next base fee', async () => {
    const { customer } = await customerWithCard(call, 'tok_visa');
    const callsC = await metric('calls_c', GRADUATED);
    // A monthly subscription anchored on yesterday's midnight (UTC): its first period runs for a month.
    const anchor = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS);
    const [first, second, third] = monthlyPeriodStarts(anchor, 3);
    const sub = await subscribe({
      customer,
      interval: 'month',
      base_amount: '12.00',
      // No item price: the metric's graduated price applies.
      items: [{ metric: 'calls_c', included_quantity: '1000' }],
      minimum_amount: '2.00',
      start_date: anchor.toISOString(),
    });
    expect(sub.created).toMatchObject({
      minimum_amount: '2.00',
      items: [{ metric: callsC, included_quantity: '1000', price: null }],
    });
    const period = { period_start: first!.toISOString(), period_end: second!.toISOString() };
    expect(sub.current).toMatchObject({
      current_period_start: period.period_start,
      current_period_end: period.period_end,
    });
    const nextFee = { period_start: second!.toISOString(), period_end: third!.toISOString() };

    // 1,200 units, an hour after the anchor (in the past).
    await log(customer, 'calls_c', [[new Date(anchor.getTime() + HOUR_MS).toISOString(), '1200']]);
    const before = await eventually(async () => {
      const body = await preview(sub.id);
      return body.lines.data.length === 2 && body;
    });
    // 200 over at 0.001 = 0.20; as if the period ended now, 2.00 − 0.20 = 1.80 trued up.
    const usageLine = {
      object: 'invoice_line_item',
      kind: 'usage',
      metric: callsC,
      description: 'calls_c overage (above 1000 included)',
      quantity: '200',
      unit_amount: null,
      amount: '0.20',
      tiers: [
        { from: '1000', to: null, quantity: '200', unit_amount: '0.001', flat_amount: '0', amount: '0.2' },
      ],
      ...period,
    };
    const trueUp = (used: string, amount: string, unit: string) => ({
      object: 'invoice_line_item',
      kind: 'minimum_commitment',
      metric: null,
      description: `Minimum commitment true-up (usage ${used} of 2.00)`,
      quantity: '1',
      unit_amount: unit,
      amount,
      tiers: null,
      ...period,
    });
    expect(before).toMatchObject({
      id: null,
      object: 'invoice',
      number: null,
      status: 'draft',
      kind: 'subscription',
      customer,
      currency: 'usd',
      total: '2.00',
      ...period,
    });
    expect(before.lines.data.every((line: Line) => line.id === null && line.invoice === null)).toBe(true);
    expect(linesOf(before)).toEqual([usageLine, trueUp('0.20', '1.80', '1.8')]);
    expect(before.next_base_fee).toEqual({ amount: '12.00', ...nextFee });

    // Bill now invoices the preview's usage lines exactly, without the true-up (the period runs on).
    const billed = await billNow(sub.id);
    expect(billed).toMatchObject({ kind: 'subscription', total: '0.20', ...period });
    expect(linesOf(billed)).toEqual(linesOf(before).filter((line) => line.kind !== 'minimum_commitment'));
    expect(cents(billed.total)).toBe(cents(before.total) - cents('1.80'));

    // After it, nothing new to bill: the preview is the true-up alone, counting what was billed.
    const after = await preview(sub.id);
    expect(linesOf(after)).toEqual([trueUp('0.20', '1.80', '1.8')]);
    expect(after.total).toBe('1.80');

    // The next base fee follows a pending change of base amount, and is null when the period is the last.
    expect((await call('POST', `/v1/subscriptions/${sub.id}`, { base_amount: '15.00' })).status).toBe(200);
    expect((await preview(sub.id)).next_base_fee).toEqual({ amount: '15.00', ...nextFee });
    expect((await call('POST', `/v1/subscriptions/${sub.id}`, { cancel_at_period_end: true })).status).toBe(
      200,
    );
    const last = await preview(sub.id);
    expect(last.next_base_fee).toBeNull();
    expect(linesOf(last)).toEqual([trueUp('0.20', '1.80', '1.8')]);
  });

  describe('prepaid credits priced by tiers', () => {
    const MAY = { start_date: `${LAST_YEAR}-05-01T00:00:00Z`, end_date: `${LAST_YEAR}-06-01T00:00:00Z` };
    const MAY_PERIOD = {
      period_start: `${LAST_YEAR}-05-01T00:00:00.000Z`,
      period_end: `${LAST_YEAR}-06-01T00:00:00.000Z`,
    };
    const JUNE_PERIOD = {
      period_start: `${LAST_YEAR}-06-01T00:00:00.000Z`,
      period_end: `${LAST_YEAR}-07-01T00:00:00.000Z`,
    };
    /**
     * 0.05 for each of the first 100 units, 0.02 each to 1,000 (and 1.00 once when that tier is
     * reached), then 0.0035: a price whose amounts fall between cents past 1,000.
     */
    const THREE_TIERS = {
      model: 'graduated',
      tiers: [
        { up_to: '100', unit_amount: '0.05' },
        { up_to: '1000', unit_amount: '0.02', flat_amount: '1.00' },
        { up_to: null, unit_amount: '0.0035' },
      ],
    };

    const grant = async (customer: string, amount: string) => {
      const granted = await call('POST', '/v1/billing/credits', {
        customer,
        amount,
        currency: 'usd',
        paid: false,
      });
      expect(granted.status).toBe(201);
      return granted.body.id as string;
    };
    const drawsOf = async (customer: string) =>
      (
        (await call('GET', `/v1/billing/credits/ledger?customer_id=${customer}&limit=100`)).body
          .data as Array<{
          kind: string;
          amount: string;
          window_start: string | null;
          source: { type: string } | null;
        }>
      )
        .filter((entry) => entry.kind === 'draw')
        .reverse();
    const drawnCents = async (customer: string) =>
      (await drawsOf(customer)).reduce((sum, entry) => sum - cents(entry.amount), 0);
    const allFolded = (customer: string) =>
      eventually(
        async () =>
          (
            await stack.sql.query(
              `SELECT count(*)::int AS n FROM billing_metric_events WHERE customer_id = $1 AND status = 'logged'`,
              [customer],
            )
          ).rows[0].n === 0,
        { what: `${customer}'s events folded` },
      );
    /** Logs one batch and waits for the rollup that folds it to have drawn `total` in all. */
    const logAndDraw = async (
      customer: string,
      eventName: string,
      day: string,
      values: string[],
      total: string,
    ) => {
      await log(
        customer,
        eventName,
        values.map((value) => [`${day}T12:00:00Z`, value]),
      );
      await allFolded(customer);
      await eventually(async () => (await drawnCents(customer)) === cents(total), {
        what: `draws adding up to ${total}`,
        timeoutMs: 30_000,
      });
    };
    const upcoming = async (customer: string, window: { start_date: string; end_date: string }) => {
      const answer = await call(
        'GET',
        `/v1/invoices/upcoming?customer=${customer}&start_date=${window.start_date}&end_date=${window.end_date}`,
      );
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const billingInvoice = async (customer: string, window: { start_date: string; end_date: string }) => {
      const created = await call('POST', '/v1/billing/billing_invoice', {
        customer,
        ...window,
        collection_method: 'auto_charge',
      });
      expect(created.status).toBe(201);
      return eventually(
        async () => {
          const invoice = (await call('GET', `/v1/invoices/${created.body.id}`)).body;
          return invoice.status === 'paid' && invoice;
        },
        { what: 'the billing invoice to be paid', timeoutMs: 30_000 },
      );
    };

    it('draws, fold by fold, exactly what the month’s usage costs at its tiers, and the preview is the invoice', async () => {
      const day = `${LAST_YEAR}-05-10`;
      const covered = (await customerWithCard(call, 'tok_visa')).customer;
      const short = (await customerWithCard(call, 'tok_visa')).customer;
      const tiered = await metric('tiered_calls', THREE_TIERS);
      await grant(covered, '30.00');
      await grant(short, '10.00');

      // Covered: six batches, each folded (and drawn for) before the next. The month is priced
      // whole each time; each draw is the new price less what was drawn:
      //   65 units:    65 × 0.05                                      =  3.25 → draw 3.25
      //   95:          95 × 0.05                                      =  4.75 → draw 1.50
      //   300:         5.00 + 200 × 0.02 + 1.00                       = 10.00 → draw 5.25
      //   633:         5.00 + 533 × 0.02 + 1.00 = 5.00 + 10.66 + 1.00 = 16.66 → draw 6.66
      //   1,007:       5.00 + 900 × 0.02 + 1.00 + 7 × 0.0035 = 24.0245 → 24.02 → draw 7.36
      //   1,010:       24.00 + 10 × 0.0035 = 24.035 → 24.04 (half up)          → draw 0.02
      // (the last 3 units alone are 0.0105: priced whole, the month stays exact to the cent).
      const batches: Array<[string[], string]> = [
        [['40', '25'], '3.25'],
        [['30'], '4.75'],
        [['20', '185'], '10.00'],
        [['333'], '16.66'],
        [['367', '7'], '24.02'],
        [['3'], '24.04'],
      ];
      for (const [values, total] of batches) await logAndDraw(covered, 'tiered_calls', day, values, total);
      const coveredDraws = await drawsOf(covered);
      expect(coveredDraws.map((entry) => entry.amount)).toEqual([
        '-3.25',
        '-1.50',
        '-5.25',
        '-6.66',
        '-7.36',
        '-0.02',
      ]);
      expect(
        coveredDraws.every(
          (entry) => entry.source?.type === 'rollup' && entry.window_start === MAY_PERIOD.period_start,
        ),
      ).toBe(true);

      // Short of credits: 10.00 granted.
      //   50 units:  2.50                                 → draw 2.50
      //   200:       5.00 + 100 × 0.02 + 1.00 = 8.00       → draw 5.50
      //   700:       5.00 + 600 × 0.02 + 1.00 = 18.00      → draw 2.00 (the rest of the 10.00)
      //   800:       5.00 + 700 × 0.02 + 1.00 = 20.00      → nothing left to draw
      await logAndDraw(short, 'tiered_calls', day, ['50'], '2.50');
      await logAndDraw(short, 'tiered_calls', day, ['150'], '8.00');
      await logAndDraw(short, 'tiered_calls', day, ['500'], '10.00');
      await logAndDraw(short, 'tiered_calls', day, ['100'], '10.00');
      expect((await drawsOf(short)).map((entry) => entry.amount)).toEqual(['-2.50', '-5.50', '-2.00']);

      const usageLine = (quantity: string, amount: string, tiers: unknown[]) => ({
        object: 'invoice_line_item',
        kind: 'usage',
        metric: tiered,
        description: 'tiered_calls',
        quantity,
        unit_amount: null,
        amount,
        tiers,
        ...MAY_PERIOD,
      });
      const creditsLine = (amount: string, unit: string) => ({
        object: 'invoice_line_item',
        kind: 'credits_applied',
        metric: null,
        description: `Prepaid credits applied (usage of ${LAST_YEAR}-05)`,
        quantity: '1',
        unit_amount: unit,
        amount,
        tiers: null,
        period_start: null,
        period_end: null,
      });

      // Covered: the preview after the rollup, then the invoice issued right after it.
      const coveredPreview = await upcoming(covered, MAY);
      const coveredInvoice = await billingInvoice(covered, MAY);
      const coveredLines = [
        usageLine('1010', '24.04', [
          { from: '0', to: '100', quantity: '100', unit_amount: '0.05', flat_amount: '0', amount: '5' },
          { from: '100', to: '1000', quantity: '900', unit_amount: '0.02', flat_amount: '1', amount: '19' },
          {
            from: '1000',
            to: null,
            quantity: '10',
            unit_amount: '0.0035',
            flat_amount: '0',
            amount: '0.035',
          },
        ]),
        creditsLine('-24.04', '-24.04'),
      ];
      expect(linesOf(coveredPreview)).toEqual(coveredLines);
      expect(linesOf(coveredInvoice)).toEqual(coveredLines);
      expect(coveredPreview).toMatchObject({ id: null, kind: 'billing', total: '0.00', next_base_fee: null });
      expect(coveredInvoice).toMatchObject({ kind: 'billing', total: '0.00' });
      // The month's draws are the invoice's priced usage, to the cent.
      expect(coveredDraws.reduce((sum, entry) => sum - cents(entry.amount), 0)).toBe(cents('24.04'));

      // Short: 20.00 of usage, the 10.00 drawn applied, 10.00 charged.
      const shortPreview = await upcoming(short, MAY);
      const shortInvoice = await billingInvoice(short, MAY);
      const shortLines = [
        usageLine('800', '20.00', [
          { from: '0', to: '100', quantity: '100', unit_amount: '0.05', flat_amount: '0', amount: '5' },
          { from: '100', to: '1000', quantity: '700', unit_amount: '0.02', flat_amount: '1', amount: '15' },
        ]),
        creditsLine('-10.00', '-10'),
      ];
      expect(linesOf(shortPreview)).toEqual(shortLines);
      expect(linesOf(shortInvoice)).toEqual(shortLines);
      expect(shortPreview.total).toBe('10.00');
      expect(shortInvoice).toMatchObject({ total: '10.00', amount_paid: '10.00' });
      expect((await drawnCents(short)) + cents(shortInvoice.amount_paid)).toBe(cents('20.00'));
    });

    it('gives a prepaid customer’s invoice over two UTC months one line per metric per month', async () => {
      const { customer } = await customerWithCard(call, 'tok_visa');
      const storage = await metric('storage_gb', { model: 'per_unit', unit_amount: '0.10' });
      const requests = await metric('requests', {
        model: 'graduated',
        tiers: [
          { up_to: '100', unit_amount: '0.05' },
          { up_to: null, unit_amount: '0.01' },
        ],
      });
      await grant(customer, '8.00');
      // May: storage 10 × 0.10 = 1.00; requests 100 × 0.05 + 50 × 0.01 = 5.50. May costs 6.50, all drawn.
      await log(customer, 'storage_gb', [[`${LAST_YEAR}-05-20T08:00:00Z`, '10']]);
      await logAndDraw(customer, 'requests', `${LAST_YEAR}-05-20`, ['150'], '6.50');
      // June: storage 20 × 0.10 = 2.00; requests 80 × 0.05 = 4.00 — the tiers start over each
      // month (230 requests over both months would cost 5.00 + 1.30 = 6.30, not 9.50). June
      // costs 6.00, of which the 1.50 left is drawn.
      await log(customer, 'storage_gb', [[`${LAST_YEAR}-06-10T08:00:00Z`, '20']]);
      await logAndDraw(customer, 'requests', `${LAST_YEAR}-06-10`, ['80'], '8.00');

      // A window of half of May and half of June: the lines are priced, and named, by month.
      const window = { start_date: `${LAST_YEAR}-05-16T00:00:00Z`, end_date: `${LAST_YEAR}-06-16T00:00:00Z` };
      const label = (period: { period_start: string; period_end: string }) =>
        `${period.period_start.slice(0, 10)} to ${period.period_end.slice(0, 10)}`;
      const line = (
        metricId: string,
        name: string,
        period: typeof MAY_PERIOD,
        quantity: string,
        unit: string | null,
        amount: string,
        tiers: unknown[],
      ) => ({
        object: 'invoice_line_item',
        kind: 'usage',
        metric: metricId,
        description: `${name} (${label(period)})`,
        quantity,
        unit_amount: unit,
        amount,
        tiers,
        ...period,
      });
      const expected = [
        line(storage, 'storage_gb', MAY_PERIOD, '10', '0.1', '1.00', [
          { from: '0', to: null, quantity: '10', unit_amount: '0.1', flat_amount: '0', amount: '1' },
        ]),
        line(storage, 'storage_gb', JUNE_PERIOD, '20', '0.1', '2.00', [
          { from: '0', to: null, quantity: '20', unit_amount: '0.1', flat_amount: '0', amount: '2' },
        ]),
        line(requests, 'requests', MAY_PERIOD, '150', null, '5.50', [
          { from: '0', to: '100', quantity: '100', unit_amount: '0.05', flat_amount: '0', amount: '5' },
          { from: '100', to: null, quantity: '50', unit_amount: '0.01', flat_amount: '0', amount: '0.5' },
        ]),
        line(requests, 'requests', JUNE_PERIOD, '80', null, '4.00', [
          { from: '0', to: '100', quantity: '80', unit_amount: '0.05', flat_amount: '0', amount: '4' },
        ]),
      ];
      const byMetricThenMonth = (lines: ReturnType<typeof linesOf>) =>
        lines
          .filter((l) => l.kind === 'usage')
          .sort((x, y) =>
            x.metric === y.metric
              ? Date.parse(x.period_start!) - Date.parse(y.period_start!)
              : expected.findIndex((e) => e.metric === x.metric) -
                expected.findIndex((e) => e.metric === y.metric),
          );
      const credits = [
        // Each month's draws pay for that month: 6.50 of May's, 1.50 of June's 6.00.
        ['credits_applied', `Prepaid credits applied (usage of ${LAST_YEAR}-05)`, '-6.50'],
        ['credits_applied', `Prepaid credits applied (usage of ${LAST_YEAR}-06)`, '-1.50'],
      ];
      const creditLines = (lines: ReturnType<typeof linesOf>) =>
        lines.filter((l) => l.kind === 'credits_applied').map((l) => [l.kind, l.description, l.amount]);

      const previewed = await upcoming(customer, window);
      const invoice = await billingInvoice(customer, window);
      for (const answer of [previewed, invoice]) {
        expect(byMetricThenMonth(linesOf(answer))).toEqual(expected);
        expect(creditLines(linesOf(answer))).toEqual(credits);
        // 1.00 + 2.00 + 5.50 + 4.00 = 12.50 of usage, 8.00 of credits: 4.50 charged.
        expect(answer).toMatchObject({
          total: '4.50',
          period_start: `${LAST_YEAR}-05-16T00:00:00.000Z`,
          period_end: `${LAST_YEAR}-06-16T00:00:00.000Z`,
        });
      }
      expect(invoice.amount_paid).toBe('4.50');

      // 40 more requests in June, after that window: the next invoice bills June's new price less
      // what was billed of it. June's 120 cost 100 × 0.05 + 20 × 0.01 = 5.20; 4.00 was billed: 1.20,
      // 20 units more in the first tier (1.00) and 20 in the second (0.20). The credits are spent
      // (June's 1.50 drawn is applied), so nothing is applied: 1.20 is charged.
      await log(customer, 'requests', [[`${LAST_YEAR}-06-25T08:00:00Z`, '40']]);
      await allFolded(customer);
      const rest = { start_date: window.end_date, end_date: `${LAST_YEAR}-07-01T00:00:00Z` };
      const restPreview = await upcoming(customer, rest);
      const restInvoice = await billingInvoice(customer, rest);
      const restLines = [
        line(requests, 'requests', JUNE_PERIOD, '40', null, '1.20', [
          { from: '0', to: '100', quantity: '20', unit_amount: '0.05', flat_amount: '0', amount: '1' },
          { from: '100', to: null, quantity: '20', unit_amount: '0.01', flat_amount: '0', amount: '0.2' },
        ]),
      ];
      expect(linesOf(restPreview)).toEqual(restLines);
      expect(linesOf(restInvoice)).toEqual(restLines);
      expect([restPreview.total, restInvoice.total, restInvoice.amount_paid]).toEqual([
        '1.20',
        '1.20',
        '1.20',
      ]);
      expect(await drawnCents(customer)).toBe(cents('8.00'));

      // The preview of the two-month window is the invoice, line for line and in the invoice's order.
      expect(linesOf(previewed)).toEqual(linesOf(invoice));
    });
  });
});
