import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimitError } from '../common/errors/tally-error.js';
import { TallyConfigService } from '../config/config.module.js';
import { admit, reported, WINDOW_MS, windowStartOf, type WindowCount } from './domain/fixed-window.js';

export type RateLimitScope = 'requests' | 'events';

/** How often a process reports what it admitted, and how old its view of the shared count may be. */
const REPORT_EVERY_MS = 100;
/** How often old windows are deleted. */
const PRUNE_EVERY_MS = 60_000;

/**
 * Per-merchant rate limits that hold across API processes. Each process admits against the
 * window's shared count (`rate_limit_windows`, every process's use) as it heard it at most
 * 100 ms ago, plus what it admitted since: a request that finds its count older than that first
 * waits for one report round trip (shared by all requests waiting), which sends this process's
 * use and hears everyone's. So processes together overshoot a limit by at most what they admit
 * between two reports.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly counts = new Map<string, { count: WindowCount; heardAt: number }>();
  private readonly wanted = new Set<string>();
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: TallyConfigService,
  ) {}

  /** Admits `cost` of the merchant's `scope`, or throws 429 `rate_limited` with the seconds to wait. */
  async take(merchantId: string, scope: RateLimitScope, cost: number): Promise<void> {
    const limit =
      scope === 'events'
        ? this.config.values.RATE_LIMIT_EVENTS_PER_S
        : this.config.values.RATE_LIMIT_REQUESTS_PER_S;
    if (limit === 0) return;
    const key = `${merchantId}\u0000${scope}`;
    // Twice at most: a report already under way when this request came may not have carried its key.
    for (let round = 0; round < 2 && this.stale(key); round += 1) {
      this.wanted.add(key);
      await (this.sending ?? this.send());
    }
    const entry = this.counts.get(key);
    const answer = admit(entry?.count, Date.now(), limit, cost);
    this.counts.set(key, { count: answer.count, heardAt: entry?.heardAt ?? 0 });
    if (!answer.admitted) {
      const what = scope === 'events' ? 'events' : 'requests';
      throw new RateLimitError(
        'rate_limited',
        `Over ${limit} ${what} a second for this merchant; retry after ${answer.retryAfterSeconds} s.`,
        undefined,
        answer.retryAfterSeconds,
      );
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void (this.sending ?? this.send());
    }, REPORT_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.sending;
  }

  private stale(key: string): boolean {
    const entry = this.counts.get(key);
    const now = Date.now();
    return !entry || entry.count.windowStart !== windowStartOf(now) || now - entry.heardAt > REPORT_EVERY_MS;
  }

  private send(): Promise<void> {
    this.sending = this.report().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  /** Sends this process's unreported use (and asks for the keys requests wait on), and hears the totals. */
  private async report(): Promise<void> {
    const now = Date.now();
    const windowStart = windowStartOf(now);
    for (const [key, entry] of this.counts) {
      if (entry.count.windowStart < windowStart - 2 * WINDOW_MS) this.counts.delete(key);
    }
    const keys = new Set(this.wanted);
    this.wanted.clear();
    for (const [key, entry] of this.counts) if (entry.count.pending > 0) keys.add(key);
    if (keys.size === 0) return;
    const sent = [...keys].map((key) => {
      const count = this.counts.get(key)?.count;
      const current = count && count.windowStart >= windowStart - WINDOW_MS ? count : undefined;
      return { key, windowStart: current?.windowStart ?? windowStart, pending: current?.pending ?? 0 };
    });
    try {
      const rows: Array<{ merchant_id: string; scope: string; window_start: Date; used: string }> =
        await this.db.query(
          `INSERT INTO rate_limit_windows AS w (merchant_id, scope, window_start, used)
             SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[])
           ON CONFLICT (merchant_id, scope, window_start) DO UPDATE SET used = w.used + EXCLUDED.used
           RETURNING merchant_id, scope, window_start, used`,
          [
            sent.map(({ key }) => key.split('\u0000')[0]),
            sent.map(({ key }) => key.split('\u0000')[1]),
            sent.map(({ windowStart: start }) => new Date(start)),
            sent.map(({ pending }) => pending),
          ],
        );
      const totals = new Map(
        rows.map((row) => [
          `${row.merchant_id}\u0000${row.scope}@${row.window_start.getTime()}`,
          Number(row.used),
        ]),
      );
      const heardAt = Date.now();
      for (const { key, windowStart: start, pending } of sent) {
        const total = totals.get(`${key}@${start}`) ?? 0;
        const entry = this.counts.get(key);
        const count =
          entry && entry.count.windowStart === start
            ? reported(entry.count, pending, total)
            : start === windowStartOf(heardAt)
              ? { windowStart: start, known: total, pending: 0 }
              : entry?.count;
        if (count) this.counts.set(key, { count, heardAt });
      }
      if (now - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = now;
        await this.db.query(
          `DELETE FROM rate_limit_windows WHERE window_start < now() - interval '1 minute'`,
        );
      }
    } catch (error) {
      // Fail open: a database that cannot be reached fails the requests themselves (503).
      const heardAt = Date.now();
      for (const { key } of sent) {
        const entry = this.counts.get(key);
        if (entry) this.counts.set(key, { ...entry, heardAt });
      }
      this.logger.warn(`rate limit counts not reported: ${(error as Error).message}`);
    }
  }
}
