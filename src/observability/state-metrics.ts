import { Gauge, Registry } from 'prom-client';
import { INVOICE_STATUSES } from '../invoicing/domain/invoice-status.js';

/** Where the state gauges come from: each context's own repository (one owner per table). */
export interface StateSources {
  /** Invoices per status, over every merchant. */
  invoiceCounts: () => Promise<ReadonlyMap<string, number>>;
  /** Events not yet folded by the rollup, and when the oldest of them was received. */
  rollupBacklog: () => Promise<{ loggedEvents: number; oldestReceivedAt: Date | null }>;
}

/**
 * Gauges of what the database holds, read when scraped (two cheap queries: a count per invoice
 * status, and the rollup's backlog as /readyz measures it). The worker serves them.
 */
export class StateMetrics {
  readonly registry = new Registry();
  private readonly invoices = new Gauge({
    name: 'tally_invoices',
    help: 'Invoices by status, over every merchant (read at scrape time).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  private readonly backlog = new Gauge({
    name: 'tally_rollup_backlog_events',
    help: 'Logged events the rollup has not folded yet (read at scrape time).',
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'tally_rollup_lag_seconds',
    help: 'Seconds since the oldest event still waiting for the rollup was received; 0 when none waits.',
    registers: [this.registry],
  });

  constructor(
    private readonly sources: StateSources,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the database and renders the gauges in the Prometheus text format. */
  async metrics(): Promise<string> {
    const [counts, backlog] = await Promise.all([this.sources.invoiceCounts(), this.sources.rollupBacklog()]);
    // Every status, so one with no invoice reads 0 rather than vanishing.
    for (const status of new Set<string>([...INVOICE_STATUSES, ...counts.keys()]))
      this.invoices.set({ status }, counts.get(status) ?? 0);
    this.backlog.set(backlog.loggedEvents);
    const oldest = backlog.oldestReceivedAt?.getTime();
    this.lag.set(oldest === undefined ? 0 : Math.max(0, (this.now() - oldest) / 1000));
    return this.registry.metrics();
  }
}
