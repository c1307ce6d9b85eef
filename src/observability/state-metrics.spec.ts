import { StateMetrics } from './state-metrics.js';

describe('StateMetrics', () => {
  it('reports every invoice status, the backlog and the lag of its oldest event', async () => {
    const now = Date.parse('2026-01-01T00:01:00Z');
    const state = new StateMetrics(
      {
        invoiceCounts: async () => new Map([['paid', 3]]),
        rollupBacklog: async () => ({ loggedEvents: 7, oldestReceivedAt: new Date(now - 2500) }),
      },
      () => now,
    );
    const text = await state.metrics();
    expect(text).toContain('tally_invoices{status="paid"} 3');
    expect(text).toContain('tally_invoices{status="draft"} 0');
    expect(text).toContain('tally_invoices{status="uncollectible"} 0');
    expect(text).toContain('tally_rollup_backlog_events 7');
    expect(text).toContain('tally_rollup_lag_seconds 2.5');
  });

  it('reads no lag when nothing waits', async () => {
    const state = new StateMetrics({
      invoiceCounts: async () => new Map(),
      rollupBacklog: async () => ({ loggedEvents: 0, oldestReceivedAt: null }),
    });
    expect(await state.metrics()).toContain('tally_rollup_lag_seconds 0');
  });
});
