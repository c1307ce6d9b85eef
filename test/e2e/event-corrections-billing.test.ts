import { Client } from 'pg';
import {
  type Call,
  caller,
  customerWithCard,
  manualDraft,
  type InvoiceLine,
  pricedLine,
  tierRow,
} from '../support/billing-fixtures.js';
import { LAST_YEAR, utcDay } from '../support/calendar.js';
import { SubscriptionCycleService } from '../../src/subscriptions/subscription-cycle.service.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';

/**
 * Event corrections billed right, end to end: the real HTTP API, the rollup and the invoice and
 * subscription workflows on a real worker (PostgreSQL and Temporal, no mocks). A void or an
 * amendment appends rows (a reversal of the version it replaces and, for an amendment, the new
 * version) that fold like events: before the event was invoiced its usage simply changes; after,
 * the issued invoice is never edited and the payer's next invoice carries an `adjustment` line
 * naming it, priced as the period's corrected price less what was billed for it. Every billing
 * date is in last year (test/support/calendar.ts); the subscription's periods are relative to
 * now, as subscriptions run on the real clock. Every amount is worked out by hand next to it.
 */

/** [start, end) of a UTC month of last year (month 1 = January), as a billing window. */
const month = (m: number) => ({
  start_date: new Date(Date.UTC(LAST_YEAR, m - 1, 1)).toISOString(),
  end_date: new Date(Date.UTC(LAST_YEAR, m, 1)).toISOString(),
});
const MARCH = month(3);
const APRIL = month(4);
const MAY = month(5);
const JUNE = month(6);
/** How a line names a period of last year: "YYYY-03-01 to YYYY-04-01". */
const label = (m: number) => `${month(m).start_date.slice(0, 10)} to ${month(m).end_date.slice(0, 10)}`;
/** A line's period_start / period_end for a month of last year. */
const periodOf = (m: number) => ({ period_start: month(m).start_date, period_end: month(m).end_date });
/** An instant of last year: `at(3, 10, 14)` is 10 March, 14:00 UTC. */
const at = (m: number, day: number, hour = 12, minute = 0) =>
  new Date(Date.UTC(LAST_YEAR, m - 1, day, hour, minute)).toISOString();

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const linesOf = (invoice: { lines: { data: InvoiceLine[] } }) => invoice.lines.data.map(pricedLine);

/** A line another context adds (credits, the invoice balance): one unit, no metric, no period. */
const extra = (kind: string, description: string, amount: string) => ({
  kind,
  metric: null,
  description,
  quantity: '1',
  unit_amount: String(Number(amount)),
  amount,
  tiers: null,
  period_start: null,
  period_end: null,
});
const CARRIED = 'Carried to the invoice balance, for the next invoices';

interface Event {
  id: string;
  reference: string;
  value: string | null;
  customer: string | null;
  status: string;
  version: number;
  voided: boolean;
  amended: boolean;
  versions?: Array<{
    version: number;
    action: string;
    reason: string | null;
    changes: Record<string, { from: unknown; to: unknown }>;
    status: string | null;
    invoice: string | null;
    reversal: { status: string; invoice: string | null } | null;
  }>;
}

