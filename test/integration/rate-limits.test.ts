import { checkConformance } from '../support/openapi-conformance.js';
import { createMerchant, http, type RunningApi, startApi, useTestStack } from '../support/test-stack.js';
import { sumMetric, caller } from '../support/billing-fixtures.js';

const LIMITS = { RATE_LIMIT_REQUESTS_PER_S: '15', RATE_LIMIT_EVENTS_PER_S: '500' };

/** Waits for the start of a fresh one-second window, so that a scenario fits in one. */
async function atWindowStart(): Promise<number> {
  for (;;) {
    const offset = Date.now() % 1000;
    if (offset < 30) return Date.now() - offset;
    await new Promise((resolve) => setTimeout(resolve, 1000 - offset));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits per merchant, held across API processes', () => {
  // Two API processes' worth of the app on one database: the limit is theirs together.
  const stack = useTestStack({ config: LIMITS });
  let second: RunningApi;
  let key: string;
  let customer: string;

  beforeAll(async () => {
    second = await startApi(stack.config);
    key = (await createMerchant(stack.api.baseUrl)).key;
    await sumMetric(caller(stack.api.baseUrl, key), 'limited_calls', '0.01');
    customer = (await http(stack.api.baseUrl, 'POST', '/v1/customers', { key, body: {} })).body.id;
  });
  afterAll(() => second?.close());

  /** Runs a scenario inside one window, trying again (at most 3 times) when the machine was too slow for that. */
  async function inOneWindow<T>(scenario: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      await pause(1100); // the previous window's counts are behind us
      const windowStart = await atWindowStart();
      const result = await scenario();
      if (Date.now() < windowStart + 1000 || attempt === 3) return result;
    }
  }

  const statuses = (answers: Array<{ status: number }>) => answers.map((answer) => answer.status).sort();

  it('refuses requests past the limit with 429 rate_limited and Retry-After, counting both processes', async () => {
    const { first, then } = await inOneWindow(async () => {
      const get = (api: RunningApi) => http(api.baseUrl, 'GET', '/v1/customers?limit=1', { key });
      const first = await Promise.all(Array.from({ length: 10 }, () => get(stack.api)));
      await pause(300); // the first process has reported its use
      const then = await Promise.all(Array.from({ length: 10 }, () => get(second)));
      return { first, then };
    });
    expect(statuses(first)).toEqual(Array(10).fill(200));
    expect(statuses(then)).toEqual([...Array(5).fill(200), ...Array(5).fill(429)]);
    const refused = then.find((answer) => answer.status === 429)!;
    expect(refused.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(refused.headers.get('retry-after')).toBe('1');
    checkConformance('GET', '/v1/customers', 429, refused.body);

    await pause(1100);
    expect((await http(second.baseUrl, 'GET', '/v1/customers?limit=1', { key })).status).toBe(200);
  });

  it('counts ingestion in events, on its own limit: a batch counts each of its events', async () => {
    const batch = (size: number, tag: string) => ({
      events: Array.from({ length: size }, (_, i) => ({
        event_name: 'limited_calls',
        customer,
        reference: `${tag}-${i}`,
        value: '1',
      })),
    });
    const answers = await inOneWindow(async () => {
      const tag = `w${Date.now()}`;
      const big = await http(stack.api.baseUrl, 'POST', '/v1/billing/metering_events/batch', {
        key,
        body: batch(400, `${tag}-a`),
      });
      await pause(300);
      const over = await http(second.baseUrl, 'POST', '/v1/billing/metering_events/batch', {
        key,
        body: batch(200, `${tag}-b`),
      });
      const fits = await http(second.baseUrl, 'POST', '/v1/billing/metering_events/batch', {
        key,
        body: batch(100, `${tag}-c`),
      });
      // Requests are a limit of their own: 15 a second, untouched by the events.
      const read = await http(second.baseUrl, 'GET', '/v1/customers?limit=1', { key });
      return { big, over, fits, read };
    });
    expect([answers.big.status, answers.big.body.created]).toEqual([200, 400]);
    expect([answers.over.status, answers.over.body.error?.code]).toEqual([429, 'rate_limited']);
    checkConformance('POST', '/v1/billing/metering_events/batch', 429, answers.over.body);
    expect([answers.fits.status, answers.fits.body.created]).toEqual([200, 100]);
    expect(answers.read.status).toBe(200);
  });
});
