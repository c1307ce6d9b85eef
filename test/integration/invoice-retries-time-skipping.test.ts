import { Worker } from '@temporalio/worker';
import { invoiceWorkflowId } from '../../workflows/contracts/invoice.contract.js';
import { customerWithCard, logEvents, sumMetric } from '../support/billing-fixtures.js';
import { eventually } from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';
import { recordHistory } from '../support/recorded-histories.js';
import { useTimeSkippingStack } from '../support/time-skipping-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

const DAY_MS = 86_400_000;

/**
 * The production retry schedule (a day apart, 1 + 3 attempts) on Temporal's time-skipping test
 * server: the workflow's durable timers fire at once while the real API, worker and PostgreSQL
 * do the work. The recorded history then replays deterministically.
 */
describe('charge retries a day apart, on the time-skipping server', () => {
  // The defaults: CHARGE_RETRY_INTERVAL 1d, CHARGE_MAX_RETRIES 3.
  const stack = useTimeSkippingStack();
  const call = (...args: Parameters<typeof stack.call>) => stack.call(...args);

  async function billMarch(token: string) {
    const { customer } = await customerWithCard(call, token);
    const metric = `usage_${token}`;
    await sumMetric(call, metric, '1.5');
    await logEvents(call, {
      customer,
      eventName: metric,
      count: 2,
      value: '1',
      from: `${LAST_YEAR}-03-04T00:00:00Z`,
      prefix: token,
    });
    const created = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-03-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-04-01T00:00:00Z`,
      collection_method: 'auto_charge',
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  it('pays tok_failTwice on the third attempt, two days of durable timers later, and the history replays', async () => {
    const invoiceId = await billMarch('tok_failTwice');
    const handle = stack.env.client.workflow.getHandle(invoiceWorkflowId(invoiceId));
    const before = await stack.env.currentTimeMs();
    // Waiting on the result lets the server skip time through the day-long timers.
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'paid', attemptCount: 3 });
    expect((await stack.env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * DAY_MS);

    const invoice = (await call('GET', `/v1/invoices/${invoiceId}`)).body;
    expect(invoice).toMatchObject({ status: 'paid', total: '3.00', attempt_count: 3 });
    expect(invoice.charges.map((c: { status: string }) => c.status)).toEqual([
      'failed',
      'failed',
      'succeeded',
    ]);

    const history = await handle.fetchHistory();
    recordHistory('invoice-fail-twice-paid', history);
    const timers = (history.events ?? [])
      .filter((event) => event.timerStartedEventAttributes)
      .map((event) => Number(event.timerStartedEventAttributes!.startToFireTimeout!.seconds));
    expect(timers).toEqual([86_400, 86_400]);
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: testEnv('workflowBundle') } },
      history,
      handle.workflowId,
    );
  });

  it('makes tok_chargeDeclined uncollectible after three more days and four attempts', async () => {
    const invoiceId = await billMarch('tok_chargeDeclined');
    await eventually(async () => (await call('GET', `/v1/invoices/${invoiceId}`)).body.attempt_count === 1, {
      what: 'the first attempt',
    });
    const afterFirst = (await call('GET', `/v1/invoices/${invoiceId}`)).body;
    // The activity that recorded the attempt keeps real time (the server's is days ahead by now).
    expect(Date.parse(afterFirst.next_payment_attempt) - Date.now()).toBeGreaterThan(DAY_MS - 60_000);
    await stack.env.sleep('3 days');
    const final = await eventually(
      async () => {
        const invoice = (await call('GET', `/v1/invoices/${invoiceId}`)).body;
        return invoice.status === 'uncollectible' && invoice;
      },
      { what: 'uncollectible' },
    );
    expect(final).toMatchObject({ attempt_count: 4, next_payment_attempt: null });
    const failed = await stack.sql.query(
      `SELECT count(*)::int AS n FROM webhook_events WHERE type = 'billing.charge.failed' AND object->'invoice'->>'id' = $1`,
      [invoiceId],
    );
    expect(failed.rows[0].n).toBe(4);
  });
});
