import pg from 'pg';
import type { Locator, Page } from 'playwright-core';
import { caller, manualDraft, sumMetric, type Call } from '../support/billing-fixtures.js';
import { startBrowserStack, type BrowserStack } from '../support/browser-stack.js';
import { axeViolations, chartData, fitsViewport, screenshot } from '../support/browser.js';
import { createMerchant, eventually, http } from '../support/test-stack.js';

const A_NAME = 'Ada Portalview';
const B_NAME = 'Bertram Hiddenfield';
const ELSEWHERE_NAME = 'Cosima Othermerchant';

/** Waits out the last minutes of a UTC month, so "this period" (the calendar month) holds for the whole test. */
async function awayFromMonthEnd(): Promise<void> {
  const now = new Date();
  const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  if (nextMonth - now.getTime() < 5 * 60_000)
    await new Promise((resolve) => setTimeout(resolve, nextMonth - now.getTime() + 2000));
}

/** An instant between the start of this UTC month and a little before now (`fraction` of the way). */
function thisMonth(fraction: number): string {
  const now = new Date(Date.now() - 1000);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return new Date(start + (now.getTime() - start) * fraction).toISOString();
}

const tokenOf = (url: string) => url.split('#token=')[1]!;

/**
 * The customer portal page (dist/dashboard/portal.html at /portal) in Chromium against the
 * compiled API: a session's link shows its payer alone (what the chart plots and the totals, credits
 * and invoices shown are what the portal API answers), the token leaves the address bar and never
 * reaches a log, and an expired or unknown link shows a refusal and nothing of the payer.
 */
