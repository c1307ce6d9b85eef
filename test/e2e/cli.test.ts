import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';
import { createMerchant, eventually, http, useTestStack } from '../support/test-stack.js';

/**
 * The built CLI (`node dist/cli/tally.js`, so run `npm run build` first) as a child process
 * against the real API: imports, reruns, kills and resumes, reads, reports and webhook tailing.
 */
const CLI = join(projectRoot(), 'dist', 'cli', 'tally.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('the tally CLI', () => {
  const stack = useTestStack();
  let key: string;
  let merchantId: string;
  let customer: string;
  let dir: string;
  let sequence = 0;

  const call = (method: string, path: string, body?: unknown) =>
    http(stack.api.baseUrl, method, path, { key, body });
  const env = (extra: Record<string, string | undefined> = {}) => {
    const base: Record<string, string | undefined> = {
      ...process.env,
      TALLY_URL: stack.api.baseUrl,
      TALLY_API_KEY: key,
    };
    for (const name of ['TALLY_URL', 'TALLY_API_KEY'])
      if (name in extra && extra[name] === undefined) delete base[name];
    return { ...base, ...extra, FORCE_COLOR: '0' } as NodeJS.ProcessEnv;
  };

  function start(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
    const child = spawn(process.execPath, [CLI, ...args], { env: options.env ?? env(), cwd: dir });
    const run: Run = { code: null, signal: null, stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (text: string) => (run.stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (run.stderr += text));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    const done = new Promise<Run>((resolve) =>
      child.on('close', (code, signal) => resolve(Object.assign(run, { code, signal }))),
    );
    return { child, run, done };
  }

  const tally = (args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
    start(args, options).done;

  async function metric(prefix: string): Promise<string> {
    const eventName = `${prefix}_${(sequence += 1)}`;
    const response = await call('POST', '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation: 'sum',
      unit_amount: '0.01',
    });
    expect(response.status).toBe(201);
    return eventName;
  }

  async function stored(eventName: string): Promise<number> {
    const result = await stack.sql.query(
      'SELECT count(*)::int AS n FROM billing_metric_events WHERE merchant_id = $1 AND event_name = $2 AND version = 1 AND sign = 1',
      [merchantId, eventName],
    );
    return result.rows[0].n as number;
  }

  const ndjson = (events: unknown[]) => events.map((event) => JSON.stringify(event)).join('\n') + '\n';

  beforeAll(async () => {
    ({ key, id: merchantId } = await createMerchant(stack.api.baseUrl));
    customer = (await call('POST', '/v1/customers', { name: 'Ada' })).body.id;
    dir = mkdtempSync(join(tmpdir(), 'tally-cli-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers --help for every command', async () => {
    const commands = [
      [],
      ['events'],
      ['events', 'import'],
      ['events', 'list'],
      ['events', 'get'],
      ['metrics'],
      ['metrics', 'list'],
      ['metrics', 'get'],
      ['customers'],
      ['customers', 'list'],
      ['customers', 'get'],
      ['invoices'],
      ['invoices', 'list'],
      ['invoices', 'get'],
      ['report'],
      ['webhooks'],
      ['webhooks', 'tail'],
    ];
    const runs = await Promise.all(
      commands.map((command) => tally([...command, '--help'], { env: env({ TALLY_API_KEY: undefined }) })),
    );
    runs.forEach((run, i) => {
      expect({ command: commands[i], code: run.code }).toEqual({ command: commands[i], code: 0 });
      expect(run.stdout).toContain(`Usage: tally${commands[i]!.length ? ` ${commands[i]!.join(' ')}` : ''}`);
    });
    expect(runs[2]!.stdout).toMatch(/imp_/);
    expect(runs[2]!.stdout).toMatch(/Exit codes/);
  });

  it('refuses to run without an API key (exit 2) and on a usage error (exit 2)', async () => {
    const missing = await tally(['metrics', 'list'], { env: env({ TALLY_API_KEY: undefined }) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('TALLY_API_KEY');
    expect(missing.stdout).toBe('');
    const usage = await tally(['metrics', 'lst']);
    expect(usage.code).toBe(2);
    const badKey = await tally(['metrics', 'list', '--api-key', 'sk_test_nope']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/api_key_invalid/);
  });

  it('imports NDJSON, writes rejected lines with their codes, and a rerun stores nothing twice', async () => {
    const eventName = await metric('ndjson');
    const events = Array.from({ length: 2300 }, (_, i) =>
      i % 2 === 0
        ? { customer, event_name: eventName, reference: `nd-${i}`, value: i }
        : { customer, event_name: eventName, value: String(i), metadata: { row: String(i) } },
    );
    const lines = ndjson(events).split('\n');
    lines.splice(10, 0, '{not json');
    lines.splice(20, 0, JSON.stringify({ customer, event_name: 'no_such_metric', reference: 'bad-1' }));
    lines.splice(30, 0, '');
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, lines.join('\n'));

    const first = await tally(['events', 'import', file, '--json']);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout)).toMatchObject({
      read: 2302,
      sent: 2301,
      created: 2300,
      duplicates: 0,
      rejected: 2,
      rejected_file: `${file}.rejected.ndjson`,
      interrupted: false,
      error: null,
    });
    expect(await stored(eventName)).toBe(2300);
    const rejected = readFileSync(`${file}.rejected.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejected).toEqual([
      { line: 11, code: 'line_unparsable', message: expect.any(String), input: '{not json' },
      { line: 21, code: 'unknown_event_name', message: expect.any(String), input: lines[20] },
    ]);

    const again = await tally(['events', 'import', file, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, duplicates: 2300, rejected: 2 });
    expect(await stored(eventName)).toBe(2300);

    // The same events from standard input, without the bad lines: all duplicates, exit 0.
    const piped = await tally(
      ['events', 'import', '-', '--json', '--rejected', join(dir, 'stdin.rejected')],
      {
        input: ndjson(events),
      },
    );
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ read: 2300, created: 0, duplicates: 2300, rejected: 0 });
    expect(existsSync(join(dir, 'stdin.rejected'))).toBe(false);
  });

  it('imports CSV with metadata columns and empty cells, deriving the same references on a rerun', async () => {
    const eventName = await metric('csv');
    const rows = Array.from(
      { length: 1500 },
      (_, i) => `${customer},${eventName},${i}.5,${i % 3 === 0 ? 'eu' : ''},,`,
    );
    const file = join(dir, 'events.csv');
    writeFileSync(
      file,
      `customer,event_name,value,metadata.region,reference,timestamp\n${rows.join('\n')}\n${customer},${eventName},"1,5",,,\n`,
    );
    const first = await tally(['events', 'import', file, '--json', '--concurrency', '2']);
    expect(JSON.parse(first.stdout)).toMatchObject({ format: 'csv', read: 1501, created: 1500, rejected: 1 });
    expect(first.code).toBe(1);
    const rejected = JSON.parse(readFileSync(`${file}.rejected.ndjson`, 'utf8').trim());
    expect(rejected).toMatchObject({
      line: 1502,
      code: 'parameter_invalid',
      input: `${customer},${eventName},"1,5",,,`,
    });
    const row = await stack.sql.query(
      'SELECT reference, value::text, metadata FROM billing_metric_events WHERE merchant_id = $1 AND event_name = $2 AND value = 3.5',
      [merchantId, eventName],
    );
    expect(row.rows[0]).toEqual({
      reference: expect.stringMatching(/^imp_[0-9a-f]{64}$/),
      value: '3.5',
      metadata: { region: 'eu' },
    });

    const again = await tally(['events', 'import', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, duplicates: 1500, rejected: 1 });
    expect(await stored(eventName)).toBe(1500);
  });

  it('stops on a CSV header it does not know (exit 2), sending nothing', async () => {
    const file = join(dir, 'bad-header.csv');
    writeFileSync(file, 'customer,event,value\ncus_x,e,1\n');
    const run = await tally(['events', 'import', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown column "event"/);
  });

  describe('resuming', () => {
    const COUNT = 30_000;
    let eventName: string;
    let file: string;

    beforeAll(async () => {
      eventName = await metric('resume');
      // No references: every event's is derived from its content (distinct values).
      file = join(dir, 'big.ndjson');
      writeFileSync(
        file,
        ndjson(Array.from({ length: COUNT }, (_, i) => ({ customer, event_name: eventName, value: i }))),
      );
    });

    async function startSlowImport(): Promise<ReturnType<typeof start>> {
      const running = start(['events', 'import', file, '--json', '--concurrency', '1', '--batch-size', '50']);
      const before = await stored(eventName);
      await eventually(async () => (await stored(eventName)) > before + 500, {
        what: 'the import to store events',
      });
      return running;
    }

    it('after SIGKILL midway, a rerun stores the rest and nothing twice', async () => {
      const running = await startSlowImport();
      running.child.kill('SIGKILL');
      const killed = await running.done;
      expect(killed.signal).toBe('SIGKILL');
      const partial = await stored(eventName);
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(COUNT);

      const rerun = await tally(['events', 'import', file, '--json']);
      expect(rerun.code).toBe(0);
      const summary = JSON.parse(rerun.stdout);
      expect(summary.created + summary.duplicates).toBe(COUNT);
      expect(summary.duplicates).toBeGreaterThanOrEqual(partial);
      expect(await stored(eventName)).toBe(COUNT);
    });

    it('on Ctrl-C waits for the batches in flight, prints the summary and exits 130; a rerun dedupes', async () => {
      await stack.sql.query('DELETE FROM billing_metric_events WHERE merchant_id = $1 AND event_name = $2', [
        merchantId,
        eventName,
      ]);
      const running = await startSlowImport();
      running.child.kill('SIGINT');
      const interrupted = await running.done;
      expect(interrupted.code).toBe(130);
      const summary = JSON.parse(interrupted.stdout);
      expect(summary).toMatchObject({ interrupted: true });
      // Every batch it sent was answered before it exited: what it counts is what is stored.
      expect(await stored(eventName)).toBe(summary.created);

      const rerun = await tally(['events', 'import', file, '--json']);
      expect(JSON.parse(rerun.stdout)).toMatchObject({
        created: COUNT - summary.created,
        duplicates: summary.created,
      });
      expect(await stored(eventName)).toBe(COUNT);
    });
  });

  it('lists and reads metrics, customers, invoices and events, as tables or --json', async () => {
    const eventName = await metric('list');
    const metrics = await tally(['metrics', 'list', '--json', '--limit', '100']);
    expect(metrics.code).toBe(0);
    const listed = JSON.parse(metrics.stdout) as { id: string; event_name: string }[];
    const found = listed.find((m) => m.event_name === eventName)!;
    expect(found).toBeDefined();
    const one = await tally(['metrics', 'get', found.id, '--json']);
    expect(JSON.parse(one.stdout)).toEqual((await call('GET', `/v1/billing/metering/${found.id}`)).body);
    expect((await tally(['metrics', 'list'])).stdout).toMatch(
      new RegExp(`^ID\\s+EVENT NAME[\\s\\S]*${eventName}`),
    );

    const customers = JSON.parse((await tally(['customers', 'list', '--json'])).stdout);
    expect(customers.map((c: { id: string }) => c.id)).toContain(customer);
    expect(JSON.parse((await tally(['customers', 'get', customer, '--json'])).stdout)).toMatchObject({
      id: customer,
      name: 'Ada',
    });

    const draft = await call('POST', '/v1/invoices', {
      customer,
      currency: 'usd',
      collection_method: 'send_invoice',
    });
    expect(draft.status).toBe(201);
    const invoices = JSON.parse((await tally(['invoices', 'list', '--json', '--customer', customer])).stdout);
    expect(invoices.map((i: { id: string }) => i.id)).toEqual([draft.body.id]);
    expect(JSON.parse((await tally(['invoices', 'get', draft.body.id, '--json'])).stdout)).toMatchObject({
      id: draft.body.id,
      status: 'draft',
    });

    const events = JSON.parse((await tally(['events', 'list', '--json', '--limit', '3'])).stdout);
    expect(events).toHaveLength(3);
    expect(JSON.parse((await tally(['events', 'get', events[0].id, '--json'])).stdout)).toMatchObject({
      id: events[0].id,
    });

    const missing = await tally(['customers', 'get', 'cus_00000000000000000000000000', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { status: 404, code: 'resource_missing' } });
  });

  it('reports a customer as the API answers (--json) and as a table and chart', async () => {
    const eventName = await metric('report');
    const now = Date.now();
    const events = [1, 2, 3].map((value, i) => ({
      customer,
      event_name: eventName,
      reference: `rep-${i}`,
      value,
      timestamp: new Date(now - (2 - i) * 3_600_000).toISOString(),
    }));
    const logged = await call('POST', '/v1/billing/metering_events/batch', { events });
    expect(logged.body.created).toBe(3);
    const start = new Date(now - 4 * 3_600_000).toISOString();
    const end = new Date(now + 60_000).toISOString();
    const report = await tally(['report', customer, '--json', '--start', start, '--end', end]);
    expect(report.code).toBe(0);
    const api = await call(
      'GET',
      `/v1/billing/report/customer?customer_id=${customer}&start=${start}&end=${end}`,
    );
    expect(JSON.parse(report.stdout)).toEqual(api.body);
    expect(
      JSON.parse(report.stdout).metrics.find((m: { event_name: string }) => m.event_name === eventName),
    ).toMatchObject({ quantity: '6' });

    const byHour = await tally([
      'report',
      customer,
      '--metric',
      eventName,
      '--window',
      'hour',
      '--json',
      '--start',
      start,
      '--end',
      end,
    ]);
    const body = JSON.parse(byHour.stdout);
    expect(body.series.map((p: { quantity: string }) => p.quantity).filter((q: string) => q !== '0')).toEqual(
      ['1', '2', '3'],
    );

    const human = await tally([
      'report',
      customer,
      '--metric',
      eventName,
      '--window',
      'hour',
      '--start',
      start,
      '--end',
      end,
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('quantity 6');
    expect(human.stdout).toMatch(/[┤┼╭╮╯╰─]/);
    expect((await tally(['report', 'nobody'])).code).toBe(2);
  });

  it('webhooks tail prints new webhook events as they are recorded, one JSON per line, until Ctrl-C', async () => {
    const eventName = await metric('tail');
    const logged = await call('POST', '/v1/billing/metering_events', {
      customer,
      event_name: eventName,
      reference: 'tail-1',
      value: 1,
    });
    const tail = start(['webhooks', 'tail', '--json', '--interval', '200']);
    await eventually(() => tail.run.stderr.includes('following'), { what: 'tail to start' });
    expect(tail.run.stdout).toBe('');
    const voided = await call('POST', `/v1/billing/metering_events/${logged.body.id}/void`, {
      reason: 'test',
    });
    expect(voided.status).toBe(200);
    const line = await eventually(
      () => tail.run.stdout.split('\n').find((l) => l.includes('billing.event.corrected')),
      {
        what: 'the corrected event in the tail',
      },
    );
    expect(JSON.parse(line)).toMatchObject({
      object: 'event',
      type: 'billing.event.corrected',
      id: expect.stringMatching(/^evt_/),
    });
    tail.child.kill('SIGINT');
    const ended = await tail.done;
    expect(ended.code).toBe(0);
    expect(ended.stdout.trim().split('\n')).toHaveLength(1);
  });
});