describe('event corrections billed right, through the real API, rollup and workflows', () => {
  const stack = useTestStack({ worker: true, config: { ROLLUP_IDLE_MS: '100' } });
  let references = 0;

  /** A merchant of its own, with the helpers every case uses. */
  async function merchant() {
    const { key, id: merchantId } = await createMerchant(stack.api.baseUrl, 'Corrections billing');
    const call: Call = caller(stack.api.baseUrl, key);
    const metric = async (name: string, price: unknown) => {
      const created = await call('POST', '/v1/billing/metering', {
        name,
        event_name: name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
        aggregation: 'sum',
        price,
      });
      expect(created.status).toBe(201);
      return created.body as { id: string; event_name: string; name: string };
    };
    const customer = async (name: string) => {
      const created = await call('POST', '/v1/customers', { name });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    /** Logs one event; answers it. */
    const log = async (customerId: string, eventName: string, value: string, timestamp: string) => {
      const logged = await call('POST', '/v1/billing/metering_events', {
        customer: customerId,
        event_name: eventName,
        reference: `corrections-billing-${(references += 1)}`,
        value,
        timestamp,
      });
      expect(logged.status).toBe(201);
      return logged.body as Event;
    };
    const voidEvent = async (id: string, reason: string) => {
      const voided = await call('POST', `/v1/billing/metering_events/${id}/void`, { reason });
      expect({ status: voided.status, error: voided.body?.error }).toEqual({ status: 200, error: undefined });
      return voided.body as Event;
    };
    const amend = async (id: string, body: Record<string, unknown>) => {
      const amended = await call('POST', `/v1/billing/metering_events/${id}/amend`, body);
      expect({ status: amended.status, error: amended.body?.error }).toEqual({
        status: 200,
        error: undefined,
      });
      return amended.body as Event;
    };
    const event = async (id: string) =>
      (await call('GET', `/v1/billing/metering_events/${id}`)).body as Event;
    /** Waits until no row of the payer (events, reversals, new versions) is left `logged`. */
    const untilFolded = (payerId: string) =>
      eventually(
        async () =>
          (
            await stack.sql.query(
              `SELECT count(*)::int AS n FROM billing_metric_events
                WHERE coalesce(customer_id, account_id) = $1 AND status = 'logged'`,
              [payerId],
            )
          ).rows[0].n === 0,
        { what: `the rollup to fold ${payerId}'s rows`, timeoutMs: 30_000 },
      );
    /** Creates the billing invoice of the window and answers it once issued (auto_charge: once paid). */
    const bill = async (
      customerId: string,
      window: { start_date: string; end_date: string },
      collection: 'send_invoice' | 'auto_charge' = 'send_invoice',
    ) => {
      const created = await call('POST', '/v1/billing/billing_invoice', {
        customer: customerId,
        ...window,
        collection_method: collection,
      });
      expect(created.status).toBe(201);
      const wanted = collection === 'auto_charge' ? ['paid'] : ['open', 'paid'];
      return eventually(
        async () => {
          const current = (await call('GET', `/v1/invoices/${created.body.id}`)).body;
          return wanted.includes(current.status) && current;
        },
        { what: `invoice ${created.body.id} to be issued`, timeoutMs: 30_000 },
      );
    };
    /** The customer report of a window: each metric's [quantity, amount], and the totals. */
    const report = async (customerId: string, window: { start_date: string; end_date: string }) => {
      const answer = await call(
        'GET',
        `/v1/billing/report/customer?customer_id=${customerId}&start=${window.start_date}&end=${window.end_date}`,
      );
      expect(answer.status).toBe(200);
      return {
        metrics: Object.fromEntries(
          (answer.body.metrics as Array<{ metric: string; quantity: string; amount: string }>)
            .filter((m) => m.quantity !== '0')
            .map((m) => [m.metric, [m.quantity, m.amount]]),
        ),
        totals: answer.body.totals as Array<{ currency: string; amount: string }>,
      };
    };
    const balances = async (customerId: string) => {
      const answer = await call('GET', `/v1/customers/${customerId}/invoice_balances`);
      expect(answer.status).toBe(200);
      return answer.body;
    };
    /** The ids of the events that `billing.event.corrected` was recorded for, newest first. */
    const corrected = async () => {
      const answer = await call('GET', '/v1/webhook_events?type=billing.event.corrected&limit=100');
      expect(answer.status).toBe(200);
      return (answer.body.data as Array<{ type: string; data: { object: { id: string } } }>).map(
        (hook) => `${hook.type} ${hook.data.object.id}`,
      );
    };
    /** A daily subscription from `start`: 5.00 a day, 100 units included, 0.10 each above. */
    const subscribeDaily = async (customerId: string, eventName: string, start: Date) => {
      const created = await call('POST', '/v1/subscriptions', {
        customer: customerId,
        currency: 'usd',
        collection_method: 'auto_charge',
        interval: 'day',
        base_amount: '5.00',
        items: [
          { metric: eventName, included_quantity: '100', price: { model: 'per_unit', unit_amount: '0.10' } },
        ],
        start_date: start.toISOString(),
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    return {
      merchantId,
      call,
      subscribeDaily,
      metric,
      customer,
      log,
      voidEvent,
      amend,
      event,
      untilFolded,
      bill,
      report,
      balances,
      corrected,
    };
  }

  it('1. voids an event before the rollup folds it and one after: the report and the invoice count only the third', async () => {
    const api = await merchant();
    const customer = await api.customer('Voids');
    const calls = await api.metric('Voided calls', { model: 'per_unit', unit_amount: '0.50' });

    // Two events, folded by the rollup.
    const folded = await api.log(customer, calls.event_name, '20', at(3, 5, 9));
    const kept = await api.log(customer, calls.event_name, '30', at(3, 6, 9));
    await api.untilFolded(customer);
    expect((await api.event(folded.id)).status).toBe('aggregated');

    // Voided after the rollup: its reversal takes the 20 out of the buckets. The report is right
    // at once (the reversal logged, not folded yet, or folded): 30 × 0.50 = 15.00.
    const voidedAfter = await api.voidEvent(folded.id, 'logged twice');
    expect(voidedAfter).toMatchObject({ id: folded.id, voided: true, version: 2 });
    expect(voidedAfter.versions!.map((v) => [v.action, v.status])).toEqual([
      ['logged', 'aggregated'],
      ['voided', null],
    ]);
    const onlyKept = {
      metrics: { [calls.id]: ['30', '15.00'] },
      totals: [{ currency: 'usd', amount: '15.00' }],
    };
    expect(await api.report(customer, MARCH)).toEqual(onlyKept);

    // Voided before the rollup folds it: the rollup is held off by a lock on its buckets table
    // (its batch waits on it, the event stays `logged`), the event is logged and voided, then the
    // lock is released and the rollup folds the event and its reversal.
    const holder = new Client({ connectionString: stack.database.url });
    await holder.connect();
    let early: Event;
    let voidedBefore: Event;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE usage_buckets IN SHARE MODE');
      early = await api.log(customer, calls.event_name, '10', at(3, 7, 9));
      voidedBefore = await api.voidEvent(early.id, 'test traffic');
      // Before or during the fold: the report counts neither the event nor its reversal.
      expect(await api.report(customer, MARCH)).toEqual(onlyKept);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    // Its first version was still `logged` when it was voided: the void came before any fold.
    expect(voidedBefore.versions!.map((v) => [v.action, v.status, v.reversal?.status ?? null])).toEqual([
      ['logged', 'logged', null],
      ['voided', null, 'logged'],
    ]);
    await api.untilFolded(customer);
    expect(await api.report(customer, MARCH)).toEqual(onlyKept);

    // The invoice bills the kept event only: 30 × 0.50 = 15.00, one plain usage line.
    const march = await api.bill(customer, MARCH);
    expect(linesOf(march)).toEqual([
      {
        kind: 'usage',
        metric: calls.id,
        description: 'Voided calls',
        quantity: '30',
        unit_amount: '0.5',
        amount: '15.00',
        tiers: [tierRow('0', null, '30', '0.5', '0', '15')],
        ...periodOf(3),
      },
    ]);
    expect(march.total).toBe('15.00');
    expect((await api.event(kept.id)).versions![0]).toMatchObject({ status: 'invoiced', invoice: march.id });
    // One webhook per correction.
    expect(await api.corrected()).toEqual([
      `billing.event.corrected ${early!.id}`,
      `billing.event.corrected ${folded.id}`,
    ]);
    // Nothing is left of March to bill.
    expect((await api.bill(customer, MARCH)).total).toBe('0.00');
  });

  it('2. amends an invoiced and paid event: the next invoice adjusts it beside its own usage; a larger correction is carried to the balance a manual invoice uses', async () => {
    const api = await merchant();
    const { customer } = await customerWithCard(api.call, 'tok_visa');
    // Graduated: the first 100 units at 0.10, the rest at 0.05.
    const amended = await api.metric('Amended', {
      model: 'graduated',
      tiers: [
        { up_to: '100', unit_amount: '0.10' },
        { up_to: null, unit_amount: '0.05' },
      ],
    });
    const metricLine = { metric: amended.id, unit_amount: null };
    const adjustment = (m: number) =>
      `Correction to INV-000001: Amended (usage from earlier periods: ${label(m)})`;

    // March: 80 + 60 + 40 = 180 → 100 × 0.10 + 80 × 0.05 = 10.00 + 4.00 = 14.00, charged and paid.
    const eighty = await api.log(customer, amended.event_name, '80', at(3, 5));
    const sixty = await api.log(customer, amended.event_name, '60', at(3, 12));
    await api.log(customer, amended.event_name, '40', at(3, 20));
    const march = await api.bill(customer, MARCH, 'auto_charge');
    expect(march).toMatchObject({
      number: 'INV-000001',
      status: 'paid',
      total: '14.00',
      amount_paid: '14.00',
    });
    expect(linesOf(march)).toEqual([
      {
        kind: 'usage',
        ...metricLine,
        description: 'Amended',
        quantity: '180',
        amount: '14.00',
        tiers: [tierRow('0', '100', '100', '0.1', '0', '10'), tierRow('100', null, '80', '0.05', '0', '4')],
        ...periodOf(3),
      },
    ]);
    expect((await api.event(sixty.id)).status).toBe('paid');

    // The 60 was really 10: March is now 130 → 10.00 + 30 × 0.05 = 11.50, in the report at once.
    const fixed = await api.amend(sixty.id, { value: '10', reason: 'unit mix-up' });
    expect(fixed).toMatchObject({ id: sixty.id, value: '10', version: 2, amended: true, voided: false });
    const march130 = {
      metrics: { [amended.id]: ['130', '11.50'] },
      totals: [{ currency: 'usd', amount: '11.50' }],
    };
    expect(await api.report(customer, MARCH)).toEqual(march130);
    await api.untilFolded(customer);
    expect(await api.report(customer, MARCH)).toEqual(march130);
    // The paid March invoice is never edited.
    expect((await api.call('GET', `/v1/invoices/${march.id}`)).body).toMatchObject({
      status: 'paid',
      total: '14.00',
      lines: { data: [expect.objectContaining({ quantity: '180', amount: '14.00' })] },
    });

    // April: its own 50 → 50 × 0.10 = 5.00; and March's correction: (price of March's corrected
    // 130 units) − (what was billed for March) = 11.50 − 14.00 = −2.50, the −50 units all in
    // the second tier (−50 × 0.05 = −2.50). 5.00 − 2.50 = 2.50 charged.
    await api.log(customer, amended.event_name, '50', at(4, 10));
    const april = await api.bill(customer, APRIL, 'auto_charge');
    expect(linesOf(april)).toEqual([
      {
        kind: 'usage',
        ...metricLine,
        description: 'Amended',
        quantity: '50',
        amount: '5.00',
        tiers: [tierRow('0', '100', '50', '0.1', '0', '5')],
        ...periodOf(4),
      },
      {
        kind: 'adjustment',
        ...metricLine,
        description: adjustment(3),
        quantity: '-50',
        amount: '-2.50',
        tiers: [tierRow('100', null, '-50', '0.05', '0', '-2.5')],
        ...periodOf(3),
      },
    ]);
    expect(april).toMatchObject({ number: 'INV-000002', status: 'paid', total: '2.50', amount_paid: '2.50' });

    // The event's lifecycle: version 1 billed (and paid) by March's invoice, its reversal and
    // version 2 by April's.
    const history = await api.event(sixty.id);
    expect(history.versions).toEqual([
      expect.objectContaining({
        version: 1,
        action: 'logged',
        status: 'paid',
        invoice: march.id,
        reversal: null,
      }),
      expect.objectContaining({
        version: 2,
        action: 'amended',
        reason: 'unit mix-up',
        changes: { value: { from: '60', to: '10' } },
        status: 'paid',
        invoice: april.id,
        reversal: { status: 'paid', invoice: april.id },
      }),
    ]);

    // A correction larger than the next invoice: the 80 was never used. March falls to
    // 40 + 10 = 50 → 50 × 0.10 = 5.00, billed 14.00 − 2.50 = 11.50 for it: −6.50 (−50 units of
    // the first tier, −5.00; −30 of the second, −1.50). May's own 20 → 2.00. The lines sum to
    // 2.00 − 6.50 = −4.50: the invoice closes at 0.00, paid, and carries 4.50 to the balance.
    await api.voidEvent(eighty.id, 'never used');
    await api.log(customer, amended.event_name, '20', at(5, 3));
    await api.untilFolded(customer);
    expect(await api.report(customer, MARCH)).toEqual({
      metrics: { [amended.id]: ['50', '5.00'] },
      totals: [{ currency: 'usd', amount: '5.00' }],
    });
    const may = await api.bill(customer, MAY, 'auto_charge');
    expect(linesOf(may)).toEqual([
      {
        kind: 'usage',
        ...metricLine,
        description: 'Amended',
        quantity: '20',
        amount: '2.00',
        tiers: [tierRow('0', '100', '20', '0.1', '0', '2')],
        ...periodOf(5),
      },
      {
        kind: 'adjustment',
        ...metricLine,
        description: adjustment(3),
        quantity: '-80',
        amount: '-6.50',
        tiers: [
          tierRow('0', '100', '-50', '0.1', '0', '-5'),
          tierRow('100', null, '-30', '0.05', '0', '-1.5'),
        ],
        ...periodOf(3),
      },
      extra('balance_carried', CARRIED, '4.50'),
    ]);
    expect(may).toMatchObject({ number: 'INV-000003', status: 'paid', total: '0.00', amount_paid: '0.00' });
    // Closed at zero: never a negative charge, nor any charge at all.
    expect(may.charges).toEqual([]);
    expect((await api.event(eighty.id)).versions![1]).toMatchObject({
      action: 'voided',
      reversal: { invoice: may.id },
    });
    const carried = { invoice: may.id, kind: 'carried', amount: '4.50', created_at: expect.any(String) };
    expect(await api.balances(customer)).toEqual({
      object: 'list',
      data: [{ object: 'invoice_balance', currency: 'usd', amount: '4.50', entries: [carried] }],
    });

    // A manual invoice of 10.00 uses the balance: −4.50, 5.50 due.
    const manual = await manualDraft(api.call, customer, '10.00', 'send_invoice');
    const issued = await api.call('POST', `/v1/invoices/${manual}/issue`);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ status: 'open', total: '5.50', amount_due: '5.50' });
    expect(linesOf(issued.body).map((line) => [line.kind, line.description, line.amount])).toEqual([
      ['manual', 'Fee', '10.00'],
      ['balance_applied', 'Invoice balance applied', '-4.50'],
    ]);
    const applied = { invoice: manual, kind: 'applied', amount: '-4.50', created_at: expect.any(String) };
    expect(await api.balances(customer)).toEqual({
      object: 'list',
      data: [{ object: 'invoice_balance', currency: 'usd', amount: '0.00', entries: [applied, carried] }],
    });

    // Voided, it gives the 4.50 back.
    const voided = await api.call('POST', `/v1/invoices/${manual}/void`);
    expect(voided.body.status).toBe('void');
    const restored = { invoice: manual, kind: 'restored', amount: '4.50', created_at: expect.any(String) };
    expect(await api.balances(customer)).toEqual({
      object: 'list',
      data: [
        {
          object: 'invoice_balance',
          currency: 'usd',
          amount: '4.50',
          entries: [restored, applied, carried],
        },
      ],
    });

    // The next billing invoice uses it: June's 100 → 100 × 0.10 = 10.00, less the 4.50: 5.50 charged.
    await api.log(customer, amended.event_name, '100', at(6, 15));
    const june = await api.bill(customer, JUNE, 'auto_charge');
    expect(linesOf(june)).toEqual([
      {
        kind: 'usage',
        ...metricLine,
        description: 'Amended',
        quantity: '100',
        amount: '10.00',
        tiers: [tierRow('0', '100', '100', '0.1', '0', '10')],
        ...periodOf(6),
      },
      extra('balance_applied', 'Invoice balance applied', '-4.50'),
    ]);
    expect(june).toMatchObject({ status: 'paid', total: '5.50', amount_paid: '5.50' });
    expect(await api.balances(customer)).toEqual({
      object: 'list',
      data: [
        {
          object: 'invoice_balance',
          currency: 'usd',
          amount: '0.00',
          entries: [
            { invoice: june.id, kind: 'applied', amount: '-4.50', created_at: expect.any(String) },
            restored,
            applied,
            carried,
          ],
        },
      ],
    });
    expect(await api.corrected()).toEqual([
      `billing.event.corrected ${eighty.id}`,
      `billing.event.corrected ${sixty.id}`,
    ]);
  });

  it('3. a void lowering a prepaid month already drawn and invoiced returns credits first, and the next invoice adjusts it and un-applies them', async () => {
    const api = await merchant();
    const { customer } = await customerWithCard(api.call, 'tok_visa');
    const calls = await api.metric('Prepaid calls', { model: 'per_unit', unit_amount: '1.00' });
    const granted = await api.call('POST', '/v1/billing/credits', {
      customer,
      amount: '10.00',
      currency: 'usd',
      paid: false,
    });
    expect(granted.status).toBe(201);
    const grant = granted.body.id as string;
    const ledger = async () =>
      (await api.call('GET', `/v1/billing/credits/ledger?customer_id=${customer}&limit=100`)).body
        .data as Array<{
        grant: string;
        kind: string;
        amount: string;
        window_start: string | null;
        source: { type: string; id: string } | null;
      }>;
    const remaining = async () =>
      (await api.call('GET', `/v1/billing/credits?customer_id=${customer}&limit=100`)).body.data.map(
        (g: { id: string; remaining: string }) => [g.id, g.remaining],
      );

    // May: 4 + 3 + 5 = 12 → 12.00: the rollup draws the 10.00 granted, 2.00 is uncovered.
    await api.log(customer, calls.event_name, '4', at(5, 10));
    await api.log(customer, calls.event_name, '3', at(5, 11));
    const five = await api.log(customer, calls.event_name, '5', at(5, 12));
    await api.untilFolded(customer);
    await eventually(
      async () =>
        (await ledger()).filter((e) => e.kind === 'draw').reduce((s, e) => s - Number(e.amount), 0) === 10,
      { what: 'the draws of May', timeoutMs: 30_000 },
    );
    expect(await remaining()).toEqual([[grant, '0.00']]);

    // May's invoice: 12.00 of usage, the 10.00 drawn applied, 2.00 charged.
    const may = await api.bill(customer, MAY, 'auto_charge');
    expect(linesOf(may)).toEqual([
      {
        kind: 'usage',
        metric: calls.id,
        description: 'Prepaid calls',
        quantity: '12',
        unit_amount: '1',
        amount: '12.00',
        tiers: [tierRow('0', null, '12', '1', '0', '12')],
        ...periodOf(5),
      },
      extra('credits_applied', `Prepaid credits applied (usage of ${LAST_YEAR}-05)`, '-10.00'),
    ]);
    expect(may).toMatchObject({ number: 'INV-000001', status: 'paid', total: '2.00', amount_paid: '2.00' });

    // The 5 is voided: May is priced 7.00, but 10.00 of credits and 2.00 of cash paid for it.
    // Credits are returned first: 12.00 − 7.00 = 5.00 (at most the 10.00 drawn) goes back to the
    // grant, as a `return` entry naming the corrected event.
    await api.voidEvent(five.id, 'retried job');
    await api.untilFolded(customer);
    const returned = await eventually(
      async () => {
        const found = (await ledger()).filter((e) => e.kind === 'return');
        return found.length > 0 && found;
      },
      { what: 'the return of credits', timeoutMs: 30_000 },
    );
    expect(returned).toEqual([
      expect.objectContaining({
        grant,
        kind: 'return',
        amount: '5.00',
        window_start: month(5).start_date,
        source: { type: 'correction', id: five.id },
      }),
    ]);
    expect(await remaining()).toEqual([[grant, '5.00']]);
    expect(await api.report(customer, MAY)).toEqual({
      metrics: { [calls.id]: ['7', '7.00'] },
      totals: [{ currency: 'usd', amount: '7.00' }],
    });

    // June: its own 3 → 3.00, drawn from the credits returned (5.00 − 3.00 = 2.00 left).
    await api.log(customer, calls.event_name, '3', at(6, 2));
    await api.untilFolded(customer);
    await eventually(async () => JSON.stringify(await remaining()) === JSON.stringify([[grant, '2.00']]), {
      what: "June's draw",
      timeoutMs: 30_000,
    });

    // June's invoice: June's 3.00 with its 3.00 of credits; May's correction, 7.00 − 12.00 =
    // −5.00, with the 5.00 of credits it returned un-applied (+5.00): nothing to charge, nothing
    // carried, since the cash May charged paid for usage still there.
    const june = await api.bill(customer, JUNE, 'auto_charge');
    expect(linesOf(june)).toEqual([
      {
        kind: 'usage',
        metric: calls.id,
        description: 'Prepaid calls',
        quantity: '3',
        unit_amount: '1',
        amount: '3.00',
        tiers: [tierRow('0', null, '3', '1', '0', '3')],
        ...periodOf(6),
      },
      {
        kind: 'adjustment',
        metric: calls.id,
        description: `Correction to INV-000001: Prepaid calls (usage from earlier periods: ${label(5)})`,
        quantity: '-5',
        unit_amount: '1',
        amount: '-5.00',
        tiers: [tierRow('0', null, '-5', '1', '0', '-5')],
        ...periodOf(5),
      },
      extra('credits_applied', `Prepaid credits returned by a correction (usage of ${LAST_YEAR}-05)`, '5.00'),
      extra('credits_applied', `Prepaid credits applied (usage of ${LAST_YEAR}-06)`, '-3.00'),
    ]);
    expect(june).toMatchObject({ number: 'INV-000002', status: 'paid', total: '0.00' });
    expect((await api.balances(customer)).data).toEqual([]);
    expect(await remaining()).toEqual([[grant, '2.00']]);
    expect(await api.corrected()).toEqual([`billing.event.corrected ${five.id}`]);
  });

  it('4. amends an invoiced event over to other customers: the old one is adjusted down, the new ones bill it as late usage or as usage', async () => {
    const api = await merchant();
    const from = await api.customer('Logged by mistake');
    const invoiced = await api.customer('Its March invoiced');
    const fresh = await api.customer('No March invoice');
    // Graduated: the first 5 units at 2.00, the rest at 1.00.
    const moved = await api.metric('Moved', {
      model: 'graduated',
      tiers: [
        { up_to: '5', unit_amount: '2' },
        { up_to: null, unit_amount: '1' },
      ],
    });
    const line = { metric: moved.id, unit_amount: null };

    // March: `from` 5 + 3 = 8 → 5 × 2 + 3 × 1 = 13.00 (INV-000001); `invoiced` 4 → 8.00 (INV-000002).
    const five = await api.log(from, moved.event_name, '5', at(3, 4));
    const three = await api.log(from, moved.event_name, '3', at(3, 9));
    await api.log(invoiced, moved.event_name, '4', at(3, 6));
    const fromMarch = await api.bill(from, MARCH);
    const invoicedMarch = await api.bill(invoiced, MARCH);
    expect([fromMarch.number, fromMarch.total, invoicedMarch.number, invoicedMarch.total]).toEqual([
      'INV-000001',
      '13.00',
      'INV-000002',
      '8.00',
    ]);

    // Both were the other customers' usage.
    const toInvoiced = await api.amend(five.id, { customer: invoiced, reason: 'wrong customer' });
    expect(toInvoiced).toMatchObject({ customer: invoiced, version: 2, amended: true });
    await api.amend(three.id, { customer: fresh });
    await api.untilFolded(from);
    await api.untilFolded(invoiced);
    await api.untilFolded(fresh);
    expect((await api.report(from, MARCH)).totals).toEqual([{ currency: 'usd', amount: '0.00' }]);
    // 4 + 5 = 9 → 5 × 2 + 4 × 1 = 14.00
    expect((await api.report(invoiced, MARCH)).metrics).toEqual({ [moved.id]: ['9', '14.00'] });

    // `from`, April: its own 10 → 5 × 2 + 5 × 1 = 15.00; March corrected to nothing: 0 − 13.00 =
    // −13.00 (−5 units of the first tier, −10.00; −3 of the second, −3.00): 2.00 due.
    await api.log(from, moved.event_name, '10', at(4, 8));
    const fromApril = await api.bill(from, APRIL);
    expect(linesOf(fromApril)).toEqual([
      {
        kind: 'usage',
        ...line,
        description: 'Moved',
        quantity: '10',
        amount: '15.00',
        tiers: [tierRow('0', '5', '5', '2', '0', '10'), tierRow('5', null, '5', '1', '0', '5')],
        ...periodOf(4),
      },
      {
        kind: 'adjustment',
        ...line,
        description: `Correction to INV-000001: Moved (usage from earlier periods: ${label(3)})`,
        quantity: '-8',
        amount: '-13.00',
        tiers: [tierRow('0', '5', '-5', '2', '0', '-10'), tierRow('5', null, '-3', '1', '0', '-3')],
        ...periodOf(3),
      },
    ]);
    expect(fromApril).toMatchObject({ number: 'INV-000003', total: '2.00' });

    // `invoiced`, April: the 5 is late March usage, 14.00 − 8.00 = 6.00 (1 unit more of the first
    // tier, 2.00; 4 of the second, 4.00). It corrects none of its own invoices: late usage.
    const invoicedApril = await api.bill(invoiced, APRIL);
    expect(linesOf(invoicedApril)).toEqual([
      {
        kind: 'late_usage',
        ...line,
        description: `Moved (usage from earlier periods: ${label(3)})`,
        quantity: '5',
        amount: '6.00',
        tiers: [tierRow('0', '5', '1', '2', '0', '2'), tierRow('5', null, '4', '1', '0', '4')],
        ...periodOf(3),
      },
    ]);
    expect(invoicedApril.total).toBe('6.00');

    // `fresh`: March was never invoiced; its March invoice bills the 3 as usage, 3 × 2 = 6.00.
    const freshMarch = await api.bill(fresh, MARCH);
    expect(linesOf(freshMarch)).toEqual([
      {
        kind: 'usage',
        ...line,
        description: 'Moved',
        quantity: '3',
        amount: '6.00',
        tiers: [tierRow('0', '5', '3', '2', '0', '6')],
        ...periodOf(3),
      },
    ]);

    expect((await api.event(five.id)).versions).toEqual([
      expect.objectContaining({ version: 1, invoice: fromMarch.id, reversal: null }),
      expect.objectContaining({
        version: 2,
        action: 'amended',
        changes: { customer: { from, to: invoiced } },
        invoice: invoicedApril.id,
        reversal: { status: 'invoiced', invoice: fromApril.id },
      }),
    ]);
    expect((await api.event(three.id)).versions![1]).toMatchObject({
      invoice: freshMarch.id,
      reversal: { invoice: fromApril.id },
    });
    expect(await api.corrected()).toEqual([
      `billing.event.corrected ${three.id}`,
      `billing.event.corrected ${five.id}`,
    ]);
  });

  it('5. a subscription: a correction in the running period changes what bill now bills; one in a closed period is adjusted on the next invoice', async () => {
    const api = await merchant();
    const { customer } = await customerWithCard(api.call, 'tok_visa');
    const calls = await api.metric('Sub calls', { model: 'per_unit', unit_amount: '1' });
    // A daily subscription started 2 days and 1 hour ago: periods 0 and 1 are closed (billed at
    // once by the catch-up), period 2 runs for 23 more hours.
    const start = new Date(Date.now() - 2 * DAY_MS - HOUR_MS);
    const day = (k: number) => new Date(start.getTime() + k * DAY_MS);
    const inPeriod = (k: number) => new Date(day(k).getTime() + HOUR_MS).toISOString();
    const period = (k: number) => ({
      period_start: day(k).toISOString(),
      period_end: day(k + 1).toISOString(),
    });

    // Logged before the subscription exists, so the catch-up bills them: 100 included, 0.10 above.
    // Period 0: 150 + 30 = 180 → 80 × 0.10 = 8.00. Period 1: 120 → 2.00. Period 2: 130 + 40.
    const kept = await api.log(customer, calls.event_name, '150', inPeriod(0));
    const closedEvent = await api.log(customer, calls.event_name, '30', inPeriod(0));
    await api.log(customer, calls.event_name, '120', inPeriod(1));
    await api.log(customer, calls.event_name, '130', inPeriod(2));
    const runningEvent = await api.log(customer, calls.event_name, '40', inPeriod(2));
    const subscription = await api.subscribeDaily(customer, calls.event_name, start);
    // Three base fees (periods 0–2) and two overage invoices (periods 0–1).
    const invoices = await eventually(
      async () => {
        const list = (await api.call('GET', `/v1/invoices?customer=${customer}&limit=100`)).body
          .data as Array<{
          id: string;
          status: string;
        }>;
        return list.length === 5 && list.every((invoice) => invoice.status !== 'draft') && list;
      },
      { what: 'the catch-up of periods 0 and 1', timeoutMs: 40_000 },
    );
    const full = await Promise.all(
      invoices.map(async ({ id }) => (await api.call('GET', `/v1/invoices/${id}`)).body),
    );
    const overage0 = full.find(
      (invoice) => invoice.period_start === period(0).period_start && invoice.lines.data[0].kind === 'usage',
    );
    expect(overage0).toMatchObject({ total: '8.00', status: 'paid' });
    expect((await api.event(closedEvent.id)).versions![0]).toMatchObject({
      invoice: overage0.id,
      status: 'paid',
    });
    expect((await api.event(kept.id)).versions![0].invoice).toBe(overage0.id);
    const current = (await api.call('GET', `/v1/subscriptions/${subscription}`)).body;
    expect([current.current_period_start, current.current_period_end]).toEqual([
      period(2).period_start,
      period(2).period_end,
    ]);

    // In the closed period 0: the 30 is voided (180 → 150). In the running period 2: the 40 was 10
    // (170 → 140).
    await api.voidEvent(closedEvent.id, 'duplicate');
    await api.amend(runningEvent.id, { value: '10' });
    const usedNow = (quantity: string) =>
      eventually(
        async () => {
          const body = (
            await api.call('GET', `/v1/billing/report/subscription?subscription_id=${subscription}`)
          ).body;
          return body.items?.[0]?.used === quantity && body;
        },
        { what: `the running period to count ${quantity}` },
      );
    const billNow = async () => {
      const billed = await api.call('POST', `/v1/subscriptions/${subscription}/bill_now`);
      expect(billed.status).toBe(200);
      expect(billed.body.invoice).toMatch(/^inv_/);
      return eventually(
        async () => {
          const invoice = (await api.call('GET', `/v1/invoices/${billed.body.invoice}`)).body;
          return invoice.status === 'paid' && invoice;
        },
        { what: 'the bill now invoice to be paid', timeoutMs: 30_000 },
      );
    };
    const used = await usedNow('140');
    expect(used.items[0]).toMatchObject({ overage_quantity: '40', overage_amount: '4.00' });

    // Bill now: the running period's corrected overage, 40 × 0.10 = 4.00; and the closed period's
    // correction, priced as its overage now less what it was billed: 50 × 0.10 − 8.00 = −3.00.
    // 4.00 − 3.00 = 1.00.
    const now = await billNow();
    const description = 'Sub calls overage (above 100 included)';
    expect(linesOf(now)).toEqual([
      {
        kind: 'usage',
        metric: calls.id,
        description,
        quantity: '40',
        unit_amount: '0.1',
        amount: '4.00',
        tiers: [tierRow('0', null, '40', '0.1', '0', '4')],
        ...period(2),
      },
      {
        kind: 'adjustment',
        metric: calls.id,
        description: `Correction to ${overage0.number}: ${description}, ${utcDay(day(0))} to ${utcDay(day(1))}`,
        quantity: '-30',
        unit_amount: '0.1',
        amount: '-3.00',
        tiers: [tierRow('0', null, '-30', '0.1', '0', '-3')],
        ...period(0),
      },
    ]);
    expect(now).toMatchObject({ kind: 'subscription', total: '1.00', amount_paid: '1.00', ...period(2) });
    expect((await api.event(closedEvent.id)).versions![1]).toMatchObject({
      action: 'voided',
      reversal: { invoice: now.id },
    });

    // The rest of period 0 is voided too (150 → 0): its overage is now 0, billed 8.00 − 3.00 =
    // 5.00: −5.00 (−50 overage units), on the next invoice, another bill now with no new usage
    // in the running period. Its lines sum below zero: it closes at 0.00 and carries 5.00.
    await api.voidEvent(kept.id, 'duplicate too');
    const negative = await billNow();
    const correction = {
      kind: 'adjustment',
      metric: calls.id,
      description: `Correction to ${overage0.number}: ${description}, ${utcDay(day(0))} to ${utcDay(day(1))}`,
      unit_amount: '0.1',
      ...period(0),
    };
    expect(linesOf(negative)).toEqual([
      {
        ...correction,
        quantity: '-50',
        amount: '-5.00',
        tiers: [tierRow('0', null, '-50', '0.1', '0', '-5')],
      },
      extra('balance_carried', CARRIED, '5.00'),
    ]);
    expect(negative).toMatchObject({ kind: 'subscription', status: 'paid', total: '0.00', charges: [] });

    // The running period's 10 was 100 after all (140 → 230, overage 130 → 13.00, 4.00 billed):
    // the next bill now bills 90 × 0.10 = 9.00, less the 5.00 of the balance: 4.00 charged.
    await api.amend(runningEvent.id, { value: '100' });
    await usedNow('230');
    const last = await billNow();
    expect(linesOf(last)).toEqual([
      {
        kind: 'usage',
        metric: calls.id,
        description,
        quantity: '90',
        unit_amount: '0.1',
        amount: '9.00',
        tiers: [tierRow('0', null, '90', '0.1', '0', '9')],
        ...period(2),
      },
      extra('balance_applied', 'Invoice balance applied', '-5.00'),
    ]);
    expect(last).toMatchObject({ total: '4.00', amount_paid: '4.00' });
    expect((await api.balances(customer)).data).toEqual([
      {
        object: 'invoice_balance',
        currency: 'usd',
        amount: '0.00',
        entries: [
          { invoice: last.id, kind: 'applied', amount: '-5.00', created_at: expect.any(String) },
          { invoice: negative.id, kind: 'carried', amount: '5.00', created_at: expect.any(String) },
        ],
      },
    ]);
    expect(await api.corrected()).toEqual([
      `billing.event.corrected ${runningEvent.id}`,
      `billing.event.corrected ${kept.id}`,
      `billing.event.corrected ${runningEvent.id}`,
      `billing.event.corrected ${closedEvent.id}`,
    ]);
  });
  it("6. a closed period corrected before the next period opens is adjusted on that period's base fee", async () => {
    const api = await merchant();
    const { customer } = await customerWithCard(api.call, 'tok_visa');
    const calls = await api.metric('Base calls', { model: 'per_unit', unit_amount: '1' });
    // A daily subscription started a day and an hour ago: period 0 is closed by the catch-up,
    // period 1 runs. Period 0: 160 used, 100 included at 0.10 above → 6.00.
    const start = new Date(Date.now() - DAY_MS - HOUR_MS);
    const day = (k: number) => new Date(start.getTime() + k * DAY_MS);
    const logged = await api.log(
      customer,
      calls.event_name,
      '60',
      new Date(day(0).getTime() + HOUR_MS).toISOString(),
    );
    await api.log(customer, calls.event_name, '100', new Date(day(0).getTime() + 2 * HOUR_MS).toISOString());
    const subscription = await api.subscribeDaily(customer, calls.event_name, start);
    // Base fees of periods 0 and 1, and period 0's overage.
    const invoices = await eventually(
      async () => {
        const list = (await api.call('GET', `/v1/invoices?customer=${customer}&limit=100`)).body
          .data as Array<{
          id: string;
          status: string;
          total: string;
          number: string;
        }>;
        return list.length === 3 && list.every((invoice) => invoice.status === 'paid') && list;
      },
      { what: 'the catch-up of period 0', timeoutMs: 40_000 },
    );
    const overage0 = invoices.find((invoice) => invoice.total === '6.00')!;
    expect(overage0).toBeDefined();

    // The 60 is voided: period 0 used 100, its overage is 0, 6.00 billed: −6.00. No overage bill
    // comes first, so the next period's base fee carries it (opened here as the workflow will at
    // the period's start; opening is keyed by period, so the workflow's own call finds it open).
    await api.voidEvent(logged.id, 'double-counted');
    await api.untilFolded(customer);
    const opened = await stack.api.app
      .get(SubscriptionCycleService)
      .openPeriod({ merchantId: api.merchantId, subscriptionId: subscription, index: 2 });
    expect(opened.baseInvoiceId).toMatch(/^inv_/);
    const base = (await api.call('GET', `/v1/invoices/${opened.baseInvoiceId}`)).body;
    expect(
      base.lines.data.map((line: { kind: string; description: string; amount: string }) => [
        line.kind,
        line.description,
        line.amount,
      ]),
    ).toEqual([
      ['manual', `Base fee, ${utcDay(day(2))} to ${utcDay(day(3))}`, '5.00'],
      [
        'adjustment',
        `Correction to ${overage0.number}: Base calls overage (above 100 included), ${utcDay(day(0))} to ${utcDay(day(1))}`,
        '-6.00',
      ],
    ]);
    // Opening again adds nothing, and the period's events are taken once.
    const again = await stack.api.app
      .get(SubscriptionCycleService)
      .openPeriod({ merchantId: api.merchantId, subscriptionId: subscription, index: 2 });
    expect(again.baseInvoiceId).toBe(opened.baseInvoiceId);
    expect((await api.event(logged.id)).versions![1]).toMatchObject({
      action: 'voided',
      reversal: { invoice: opened.baseInvoiceId },
    });
  });
});
