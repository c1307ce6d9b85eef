import pg from 'pg';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { checkConformance } from '../support/openapi-conformance.js';
import { createPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { caller, sumMetric } from '../support/billing-fixtures.js';
import { createMerchant, type RunningApi, startApi, testConfig } from '../support/test-stack.js';

/** Longer than this for one answer counts as a hang. */
const ANSWER_WITHIN_MS = 5_000;

interface Sent {
  references: string[];
  status: number;
  ms: number;
}

/**
 * PostgreSQL restarted under ingestion load, on a cluster of this test's own: while it is down
 * requests answer 503 `service_unavailable` quickly (no hang, no 500), the API recovers by itself,
 * every acknowledged event is stored, and client retries of the refused ones store nothing twice.
 */
describe('PostgreSQL restarted under ingestion load', () => {
  let postgres: PrivatePostgres;
  let api: RunningApi;
  let key: string;
  let customer: string;

  beforeAll(async () => {
    postgres = await createPrivatePostgres();
    const url = postgres.url.replace(/\/postgres$/, '/tally_faults');
    await prepareDatabase({ DATABASE_URL: url });
    api = await startApi(testConfig(url));
    key = (await createMerchant(api.baseUrl)).key;
    const call = caller(api.baseUrl, key);
    await sumMetric(call, 'restart_calls', '0.01');
    customer = (await call('POST', '/v1/customers', { name: 'under load' })).body.id;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await postgres?.destroy();
  });

  async function send(references: string[]): Promise<Sent> {
    const event = (reference: string) => ({
      event_name: 'restart_calls',
      customer,
      reference,
      value: '1',
    });
    const [path, body] =
      references.length === 1
        ? ['/v1/billing/metering_events', event(references[0]!)]
        : ['/v1/billing/metering_events/batch', { events: references.map(event) }];
    const started = Date.now();
    try {
      const response = await fetch(`${api.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      const answer = (await response.json()) as { rejected?: number };
      checkConformance('POST', path, response.status, answer);
      if (response.status === 503) expect(response.headers.get('retry-after')).toBe('2');
      if (response.status === 200) expect(answer.rejected).toBe(0);
      return { references, status: response.status, ms: Date.now() - started };
    } catch (error) {
      return {
        references,
        status: (error as Error).name === 'TimeoutError' ? -1 : -2,
        ms: Date.now() - started,
      };
    }
  }

  it('answers 503 while it is down, recovers by itself, and loses nothing acknowledged', async () => {
    const results: Sent[] = [];
    let counter = 0;
    let running = true;
    const client = async (lane: number) => {
      while (running) {
        const size = lane % 2 === 0 ? 1 : 20;
        const references = Array.from({ length: size }, () => `restart-${lane}-${counter++}`);
        results.push(await send(references));
      }
    };
    const lanes = [0, 1, 2, 3].map(client);

    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(1_500);
    await postgres.stop();
    const downAt = results.length;
    await pause(3_000);
    const downResults = results.slice(downAt);
    await postgres.start();
    const upAt = Date.now();
    // Recovered by itself: acknowledgements again, without a restart of the API.
    while (
      Date.now() - upAt < 30_000 &&
      !results.slice(-8).every((r) => r.status === 201 || r.status === 200)
    ) {
      await pause(200);
    }
    await pause(1_000);
    running = false;
    await Promise.all(lanes);

    const statuses = new Set(results.map((r) => r.status));
    expect([...statuses].filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(downResults.some((r) => r.status === 503)).toBe(true);
    expect(results.slice(-8).every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(Math.max(...downResults.map((r) => r.ms))).toBeLessThan(ANSWER_WITHIN_MS);

    // The client retries what was refused, with the same references, until acknowledged.
    const refused = results.filter((r) => r.status === 503);
    for (const sent of refused) {
      let retried = await send(sent.references);
      for (let attempt = 0; attempt < 20 && retried.status === 503; attempt++)
        retried = await send(sent.references);
      expect([200, 201]).toContain(retried.status);
    }

    const acknowledged = results
      .filter((r) => r.status === 200 || r.status === 201)
      .flatMap((r) => r.references);
    const all = [...acknowledged, ...refused.flatMap((r) => r.references)];
    const db = new pg.Client({ connectionString: postgres.url.replace(/\/postgres$/, '/tally_faults') });
    await db.connect();
    try {
      const stored = await db.query<{ reference: string; n: number }>(
        `SELECT reference, count(*)::int AS n FROM billing_metric_events WHERE reference = ANY($1) GROUP BY reference`,
        [all],
      );
      const counts = new Map(stored.rows.map((row) => [row.reference, row.n]));
      expect(acknowledged.filter((reference) => !counts.has(reference))).toEqual([]);
      expect(stored.rows.filter((row) => row.n > 1)).toEqual([]);
      expect(counts.size).toBe(new Set(all).size);
    } finally {
      await db.end();
    }
  }, 120_000);
});