describe('the customer portal in a real browser', () => {
  let stack: BrowserStack;
  let call: Call;
  let customerA: string;
  let customerB: string;
  let invoiceA: { id: string; number: string };
  let invoiceB: { id: string; number: string };
  let elsewhere: { customer: string; invoice: { id: string; number: string } };
  const tokens: string[] = [];

  const issued = async (on: Call, customer: string, amount: string) => {
    const id = await manualDraft(on, customer, amount, 'send_invoice');
    const answer = await on('POST', `/v1/invoices/${id}/issue`);
    expect(answer.status).toBe(200);
    return { id, number: answer.body.number as string };
  };
  const sessionFor = async (body: Record<string, unknown>) => {
    const created = await call('POST', '/v1/portal_sessions', body);
    expect(created.status).toBe(201);
    tokens.push(tokenOf(created.body.url));
    return created.body as { id: string; url: string };
  };
  const portal = async (token: string, path: string) => {
    const answer = await http(stack.baseUrl, 'GET', path, { key: token });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };

  /** What the page reads, from the API: read before and after the page, as some of it moves with now. */
  const portalReads = async (token: string) => ({
    usage: await portal(token, '/v1/portal/usage'),
    credits: await portal(token, '/v1/portal/credits'),
    upcoming: await portal(token, '/v1/portal/upcoming_invoice'),
  });

  /** Opens the link and waits for every section to have loaded. */
  const openPortal = async (page: Page, url: string) => {
    await page.goto(url);
    await page.getByRole('heading', { name: `Billing for ${A_NAME}` }).waitFor();
    await page.locator('.portal-metric .chart canvas').first().waitFor();
    await page.locator('table.portal-invoices').waitFor();
    await page.locator('.portal-credits').first().waitFor();
    await page.locator('.portal-upcoming .portal-total').waitFor();
  };

  beforeAll(async () => {
    await awayFromMonthEnd();
    stack = await startBrowserStack({ merchantName: 'Portal shop', env: { LOG_LEVEL: 'info' } });
    call = stack.call;
    customerA = (await call('POST', '/v1/customers', { name: A_NAME })).body.id;
    customerB = (await call('POST', '/v1/customers', { name: B_NAME })).body.id;
    await sumMetric(call, 'api_calls', '0.05');
    await sumMetric(call, 'storage_gb', '0.10');
    // Credits first: usage draws from them as the rollup folds it, and a fold before any grant
    // draws nothing (the next invoice charges it), so granting after logging raced the rollup.
    for (const [customer, amount] of [
      [customerA, '25.00'],
      [customerB, '40.00'],
    ] as const) {
      const granted = await call('POST', '/v1/billing/credits', {
        customer,
        amount,
        currency: 'usd',
        paid: false,
      });
      expect(granted.status).toBe(201);
    }
    const events = [
      { customer: customerA, event_name: 'api_calls', value: '12', timestamp: thisMonth(0.1) },
      { customer: customerA, event_name: 'api_calls', value: '30', timestamp: thisMonth(0.6) },
      { customer: customerA, event_name: 'storage_gb', value: '4', timestamp: thisMonth(0.9) },
      { customer: customerB, event_name: 'api_calls', value: '98765', timestamp: thisMonth(0.5) },
      { customer: customerB, event_name: 'storage_gb', value: '43210', timestamp: thisMonth(0.5) },
    ].map((event, index) => ({ ...event, reference: `portal-${index}` }));
    const logged = await call('POST', '/v1/billing/metering_events/batch', { events });
    expect(logged.body.created).toBe(events.length);
    invoiceA = await issued(call, customerA, '3.00');
    invoiceB = await issued(call, customerB, '4.00');
    const other = await createMerchant(stack.baseUrl, 'Another shop');
    const otherCall = caller(stack.baseUrl, other.key);
    const otherCustomer = (await otherCall('POST', '/v1/customers', { name: ELSEWHERE_NAME })).body.id;
    elsewhere = { customer: otherCustomer, invoice: await issued(otherCall, otherCustomer, '5.00') };
    // The usage is folded and its credits drawn (in the rollup's one transaction) before the page
    // reads them: reports count the unfolded tail, the balance only what was drawn.
    await eventually(
      async () => {
        const progress = await call(
          'GET',
          `/v1/billing/report/threshold_progress?customer_id=${customerA}&currency=usd`,
        );
        return progress.body.remaining === '22.50';
      },
      { what: "A's credits drawn by its usage" },
    );
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows one payer its usage, credits, upcoming and past invoices, and nothing of any other payer', async () => {
    const session = await sessionFor({ customer: customerA, return_url: 'https://shop.example/account' });
    const token = tokenOf(session.url);
    const { page, problems } = await stack.open();
    const received: { url: string; body: string }[] = [];
    const reading: Promise<void>[] = [];
    page.on('response', (response) => {
      const entry = { url: response.url(), body: '' };
      received.push(entry);
      // A redirect has no body to read.
      reading.push(
        response.text().then(
          (body) => void (entry.body = body),
          () => undefined,
        ),
      );
    });
    const before = await portalReads(token);
    await openPortal(page, session.url);
    const after = await portalReads(token);
    const reads = [before, after];

    // The token left the address bar; it stays in this tab's sessionStorage alone.
    expect(page.url()).toBe(`${stack.baseUrl}/portal`);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('tally.portalToken'))).toBe(
      token,
    );
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
    expect(await page.context().cookies()).toEqual([]);
    expect(received.every((response) => !response.url.includes(token))).toBe(true);

    await expect(page.locator('.brand').textContent()).resolves.toBe('Portal shop');
    expect(await page.getByRole('link', { name: '← Back' }).getAttribute('href')).toBe(
      'https://shop.example/account',
    );

    // Each metric's chart plots the series the API answers (the series ends now, so it may gain a
    // period between two reads: the page equals one of them); its totals are the API's.
    const { usage } = after;
    expect(usage.metrics.map((metric: any) => metric.event_name).sort()).toEqual(['api_calls', 'storage_gb']);
    for (const metric of usage.metrics) {
      const box = page.locator(`.portal-metric[data-metric="${metric.event_name}"]`);
      const [plotted] = (await eventually(
        () => chartData(page, `.portal-metric[data-metric="${metric.event_name}"] .chart`),
        { what: `the chart of ${metric.event_name}` },
      ))!;
      const seriesOf = (read: typeof after) =>
        read.usage.metrics
          .find((candidate: any) => candidate.event_name === metric.event_name)
          .series.map((point: any) => [point.start, Number(point.quantity)]);
      expect(reads.map(seriesOf)).toContainEqual(plotted);
      expect(metric.series.length).toBeGreaterThan(0);
      expect(metric.series.reduce((sum: number, point: any) => sum + Number(point.quantity), 0)).toBe(
        Number(metric.quantity),
      );
      const fact = (term: string) => termIn(box, term).textContent();
      expect(await fact('Quantity')).toBe(metric.quantity);
      expect(await fact('Amount')).toBe(`${metric.amount} USD`);
      expect(await fact('Events')).toBe(String(metric.event_count));
    }
    expect(usage.metrics.find((metric: any) => metric.event_name === 'api_calls').quantity).toBe('42');
    expect(usage.totals).toEqual([{ amount: '2.50', currency: 'usd' }]);
    expect(await page.locator('.portal-usage-totals dd').allTextContents()).toEqual(['2.50 USD']);

    // Credits: remaining, granted, threshold and projected depletion as the API answers them.
    const { credits } = after;
    expect(credits.data).toHaveLength(1);
    const [progress] = credits.data;
    expect(progress).toMatchObject({ granted: '25.00', remaining: '22.50' });
    const credit = (term: string) =>
      termIn(page.locator('.portal-credits[data-currency="usd"]'), term).textContent();
    expect(await credit('Remaining')).toBe(`${progress.remaining} USD`);
    expect(await credit('Granted')).toBe(`${progress.granted} USD`);
    expect(await credit('Warning threshold')).toContain(`${progress.threshold_amount} USD left`);
    // Projected from the recent burn rate, so it moves with now: the page shows one of the two reads.
    const depletion = (read: typeof after) => {
      const at = read.credits.data[0].projected_depletion_at as string | null;
      return at ? `${at.slice(0, 16).replace('T', ' ')} UTC` : 'Not at the recent rate';
    };
    expect(reads.map(depletion)).toContain(await credit('Projected to run out'));
    expect(progress.projected_depletion_at).not.toBeNull();

    // The upcoming invoice: its lines and total.
    const upcomingRows = (read: typeof after) =>
      read.upcoming.lines.data.map((line: any) => [
        line.description,
        line.quantity ?? '—',
        line.unit_amount === null ? '—' : `${line.unit_amount} USD`,
        `${line.amount} USD`,
      ]);
    expect(reads.map(upcomingRows)).toContainEqual(await tableRows(page, '.portal-upcoming tbody tr'));
    expect(after.upcoming.lines.data.length).toBeGreaterThan(0);
    expect(after.upcoming.customer).toBe(customerA);
    expect(reads.map((read) => `${read.upcoming.total} USD`)).toContain(
      await page.locator('.portal-upcoming .portal-total').textContent(),
    );

    // Past invoices: A's alone; one opens to its lines.
    const invoices = await portal(token, '/v1/portal/invoices?limit=100');
    expect(invoices.data.map((invoice: any) => invoice.id)).toEqual([invoiceA.id]);
    expect(await tableRows(page, 'table.portal-invoices tbody tr')).toEqual(
      invoices.data.map((invoice: any) => [
        invoice.number,
        invoice.status,
        `${invoice.total} USD`,
        `${invoice.issued_at.slice(0, 16).replace('T', ' ')} UTC`,
      ]),
    );
    await page.getByRole('button', { name: invoiceA.number }).click();
    await page.getByRole('heading', { name: `Invoice ${invoiceA.number}` }).waitFor();
    const full = await portal(token, `/v1/portal/invoices/${invoiceA.id}`);
    expect(await tableRows(page, '.portal-invoice tbody tr')).toEqual(
      full.lines.data.map((line: any) => [
        line.description,
        line.quantity,
        `${line.unit_amount} USD`,
        `${line.amount} USD`,
      ]),
    );
    expect(await page.locator('.portal-invoice .portal-total').textContent()).toBe(`${full.total} USD`);

    // Nothing of B, nor of the other merchant's payer, in the page or in anything it received.
    await page.waitForLoadState('networkidle');
    await Promise.all(reading);
    const text = await page.locator('body').innerText();
    expect(text).toContain(A_NAME);
    expect(text).toContain(invoiceA.number);
    expect(received.some((response) => response.body.includes(customerA))).toBe(true);
    // (The other merchant's invoice number is INV-000001 too: numbers count per merchant.)
    const apiAnswers = received.filter((response) => response.url.startsWith(`${stack.baseUrl}/v1/`));
    expect(apiAnswers.length).toBeGreaterThanOrEqual(5);
    for (const secret of [customerB, B_NAME, invoiceB.id, invoiceB.number, '98765', '43210'].concat([
      elsewhere.customer,
      ELSEWHERE_NAME,
      elsewhere.invoice.id,
    ])) {
      expect({ secret, inPage: text.includes(secret) }).toEqual({ secret, inPage: false });
      const leaks = (/^\d+$/.test(secret) ? apiAnswers : received)
        .filter((response) => response.body.includes(secret))
        .map((response) => response.url);
      expect({ secret, leaks }).toEqual({ secret, leaks: [] });
    }

    // A reload in the same tab still works (the token is in sessionStorage).
    await page.reload();
    await page.getByRole('heading', { name: `Billing for ${A_NAME}` }).waitFor();
    await page.locator('table.portal-invoices').waitFor();

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal.png');
    expect(problems).toEqual([]);
  }, 120_000);

  it('reads on a phone: no horizontal scroll at 390×844, axe-clean', async () => {
    const session = await sessionFor({ customer: customerA });
    const { page, problems } = await stack.open({ width: 390, height: 844 });
    await openPortal(page, session.url);
    expect(await fitsViewport(page)).toBe(true);
    expect(await page.getByRole('link', { name: '← Back' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'portal-phone.png');
    expect(problems).toEqual([]);
  }, 60_000);

  it('refuses an expired link and an unknown one, showing nothing of the payer', async () => {
    const session = await sessionFor({ customer: customerA, expires_in: 300 });
    const client = new pg.Client({ connectionString: stack.database.url });
    await client.connect();
    try {
      // A fixture: an hour-old link, without waiting the five minutes out.
      await client.query(
        `UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [session.id],
      );
    } finally {
      await client.end();
    }
    const refusals = [
      { url: session.url, heading: 'This link has expired', shot: 'portal-expired.png' },
      { url: `${stack.baseUrl}/portal#token=pst_${'x'.repeat(43)}`, heading: 'This link is not valid' },
      { url: `${stack.baseUrl}/portal#token=garbage`, heading: 'This link is not valid' },
      { url: `${stack.baseUrl}/portal/`, heading: 'This link is not valid' },
    ];
    for (const refusal of refusals) {
      const { page, problems } = await stack.open({ width: 390, height: 844 });
      await page.goto(refusal.url);
      await page.getByRole('heading', { name: refusal.heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(page.url()).not.toContain('token');
      const text = await page.locator('body').innerText();
      expect(text).toContain('request a new link');
      for (const secret of [A_NAME, customerA, invoiceA.number, invoiceA.id, 'Portal shop', 'USD'])
        expect({ secret, inPage: text.includes(secret) }).toEqual({ secret, inPage: false });
      expect(await page.locator('.chart, table').count()).toBe(0);
      expect(await fitsViewport(page)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      if (refusal.shot) await screenshot(page, refusal.shot);
      // The refused read is the one console error the browser reports (a failed fetch's 401).
      expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
    }
  }, 90_000);

  it('serves the page with the dashboard security headers, and no log line holds a token', async () => {
    for (const path of ['/portal', '/portal/']) {
      const response = await fetch(`${stack.baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="app">');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    const output = stack.apiOutput();
    // The request log is on (the portal page's reads are in it), and not one token is.
    expect(output).toContain('/v1/portal/usage');
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    for (const token of tokens) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.slice(4));
    }
  });
});

/** The <dd> of the <dt> whose text is exactly `term`, in `list`. */
function termIn(list: Locator, term: string): Locator {
  return list.locator('div', { has: list.page().getByText(term, { exact: true }) }).locator('dd');
}

/** The text of each cell of each row. */
function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page
    .locator(selector)
    .evaluateAll((rows: any[]) =>
      rows.map((row) => Array.from(row.children, (cell: any) => cell.textContent)),
    );
}
