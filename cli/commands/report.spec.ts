import { bucketLabel, payerQuery, renderMetric } from './report.js';

describe('report rendering', () => {
  it('reports a customer or an account by the id prefix', () => {
    expect(payerQuery('cus_1')).toEqual({ customer_id: 'cus_1' });
    expect(payerQuery('acct_1')).toEqual({ account_id: 'acct_1' });
    expect(() => payerQuery('x')).toThrow(/neither a customer/);
  });

  it('labels buckets by day or hour', () => {
    expect(bucketLabel('2026-03-01T05:00:00.000Z', 'day')).toBe('2026-03-01');
    expect(bucketLabel('2026-03-01T05:00:00.000Z', 'hour')).toBe('2026-03-01 05:00');
  });

  it('shows the totals, a chart and the buckets with usage', () => {
    const text = renderMetric(
      {
        name: 'API calls',
        event_name: 'api_calls',
        quantity: '6',
        amount: '0.06',
        currency: 'usd',
        event_count: 3,
        start: '2026-03-01T00:00:00.000Z',
        end: '2026-03-04T00:00:00.000Z',
        series: [
          { start: '2026-03-01T00:00:00.000Z', quantity: '1', event_count: 1 },
          { start: '2026-03-02T00:00:00.000Z', quantity: '0', event_count: 0 },
          { start: '2026-03-03T00:00:00.000Z', quantity: '5', event_count: 2 },
        ],
      },
      'day',
    );
    expect(text).toContain('API calls (api_calls): quantity 6, amount 0.06 usd, 3 events');
    expect(text).toMatch(/5 ┤|5 ┼/);
    expect(text).toContain('2026-03-03  5         2');
    expect(text).not.toContain('2026-03-02  0');
  });
});
