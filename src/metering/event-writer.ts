import { Injectable } from '@nestjs/common';
import { ingestBatchSize } from '../observability/meters.js';
import { EventsRepository, firstVersionView, type EventRow, type Replay } from './events.repository.js';

/**
 * What became of one row: stored now, or a replay of the event stored earlier under its
 * reference (answered as its current version, with the payload hash its reference first carried).
 */
export type WriteOutcome = { stored: true; row: EventRow } | { stored: false; replay: Replay };

interface Pending {
  row: EventRow;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

/** Rows per statement; a batch request of 1,000 events is one statement. */
const MAX_ROWS_PER_STATEMENT = 1000;
/** Statements in flight at once; while they run, new rows gather into the next ones. */
const MAX_STATEMENTS_IN_FLIGHT = 4;

/**
 * Group commit for ingestion: rows from concurrent requests are inserted together in one
 * multi-row `INSERT … ON CONFLICT DO NOTHING`, and each caller's promise settles only after
 * the statement containing its row has committed. Under light load a row goes alone at once;
 * under heavy load batches grow by themselves while earlier statements run.
 */
@Injectable()
export class EventWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private flushScheduled = false;

  constructor(private readonly repository: EventsRepository) {}

  write(row: EventRow): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= MAX_STATEMENTS_IN_FLIGHT || this.queue.length === 0) return;
    this.flushScheduled = true;
    // Let the rows of requests parsed in this turn of the event loop join the statement.
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.queue.length > 0 && this.inFlight < MAX_STATEMENTS_IN_FLIGHT) {
        this.inFlight += 1;
        void this.insert(this.queue.splice(0, MAX_ROWS_PER_STATEMENT)).finally(() => {
          this.inFlight -= 1;
          this.scheduleFlush();
        });
      }
    });
  }

  private async insert(batch: Pending[]): Promise<void> {
    ingestBatchSize.observe(batch.length);
    // A reference twice in one statement: the first row goes in, the others are its replays.
    const firstByKey = new Map<string, Pending>();
    const followers: [Pending, Pending][] = [];
    for (const pending of batch) {
      const key = `${pending.row.merchantId}\u0000${pending.row.reference}`;
      const first = firstByKey.get(key);
      if (first) followers.push([pending, first]);
      else firstByKey.set(key, pending);
    }
    const leaders = [...firstByKey.values()];
    try {
      const inserted = await this.repository.insertNew(leaders.map((p) => p.row));
      const replays = leaders.filter((p) => !inserted.has(p.row.id));
      const known = new Map(
        (replays.length > 0 ? await this.repository.findReplays(replays.map((p) => p.row)) : []).map(
          (replay) => [`${replay.view.row.merchantId}\u0000${replay.view.row.reference}`, replay],
        ),
      );
      const outcomeOf = new Map<Pending, WriteOutcome>();
      for (const pending of leaders) {
        if (inserted.has(pending.row.id)) {
          outcomeOf.set(pending, { stored: true, row: pending.row });
          continue;
        }
        const replay = known.get(`${pending.row.merchantId}\u0000${pending.row.reference}`);
        if (!replay)
          throw new Error(`event reference ${pending.row.reference} conflicted but cannot be found`);
        outcomeOf.set(pending, { stored: false, replay });
      }
      for (const [pending, outcome] of outcomeOf) pending.resolve(outcome);
      for (const [follower, leader] of followers) {
        const outcome = outcomeOf.get(leader) as WriteOutcome;
        follower.resolve({
          stored: false,
          replay: outcome.stored
            ? { view: firstVersionView(outcome.row), firstPayloadHash: outcome.row.payloadHash }
            : outcome.replay,
        });
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
