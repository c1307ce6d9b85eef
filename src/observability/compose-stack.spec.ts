import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { projectRoot } from '../config/project-root.js';
import { TEMPORAL_WORKER_METRICS, tallySeriesNames } from './exported-metrics.js';

/**
 * The docker-compose stack's Prometheus and Grafana, read-checked (no Docker engine runs the
 * tests): Prometheus scrapes the ports Tally listens on, Grafana finds its data source and
 * dashboard where they are mounted, and the dashboard charts only metrics Tally exports.
 */
const root = projectRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
// `merge`: the API and worker services share their settings through a `<<:` merge key.
const yamlOf = (path: string) => parse(read(path), { merge: true });

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
}

const compose = yamlOf('docker-compose.yml') as { services: Record<string, Service> };
const services = compose.services;

/** Where a container path of `service` is mounted from, as a path in the repository. */
function mountedFrom(service: Service, containerPath: string): string {
  const volume = (service.volumes ?? []).find((v) => v.split(':')[1] === containerPath);
  if (!volume) throw new Error(`nothing is mounted at ${containerPath}`);
  return volume.split(':')[0]!.replace(/^\.\//, '');
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/** The metric names a PromQL expression reads. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)]
    .map((match) => match[1]!)
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word));
}

describe('the docker-compose observability stack', () => {
  const prometheus = yamlOf('deploy/prometheus/prometheus.yml') as {
    scrape_configs: {
      job_name: string;
      metrics_path: string;
      static_configs?: { targets: string[] }[];
      dns_sd_configs?: { names: string[]; type: string; port: number }[];
    }[];
  };
  const job = (name: string) => prometheus.scrape_configs.find((config) => config.job_name === name)!;
  const app = (name: string) => services[name]!.environment!;

  it('runs Prometheus with the config file in deploy/ and publishes the ports the header names', () => {
    expect(services.prometheus!.image).toMatch(/^prom\/prometheus:v\d/);
    expect(mountedFrom(services.prometheus!, '/etc/prometheus/prometheus.yml')).toBe(
      'deploy/prometheus/prometheus.yml',
    );
    expect(services.prometheus!.ports).toEqual(['9090:9090']);
    expect(services.grafana!.image).toMatch(/^grafana\/grafana:\d/);
    expect(services.grafana!.ports).toEqual(['3001:3000']);
    const header = read('docker-compose.yml').split('\n\n')[0]!;
    expect(header).toContain('Prometheus on http://localhost:9090');
    expect(header).toContain('Grafana on http://localhost:3001');
  });

  it('scrapes the API on its PORT and every worker on WORKER_METRICS_PORT, at /metrics', () => {
    expect(job('tally-api')).toMatchObject({ metrics_path: '/metrics' });
    expect(job('tally-api').static_configs![0]!.targets).toEqual([`api:${app('api').PORT}`]);
    const workers = job('tally-worker');
    expect(workers.metrics_path).toBe('/metrics');
    expect(workers.dns_sd_configs![0]).toMatchObject({ names: ['worker'], type: 'A' });
    const workerPort = app('worker').WORKER_METRICS_PORT;
    expect(String(workers.dns_sd_configs![0]!.port)).toBe(workerPort);
    expect(services.worker!.expose).toEqual([workerPort]);
    expect(services.worker!.command).toEqual(['node', 'dist/src/worker.js']);
  });

  it('gives Grafana the Prometheus data source and the dashboard folder it mounts', () => {
    const provisioning = mountedFrom(services.grafana!, '/etc/grafana/provisioning');
    const datasources = yamlOf(`${provisioning}/datasources/prometheus.yml`).datasources;
    expect(datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const provider = yamlOf(`${provisioning}/dashboards/tally.yml`).providers[0];
    expect(mountedFrom(services.grafana!, provider.options.path)).toBe('deploy/grafana/dashboards');
    expect(services.grafana!.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      `${provider.options.path}/tally.json`,
    );
  });

  it('charts only metrics that Tally, the Temporal SDK or Prometheus itself export', async () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/tally.json')) as {
      panels: {
        title: string;
        datasource: { uid: string };
        targets: { expr: string; datasource: { uid: string } }[];
      }[];
    };
    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    const known = new Set([
      ...(await tallySeriesNames()),
      ...TEMPORAL_WORKER_METRICS,
      ...(await defaults.getMetricsAsJSON()).flatMap((f) =>
        String(f.type) === 'histogram' ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name],
      ),
      'up',
    ]);
    const used = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => metricNamesIn(target.expr).map((name) => `${panel.title}: ${name}`)),
    );
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((entry) => !known.has(entry.split(': ')[1]!))).toEqual([]);
    // Every Tally metric is on the dashboard somewhere.
    const charted = new Set(used.map((entry) => entry.split(': ')[1]!.replace(/_(bucket|sum|count)$/, '')));
    const families = [
      ...new Set((await tallySeriesNames()).map((name) => name.replace(/_(bucket|sum|count)$/, ''))),
    ];
    expect(families.filter((name) => !charted.has(name))).toEqual([]);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe('prometheus');
      for (const target of panel.targets) expect(target.datasource.uid).toBe('prometheus');
    }
  });

  it('reads metric names out of PromQL', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(tally_http_request_duration_seconds_bucket{status=~"5.."}[5m])))',
      ),
    ).toEqual(['tally_http_request_duration_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total[5m])) / sum(rate(b_total[5m]))')).toEqual(['a_total', 'b_total']);
    expect(metricNamesIn('max(tally_rollup_lag_seconds)')).toEqual(['tally_rollup_lag_seconds']);
  });
});
