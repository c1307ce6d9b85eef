import { creditMonitorWorkflowId } from '../../workflows/contracts/credit-monitor.contract.js';
import { recordHistory } from '../support/recorded-histories.js';
import { eventually } from '../support/test-stack.js';
import { useTimeSkippingStack } from '../support/time-skipping-stack.js';

const DAY_MS = 86_400_000;

/**
 * Expiry on the time-skipping server: the monitor's durable timers fire a week before a grant
 * expires and at its expiry, which moves the remainder out of the balance with a ledger entry.
 */
describe('credit expiry, on the time-skipping server', () => {
  const stack = useTimeSkippingStack({ CREDIT_MONITOR_RECHECK: '1d' });
  const call = (...args: Parameters<typeof stack.call>) => stack.call(...args);

  const expirations = async (grant: string) =>
    (
      await stack.sql.query(
        `SELECT object FROM webhook_events WHERE type = 'billing.credits_expiration' AND object->'grant'->>'id' = $1 ORDER BY id`,
        [grant],
      )
    ).rows.map((row) => row.object as { stage: string; amount: string; expires_at: string });

  it('warns seven days ahead, then expires the remainder and zeroes the grant', async () => {
    const customer = (await call('POST', '/v1/customers', {})).body.id as string;
    const expiresAt = new Date(Date.now() + 10 * DAY_MS).toISOString();
    const kept = await call('POST', '/v1/billing/credits', {
      customer,
      amount: '2.00',
      currency: 'usd',
      paid: false,
    });
    const expiring = await call('POST', '/v1/billing/credits', {
      customer,
      amount: '6.50',
      currency: 'usd',
      paid: false,
      expires_at: expiresAt,
    });
    expect(expiring.status).toBe(201);
    const grant = expiring.body.id as string;
    const handle = stack.env.client.workflow.getHandle(creditMonitorWorkflowId(customer));
    await eventually(async () => (await handle.query<{ reviews: number }>('state')).reviews > 0, {
      what: 'the monitor to review the grants',
    });
    expect(await expirations(grant)).toEqual([]);

    // Four days on: three days before expiry, inside the seven-day warning.
    await stack.env.sleep('4 days');
    const warned = await eventually(async () => {
      const rows = await expirations(grant);
      return rows.length === 1 && rows;
    });
    expect(warned[0]).toMatchObject({ stage: 'upcoming', amount: '6.50', expires_at: expiresAt });
    expect((await call('GET', `/v1/billing/credits/${grant}`)).body).toMatchObject({
      status: 'active',
      remaining: '6.50',
    });

    // Past the expiry: the remainder leaves with a ledger entry; the other grant is untouched.
    await stack.env.sleep('7 days');
    const both = await eventually(async () => {
      const rows = await expirations(grant);
      return rows.length === 2 && rows;
    });
    expect(both.map((row) => [row.stage, row.amount])).toEqual([
      ['upcoming', '6.50'],
      ['expired', '6.50'],
    ]);
    expect((await call('GET', `/v1/billing/credits/${grant}`)).body).toMatchObject({
      status: 'expired',
      remaining: '0.00',
    });
    const listed = (await call('GET', `/v1/billing/credits?customer_id=${customer}`)).body;
    expect(listed.balances).toEqual([{ currency: 'usd', available: '2.00', pending: '0.00' }]);
    const ledger = (await call('GET', `/v1/billing/credits/ledger?customer_id=${customer}`)).body.data;
    expect(
      ledger.map((e: { kind: string; grant: string; amount: string }) => [e.kind, e.grant, e.amount]),
    ).toEqual([
      ['expiry', grant, '-6.50'],
      ['grant', grant, '6.50'],
      ['grant', kept.body.id, '2.00'],
    ]);

    // More reviews (a week of daily rechecks) send nothing more.
    await stack.env.sleep('7 days');
    await handle.query('state');
    expect(await expirations(grant)).toHaveLength(2);
    recordHistory('credit-monitor-expiry', await handle.fetchHistory());
  });
});
