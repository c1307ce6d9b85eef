import { Counter, Histogram, Registry } from 'prom-client';
import { metricsSnapshot, prometheusNumber } from './metrics-snapshot.js';

describe('metricsSnapshot', () => {
  it('answers each family with its samples, histogram series named and labels as text', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['code'], registers: [registry] });
    const histogram = new Histogram({ name: 'h', help: 'h', buckets: [1], registers: [registry] });
    counter.inc({ code: 'x' }, 2);
    histogram.observe(3);
    const snapshot = metricsSnapshot(await registry.getMetricsAsJSON());
    expect(snapshot.object).toBe('metrics');
    expect(snapshot.data).toEqual([
      {
        name: 'c_total',
        help: 'c',
        type: 'counter',
        samples: [{ name: 'c_total', labels: { code: 'x' }, value: '2' }],
      },
      {
        name: 'h',
        help: 'h',
        type: 'histogram',
        samples: [
          { name: 'h_bucket', labels: { le: '1' }, value: '0' },
          { name: 'h_bucket', labels: { le: '+Inf' }, value: '1' },
          { name: 'h_sum', labels: {}, value: '3' },
          { name: 'h_count', labels: {}, value: '1' },
        ],
      },
    ]);
  });

  it('writes numbers as Prometheus does', () => {
    expect([NaN, Infinity, -Infinity, 0.25].map(prometheusNumber)).toEqual(['NaN', '+Inf', '-Inf', '0.25']);
  });
});
