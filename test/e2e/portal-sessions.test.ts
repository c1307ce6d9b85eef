import { builtDocument } from '../support/openapi-conformance.js';
import {
  caller,
  manualDraft,
  pricedLine,
  sumMetric,
  type Call,
  type InvoiceLine,
} from '../support/billing-fixtures.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';

type Doc = Record<string, Record<string, { security?: Record<string, unknown>[]; requestBody?: unknown }>>;

/** Every operation of the document with the given security scheme. */
function operationsWith(scheme: string) {
  const paths = builtDocument().paths as unknown as Doc;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, operation]) => (operation.security ?? []).some((requirement) => scheme in requirement))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        url: path.replace(/\{[^}]+\}/g, 'x'),
        body: operation.requestBody ? {} : undefined,
      })),
  );
}

/** A minute ago, or the start of this UTC month when it began less than a minute ago. */
function thisMonthJustNow(): string {
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return new Date(Math.max(now.getTime() - 60_000, monthStart)).toISOString();
}

describe('customer portal sessions', () => {
  const stack = useTestStack({ worker: true });
  let call: Call;
  let key: string;
  let first: string;
  let second: string;
  let account: string;
  let otherKey: string;
  let otherCustomer: string;
  /** When the usage happened: this UTC month (the portal's period), a moment ago. */
  let usageAt: string;
  const portal = (token: string, path: string) => http(stack.api.baseUrl, 'GET', path, { key: token });

  async function session(body: Record<string, unknown>, headers?: Record<string, string>) {
    return call('POST', '/v1/portal_sessions', body, headers);
  }
  async function tokenFor(body: Record<string, unknown>): Promise<string> {
    const created = await session(body);
    expect(created.status).toBe(201);
    return (created.body.url as string).split('#token=')[1]!;
  }
  async function issued(customer: string, amount: string): Promise<string> {
    const id = await manualDraft(call, customer, amount, 'send_invoice');
    expect((await call('POST', `/v1/invoices/${id}/issue`)).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    const merchant = await createMerchant(stack.api.baseUrl, 'Portal merchant');
    key = merchant.key;
    call = caller(stack.api.baseUrl, key);
    first = (await call('POST', '/v1/customers', { name: 'First' })).body.id;
    second = (await call('POST', '/v1/customers', { name: 'Second' })).body.id;
    account = (await call('POST', '/v1/accounts', { name: 'Team' })).body.id;
    const other = await createMerchant(stack.api.baseUrl, 'Other merchant');
    otherKey = other.key;
    otherCustomer = (await http(stack.api.baseUrl, 'POST', '/v1/customers', { key: otherKey, body: {} })).body
      .id;
    await sumMetric(call, 'tokens', '0.01');
    usageAt = thisMonthJustNow();
    const at = usageAt;
    for (const [customer, value, reference] of [
      [first, '5', 'f-1'],
      [first, '6', 'f-2'],
      [second, '700', 's-1'],
    ] as const) {
      const logged = await call('POST', '/v1/billing/metering_events', {
        customer,
        event_name: 'tokens',
        reference,
        value,
        timestamp: at,
      });
      expect(logged.status).toBe(201);
    }
  });

  it('creates a session with the defaults: an hour, the token only in the URL fragment, stored hashed', async () => {
    const before = Date.now();
    const created = await session({ customer: first });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: 'portal_session',
      customer: first,
      account: null,
      return_url: null,
    });
    expect(created.body.id).toMatch(/^ps_[0-9a-z]{26}$/);
    expect(created.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/portal#token=pst_[A-Za-z0-9_-]{43}$/);
    const expiresIn = Date.parse(created.body.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(3590_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000 + 5000);
    const token = (created.body.url as string).split('#token=')[1]!;
    const stored = await stack.sql.query('SELECT * FROM portal_sessions WHERE id = $1', [created.body.id]);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('validates the body: exactly one payer that exists, expires_in bounds, return_url', async () => {
    const codes = async (body: Record<string, unknown>) => {
      const answer = await session(body);
      return [answer.status, answer.body.error?.code];
    };
    expect(await codes({})).toEqual([400, 'payer_required']);
    expect(await codes({ customer: first, account })).toEqual([400, 'payer_conflict']);
    expect(await codes({ customer: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a' })).toEqual([400, 'resource_missing']);
    expect(await codes({ customer: otherCustomer })).toEqual([400, 'resource_missing']);
    expect(await codes({ customer: first, expires_in: 299 })).toEqual([400, 'parameter_invalid']);
    expect(await codes({ customer: first, expires_in: 86_401 })).toEqual([400, 'parameter_invalid']);
    expect(await codes({ customer: first, expires_in: 600.5 })).toEqual([400, 'parameter_invalid']);
    expect(await codes({ customer: first, return_url: 'javascript:alert(1)' })).toEqual([
      400,
      'parameter_invalid',
    ]);
    expect(await codes({ customer: first, return_url: `https://x.example/${'a'.repeat(2048)}` })).toEqual([
      400,
      'parameter_invalid',
    ]);
    const bounds = await session({ account, expires_in: 300, return_url: 'https://example.com/back?x=1' });
    expect(bounds.status).toBe(201);
    expect(bounds.body).toMatchObject({
      account,
      customer: null,
      return_url: 'https://example.com/back?x=1',
    });
    expect(Date.parse(bounds.body.expires_at) - Date.parse(bounds.body.created)).toBe(300_000);
    expect((await session({ customer: first, expires_in: 86_400 })).status).toBe(201);
  });

  it('takes an Idempotency-Key: a retry answers the same session with a new URL, the first one stops working', async () => {
    const headers = { 'idempotency-key': 'portal-retry-1' };
    const one = await session({ customer: first }, headers);
    const two = await session({ customer: first }, headers);
    expect(two.status).toBe(201);
    expect(two.body.id).toBe(one.body.id);
    expect(two.body.expires_at).toBe(one.body.expires_at);
    expect(two.body.url).not.toBe(one.body.url);
    const tokenOf = (body: { url: string }) => body.url.split('#token=')[1]!;
    expect((await portal(tokenOf(two.body), '/v1/portal/session')).status).toBe(200);
    expect((await portal(tokenOf(one.body), '/v1/portal/session')).body.error.code).toBe(
      'portal_session_invalid',
    );
    const reused = await session({ customer: second }, headers);
    expect([reused.status, reused.body.error.code]).toEqual([409, 'idempotency_key_reused']);
  });

  it('reads the session, usage, credits, upcoming invoice and invoices of its own payer alone', async () => {
    await call('POST', '/v1/billing/credits', {
      customer: first,
      amount: '10.00',
      currency: 'usd',
      paid: false,
    });
    const own = await issued(first, '3.00');
    const others = await issued(second, '4.00');
    const draft = await manualDraft(call, first, '9.00', 'send_invoice');
    const token = await tokenFor({ customer: first, return_url: 'https://example.com/back' });

    const summary = await portal(token, '/v1/portal/session');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      object: 'portal_session_summary',
      customer: first,
      account: null,
      payer_name: 'First',
      merchant_name: 'Portal merchant',
      return_url: 'https://example.com/back',
    });

    const usage = await portal(token, '/v1/portal/usage');
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ object: 'portal_usage', customer: first, period: 'calendar_month' });
    const line = usage.body.metrics.find((m: { event_name: string }) => m.event_name === 'tokens');
    // 5 + 6 of its own; the 700 of the other customer never counts.
    expect(line).toMatchObject({ quantity: '11', amount: '0.11', event_count: 2 });
    const charted = line.series.reduce((sum: number, p: { quantity: string }) => sum + Number(p.quantity), 0);
    expect(charted).toBe(11);

    const credits = await portal(token, '/v1/portal/credits');
    expect(credits.status).toBe(200);
    expect(credits.body).toMatchObject({ object: 'portal_credits', customer: first });
    expect(credits.body.data).toEqual([
      expect.objectContaining({ object: 'threshold_progress', currency: 'usd', granted: '10.00' }),
    ]);

    // The preview of its usage this month (and the credits it would apply), as the merchant's own
    // GET /v1/invoices/upcoming answers it; only the window's end (now) moves between the two.
    const upcoming = await portal(token, '/v1/portal/upcoming_invoice');
    expect(upcoming.status).toBe(200);
    const merchantView = await call('GET', `/v1/invoices/upcoming?customer=${first}`);
    expect(merchantView.status).toBe(200);
    const previewOf = (invoice: Record<string, any>) => ({
      ...invoice,
      period_end: undefined,
      created: undefined,
      lines: { ...invoice.lines, data: invoice.lines.data.map(pricedLine) },
    });
    expect(previewOf(upcoming.body)).toEqual(previewOf(merchantView.body));
    expect(upcoming.body).toMatchObject({ id: null, number: null, status: 'draft', customer: first });
    expect(
      upcoming.body.lines.data.map((line: InvoiceLine) => [line.description.split(' ')[0], line.amount]),
    ).toEqual([
      ['tokens', '0.11'],
      ['Prepaid', '-0.11'],
    ]);
    expect(upcoming.body.total).toBe('0.00');

    const invoices = await portal(token, '/v1/portal/invoices');
    expect(invoices.status).toBe(200);
    const ids = invoices.body.data.map((invoice: { id: string }) => invoice.id);
    expect(ids).toContain(own);
    expect(ids).not.toContain(others);
    expect(ids).not.toContain(draft);
    expect(invoices.body.data.every((invoice: { customer: string }) => invoice.customer === first)).toBe(
      true,
    );
    const paged = await portal(token, '/v1/portal/invoices?limit=1');
    expect(paged.body.data).toHaveLength(1);

    expect((await portal(token, `/v1/portal/invoices/${own}`)).body).toMatchObject({
      id: own,
      customer: first,
    });
    for (const id of [others, draft, 'inv_01jdx3k5vq8m2n4p6r8t0w2y4a']) {
      const answer = await portal(token, `/v1/portal/invoices/${id}`);
      expect([id, answer.status, answer.body.error.code]).toEqual([id, 404, 'resource_missing']);
    }
    // No payer parameter is taken: the session's payer is the only one.
    const named = await portal(token, `/v1/portal/invoices?customer=${second}`);
    expect([named.status, named.body.error.code]).toEqual([400, 'parameter_unknown']);

    // The other customer's token sees its own 700, never the first's.
    const secondToken = await tokenFor({ customer: second });
    const secondUsage = await portal(secondToken, '/v1/portal/usage');
    expect(
      secondUsage.body.metrics.find((m: { event_name: string }) => m.event_name === 'tokens'),
    ).toMatchObject({
      quantity: '700',
    });
    const secondInvoices = (await portal(secondToken, '/v1/portal/invoices')).body.data.map(
      (invoice: { id: string }) => invoice.id,
    );
    expect(secondInvoices).toEqual([others]);
    expect((await portal(secondToken, `/v1/portal/invoices/${own}`)).status).toBe(404);

    // Another merchant's payer: its token reads none of this merchant's.
    const otherToken = (
      await http(stack.api.baseUrl, 'POST', '/v1/portal_sessions', {
        key: otherKey,
        body: { customer: otherCustomer },
      })
    ).body.url.split('#token=')[1];
    const otherUsage = await portal(otherToken, '/v1/portal/usage');
    expect(otherUsage.status).toBe(200);
    expect(otherUsage.body.metrics).toEqual([]);
    expect((await portal(otherToken, '/v1/portal/invoices')).body.data).toEqual([]);
    expect((await portal(otherToken, `/v1/portal/invoices/${own}`)).status).toBe(404);
    expect((await portal(otherToken, '/v1/portal/credits')).body.data).toEqual([]);
  }, 60_000);

  it('answers 404 resource_missing for the upcoming invoice when there is no preview to show', async () => {
    // Usage priced in two currencies: no one billing invoice would take it all.
    const multi = (await call('POST', '/v1/customers', { name: 'Two currencies' })).body.id as string;
    const euros = await call('POST', '/v1/billing/metering', {
      name: 'Euro tokens',
      event_name: 'euro_tokens',
      aggregation: 'sum',
      unit_amount: '0.02',
      currency: 'eur',
    });
    expect(euros.status).toBe(201);
    for (const [eventName, reference] of [
      ['tokens', 'm-1'],
      ['euro_tokens', 'm-2'],
    ] as const) {
      const logged = await call('POST', '/v1/billing/metering_events', {
        customer: multi,
        event_name: eventName,
        reference,
        value: '3',
        timestamp: usageAt,
      });
      expect(logged.status).toBe(201);
    }
    const merchantView = await call('GET', `/v1/invoices/upcoming?customer=${multi}`);
    expect([merchantView.status, merchantView.body.error.code]).toEqual([400, 'currency_required']);
    const token = await tokenFor({ customer: multi });
    const upcoming = await portal(token, '/v1/portal/upcoming_invoice');
    expect([upcoming.status, upcoming.body.error]).toEqual([
      404,
      expect.objectContaining({ type: 'not_found_error', code: 'resource_missing' }),
    ]);
  });

  it('refuses API keys on portal routes and portal tokens on every other route', async () => {
    const token = await tokenFor({ customer: first });
    const portalOps = operationsWith('portal');
    expect(portalOps.length).toBeGreaterThanOrEqual(6);
    const restricted = (await call('POST', '/v1/api_keys', { name: 'reader', access: 'read' })).body.secret;
    for (const op of portalOps) {
      for (const apiKey of [key, restricted]) {
        const answer = await http(stack.api.baseUrl, op.method, op.url, { key: apiKey });
        expect([op.url, answer.status, answer.body.error.code]).toEqual([op.url, 403, 'permission_denied']);
      }
      const none = await http(stack.api.baseUrl, op.method, op.url);
      expect([op.url, none.status, none.body.error.code]).toEqual([op.url, 401, 'portal_session_invalid']);
    }
    const merchantOps = operationsWith('bearer');
    expect(merchantOps.length).toBeGreaterThan(40);
    for (const op of merchantOps) {
      const answer = await http(stack.api.baseUrl, op.method, op.url, { key: token, body: op.body });
      expect([op.method, op.url, answer.status, answer.body?.error?.code]).toEqual([
        op.method,
        op.url,
        403,
        'permission_denied',
      ]);
    }
  }, 60_000);

  it('answers 401 portal_session_expired once the session expired, and portal_session_invalid for unknown tokens', async () => {
    const created = await session({ customer: first, expires_in: 300 });
    const token = (created.body.url as string).split('#token=')[1]!;
    expect((await portal(token, '/v1/portal/session')).status).toBe(200);
    await stack.sql.query(
      `UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [created.body.id],
    );
    for (const path of ['/v1/portal/session', '/v1/portal/usage', '/v1/portal/invoices']) {
      const answer = await portal(token, path);
      expect([path, answer.status, answer.body.error]).toEqual([
        path,
        401,
        expect.objectContaining({ type: 'authentication_error', code: 'portal_session_expired' }),
      ]);
    }
    const unknown = await portal(`pst_${'A'.repeat(43)}`, '/v1/portal/session');
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'portal_session_invalid']);
    const garbled = await portal('pst_short', '/v1/portal/session');
    expect([garbled.status, garbled.body.error.code]).toEqual([401, 'portal_session_invalid']);
  });
});
