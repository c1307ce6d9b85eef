import type { Command } from 'commander';
import type { Tally } from '../../sdk/src/index.js';
import { CliError, connect, type GlobalOptions } from '../config.js';
import { printLine } from '../format.js';
import { TailCursor } from '../tail.js';

interface TailOptions {
  type?: string;
  interval: string;
  last: string;
}

interface WebhookEvent {
  id: string;
  type: string;
  created: string;
}

const PAGE = 100;
/** Pages read in one poll when more than a page of events arrived since the last. */
const MAX_PAGES_A_POLL = 10;

/** The events newer than what the cursor has seen, newest first, over as many pages as that takes. */
async function newest(tally: Tally, cursor: TailCursor, type: string | undefined): Promise<WebhookEvent[]> {
  const query = { limit: String(PAGE), ...(type && { type }) };
  const items: WebhookEvent[] = [];
  for await (const event of tally.webhooks.events.list(query as never) as AsyncIterable<WebhookEvent>) {
    if (cursor.has(event.id)) break;
    items.push(event);
    if (items.length >= PAGE * MAX_PAGES_A_POLL) break;
  }
  return items;
}

export function formatEvent(event: WebhookEvent): string {
  return `${event.created}  ${event.type.padEnd(30)}  ${event.id}`;
}

export function registerWebhooks(program: Command, globals: () => GlobalOptions): Command {
  const webhooks = program.command('webhooks').description('webhook events');
  webhooks
    .command('tail')
    .description(
      'follow new webhook events as they are recorded (polls GET /v1/webhook_events); Ctrl-C stops',
    )
    .option('--type <type>', 'only events of this type (e.g. billing.invoice.generated)')
    .option('--interval <ms>', 'how often to poll', '1000')
    .option('--last <n>', 'first show the last n events already recorded', '0')
    .addHelpText(
      'after',
      '\nPrints created, type and id per event, oldest first; --json prints each event as one JSON line.',
    )
    .action(async (options: TailOptions) => {
      const interval = Number(options.interval);
      if (!Number.isInteger(interval) || interval < 100 || interval > 3_600_000)
        throw new CliError('--interval must be a whole number of milliseconds from 100 to 3600000', 2);
      const last = Number(options.last);
      if (!Number.isInteger(last) || last < 0 || last > PAGE)
        throw new CliError(`--last must be 0 to ${PAGE}`, 2);
      const { tally } = connect(globals());
      const json = globals().json === true;
      const show = (event: WebhookEvent) => printLine(json ? JSON.stringify(event) : formatEvent(event));
      const cursor = new TailCursor();
      // What exists now is the starting point: shown only as far as --last asks.
      const first = await tally.webhooks.events
        .list({ limit: String(PAGE), ...(options.type && { type: options.type }) } as never)
        .page();
      const existing = cursor.take(first.data as WebhookEvent[]);
      existing.slice(existing.length - last).forEach(show);
      process.stderr.write(`following webhook events (every ${interval} ms; Ctrl-C to stop)\n`);
      let stopped = false;
      let wake: (() => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      const stop = () => {
        stopped = true;
        clearTimeout(timer);
        wake?.();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        while (!stopped) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, interval);
          });
          if (stopped) break;
          cursor.take(await newest(tally, cursor, options.type)).forEach(show);
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
  return webhooks;
}
