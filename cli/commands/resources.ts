import type { Command } from 'commander';
import type { Tally } from '../../sdk/src/index.js';
import { CliError, connect, type GlobalOptions } from '../config.js';
import { fields, printJson, printLine, table, type Cell } from '../format.js';

type Item = { id: string } & Record<string, unknown>;

interface ListOptions {
  limit: string;
  [filter: string]: string | undefined;
}

/** A resource the CLI lists and reads: its SDK calls, its list filters and its table's columns. */
interface Resource {
  name: string;
  singular: string;
  list: (tally: Tally, query: Record<string, string | undefined>) => AsyncIterable<Item>;
  get: (tally: Tally, id: string) => Promise<unknown>;
  filters: { flag: string; query: string; description: string }[];
  columns: { header: string; cell: (item: Item) => Cell }[];
}

const str = (key: string) => (item: Item) => item[key] as Cell;

const RESOURCES: Resource[] = [
  {
    name: 'metrics',
    singular: 'billing metric',
    list: (tally, query) => tally.metrics.list(query) as AsyncIterable<Item>,
    get: (tally, id) => tally.metrics.get(id),
    filters: [{ flag: '--status <status>', query: 'status', description: 'active or archived' }],
    columns: [
      { header: 'ID', cell: str('id') },
      { header: 'EVENT NAME', cell: str('event_name') },
      { header: 'NAME', cell: str('name') },
      { header: 'AGGREGATION', cell: str('aggregation') },
      { header: 'CURRENCY', cell: str('currency') },
      { header: 'STATUS', cell: str('status') },
    ],
  },
  {
    name: 'customers',
    singular: 'customer',
    list: (tally, query) => tally.customers.list(query) as AsyncIterable<Item>,
    get: (tally, id) => tally.customers.get(id),
    filters: [],
    columns: [
      { header: 'ID', cell: str('id') },
      { header: 'NAME', cell: str('name') },
      { header: 'EMAIL', cell: str('email') },
      { header: 'EXTERNAL ID', cell: str('external_id') },
      { header: 'CREATED', cell: str('created') },
    ],
  },
  {
    name: 'invoices',
    singular: 'invoice',
    list: (tally, query) => tally.invoices.list(query) as AsyncIterable<Item>,
    get: (tally, id) => tally.invoices.get(id),
    filters: [
      { flag: '--customer <id>', query: 'customer', description: "only this customer's invoices" },
      { flag: '--account <id>', query: 'account', description: "only this account's invoices" },
      { flag: '--status <status>', query: 'status', description: 'draft, open, paid, void or uncollectible' },
    ],
    columns: [
      { header: 'ID', cell: str('id') },
      { header: 'NUMBER', cell: str('number') },
      { header: 'STATUS', cell: str('status') },
      { header: 'TOTAL', cell: str('total') },
      { header: 'CURRENCY', cell: str('currency') },
      { header: 'PAYER', cell: (item) => (item.customer ?? item.account) as Cell },
      { header: 'CREATED', cell: str('created') },
    ],
  },
  {
    name: 'events',
    singular: 'usage event',
    list: (tally, query) => tally.events.list(query) as AsyncIterable<Item>,
    get: (tally, id) => tally.events.get(id),
    filters: [
      { flag: '--customer <id>', query: 'customer', description: "only this customer's events" },
      { flag: '--account <id>', query: 'account', description: "only this account's events" },
      { flag: '--event-name <name>', query: 'event_name', description: 'only events of this metric' },
      { flag: '--status <status>', query: 'status', description: 'logged, aggregated, invoiced or paid' },
      { flag: '--from <time>', query: 'from', description: 'timestamps from (ISO 8601)' },
      { flag: '--to <time>', query: 'to', description: 'timestamps before (ISO 8601)' },
    ],
    columns: [
      { header: 'ID', cell: str('id') },
      { header: 'EVENT NAME', cell: str('event_name') },
      { header: 'PAYER', cell: (item) => (item.customer ?? item.account) as Cell },
      { header: 'VALUE', cell: str('value') },
      { header: 'TIMESTAMP', cell: str('timestamp') },
      { header: 'REFERENCE', cell: str('reference') },
      { header: 'STATUS', cell: str('status') },
    ],
  },
];

function camel(query: string): string {
  return query.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** At most `limit` items, newest first, following pages (`limit` 1 to 10,000). */
async function take(items: AsyncIterable<Item>, limit: number): Promise<Item[]> {
  const out: Item[] = [];
  if (limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * `tally <resource> list|get` for metrics, customers, invoices and events. A list prints a table
 * (newest first), or with --json an array of the API's objects; get prints the object's fields,
 * or with --json the API's object.
 */
export function registerResources(program: Command, globals: () => GlobalOptions): Map<string, Command> {
  const commands = new Map<string, Command>();
  for (const resource of RESOURCES) {
    const group = program
      .command(resource.name)
      .description(
        resource.name === 'events' ? 'import, list and read usage events' : `list and read ${resource.name}`,
      );
    commands.set(resource.name, group);
    const list = group
      .command('list')
      .description(`list ${resource.name}, newest first`)
      .option('--limit <n>', 'how many (1 to 10000; pages are followed)', '20');
    for (const filter of resource.filters) list.option(filter.flag, filter.description);
    list.action(async (options: ListOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new CliError('--limit must be a whole number from 1 to 10000', 2);
      const query: Record<string, string | undefined> = { limit: String(Math.min(limit, 100)) };
      for (const filter of resource.filters) {
        const value = options[camel(filter.query)];
        if (value !== undefined) query[filter.query] = value;
      }
      const { tally } = connect(globals());
      const items = await take(resource.list(tally, query), limit);
      if (globals().json) printJson(items);
      else if (items.length === 0) printLine(`no ${resource.name}`);
      else
        printLine(
          table(
            resource.columns.map((column) => column.header),
            items.map((item) => resource.columns.map((column) => column.cell(item))),
          ),
        );
    });
    group
      .command('get')
      .description(`show one ${resource.singular}`)
      .argument('<id>', `the ${resource.singular}'s id`)
      .action(async (id: string) => {
        const { tally } = connect(globals());
        const object = (await resource.get(tally, id)) as Record<string, unknown>;
        if (globals().json) printJson(object);
        else printLine(fields(object));
      });
  }
  return commands;
}
