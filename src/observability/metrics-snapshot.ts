import type { Registry } from 'prom-client';

type PromFamilies = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** One sample of a metric family: its series name (`…_bucket`, `…_sum` for histograms), labels and value. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  /** As Prometheus writes it: a decimal, `NaN`, `+Inf` or `-Inf`. */
  value: string;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  samples: MetricSample[];
}

/** `GET /metrics` with `Accept: application/json`: the same families as the text format. */
export interface MetricsSnapshotBody {
  object: 'metrics';
  data: MetricFamily[];
}

export function prometheusNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** prom-client's JSON (`Registry.getMetricsAsJSON`) in the documented shape. */
export function metricsSnapshot(families: PromFamilies): MetricsSnapshotBody {
  return {
    object: 'metrics',
    data: families.map((family) => ({
      name: family.name,
      help: family.help,
      type: String(family.type) as MetricFamily['type'],
      samples: family.values.map((sample) => ({
        name: (sample as { metricName?: string }).metricName ?? family.name,
        labels: Object.fromEntries(
          Object.entries(sample.labels).map(([key, value]) => [
            key,
            typeof value === 'number' ? prometheusNumber(value) : String(value),
          ]),
        ),
        value: prometheusNumber(sample.value),
      })),
    })),
  };
}
