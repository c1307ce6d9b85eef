import type { Page } from 'playwright-core';
import {
  customerWithCard,
  manualDraft,
  sumMetric,
  twoTierMetric,
  type Call,
} from '../support/billing-fixtures.js';
import { axeViolations, chartData, fitsViewport, screenshot, signIn } from '../support/browser.js';
import { startBrowserStack, type BrowserStack } from '../support/browser-stack.js';
import { LAST_YEAR } from '../support/calendar.js';
import { eventually } from '../support/test-stack.js';

/**
 * The dashboard SPA in Debian's Chromium against the compiled API (a child process serving
 * dist/dashboard), a worker, PostgreSQL and Temporal: what it plots is what the report endpoint
 * answers, an invoice is paid and voided from it, and axe-core finds nothing on any page.
 */
describe('the dashboard in a real browser', () => {
  let stack: BrowserStack;
  let baseUrl: string;
  let key: string;
  let call: Call;
  let customer: string;

  const open = (options?: { width: number; height: number }) => stack.open(options);

  beforeAll(async () => {
    stack = await startBrowserStack({
      merchantName: 'Dashboard merchant',
      env: { TEMPORAL_UI_URL: 'http://temporal-ui.test:8233' },
    });
    ({ baseUrl, key, call } = stack);
    ({ customer } = await customerWithCard(call, 'tok_visa'));
    await sumMetric(call, 'api_calls', '0.05');
    // Three days of usage in two regions, a few hours apart, and one event without a region.
    const events = [];
    for (let dayOfMonth = 1; dayOfMonth <= 3; dayOfMonth += 1)
      for (let hour = 0; hour < 6; hour += 1)
        events.push({
          customer,
          event_name: 'api_calls',
          reference: `d${dayOfMonth}-h${hour}`,
          value: String(dayOfMonth * 10 + hour),
          timestamp: `${LAST_YEAR}-03-0${dayOfMonth}T${String(hour * 3).padStart(2, '0')}:15:00Z`,
          metadata: { region: hour % 2 === 0 ? 'eu' : 'us' },
        });
    events.push({
      customer,
      event_name: 'api_calls',
      reference: 'no-region',
      value: '7',
      timestamp: `${LAST_YEAR}-03-02T12:00:00Z`,
    });
    const logged = await call('POST', '/v1/billing/metering_events/batch', { events });
    expect(logged.body.created).toBe(events.length);
  }, 120_000);

  afterAll(() => stack?.stop());

  it('serves the app with strict security headers, an SPA fallback and config.json', async () => {
    for (const path of ['/dashboard/', '/dashboard/invoices/inv_anything']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="app">');
      const policy = response.headers.get('content-security-policy')!;
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      // The page names its hashed assets: a browser must revalidate it to see a new build.
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    const config = await fetch(`${baseUrl}/dashboard/config.json`);
    expect(await config.json()).toEqual({
      temporalUiUrl: 'http://temporal-ui.test:8233',
      namespace: 'default',
    });
  });

  it('signs in with a secret key kept in sessionStorage alone, with no axe violations', async () => {
    const { page, problems } = await open();
    await page.goto(`${baseUrl}/dashboard/`);
    await page.getByRole('heading', { name: 'Sign in to Tally' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in.png');

    // By keyboard alone: Tab reaches the key field, Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('api-key');
    await page.keyboard.type('sk_test_NotAKeyAtAll000000');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();

    await page.getByLabel('Secret key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Usage explorer' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('tally.apiKey'))).toBe(key);
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
    expect(page.url()).not.toContain(key);
    expect(await page.context().cookies()).toEqual([]);
    // The 401 of the wrong key is the one console error the browser reports (a failed fetch).
    expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
  });

  const showUsage = async (page: Page, windowSize: 'hour' | 'day', payer = customer) => {
    await page.locator('select[name=metric]').selectOption('api_calls');
    await page.locator('select[name=customer]').selectOption(payer);
    await page.locator('input[name=from]').fill(`${LAST_YEAR}-03-01`);
    await page.locator('input[name=to]').fill(`${LAST_YEAR}-03-03`);
    await page.locator('select[name=window_size]').selectOption(windowSize);
    await page.locator('input[name=group_by]').fill('region');
    await page.getByRole('button', { name: 'Show usage' }).click();
    await page.getByRole('heading', { name: 'By region' }).waitFor();
  };

  /** The breakdown table's rows as shown, and as the report's groups say they should read. */
  const breakdownRows = (page: Page) =>
    page
      .getByRole('region', { name: 'Usage by region' })
      .locator('tbody tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => Array.from(tr.children, (cell: any) => cell.textContent)));
  const expectedBreakdown = (report: any) =>
    report.groups.map((group: any) => [
      group.value ?? '(none)',
      group.quantity,
      `${group.amount} USD`,
      String(group.event_count),
    ]);

  it('plots exactly what the report endpoint answers, per day and per hour', async () => {
    const { page, problems } = await open();
    await signIn(page, baseUrl, key);
    for (const windowSize of ['hour', 'day'] as const) {
      await showUsage(page, windowSize);
      const report = (
        await call(
          'GET',
          `/v1/billing/report/event/api_calls?customer_id=${customer}&start=${LAST_YEAR}-03-01T00:00:00Z&end=${LAST_YEAR}-03-04T00:00:00Z&window_size=${windowSize}&group_by=region`,
        )
      ).body;
      expect(report.series).toHaveLength(windowSize === 'day' ? 3 : 72);
      const [quantities, amounts, counts] = await eventually(
        async () => {
          const data = await chartData(page);
          return data !== null && data[0]?.length === report.series.length ? data : undefined;
        },
        { what: `the chart of ${report.series.length} periods` },
      );
      expect(quantities).toEqual(report.series.map((p: any) => [p.start, Number(p.quantity)]));
      expect(amounts).toEqual(report.series.map((p: any) => [p.start, Number(p.amount)]));
      expect(counts).toEqual(report.series.map((p: any) => [p.start, p.event_count]));

      const total = (term: string) => page.locator('dl.totals div').filter({ hasText: term }).locator('dd');
      expect(await total('Quantity').textContent()).toBe(report.quantity);
      expect(await total('Amount').textContent()).toBe(`${report.amount} USD`);
      expect(await total('Events').textContent()).toBe(String(report.event_count));
      expect(await breakdownRows(page)).toEqual(expectedBreakdown(report));
    }
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-usage.png');
    expect(problems).toEqual([]);
  });

  it('adds up all customers and accounts as the report endpoint does with payers=all', async () => {
    const other = (await call('POST', '/v1/customers', { name: 'Second payer' })).body.id;
    const account = (await call('POST', '/v1/accounts', { name: 'An account' })).body.id;
    const logged = await call('POST', '/v1/billing/metering_events/batch', {
      events: [
        {
          customer: other,
          value: '40',
          timestamp: `${LAST_YEAR}-03-02T09:00:00Z`,
          metadata: { region: 'eu' },
        },
        { account, value: '25', timestamp: `${LAST_YEAR}-03-03T18:30:00Z` },
      ].map((event, i) => ({ ...event, event_name: 'api_calls', reference: `all-${i}` })),
    });
    expect(logged.body.created).toBe(2);
    const { page, problems } = await open();
    await signIn(page, baseUrl, key);
    await showUsage(page, 'day', 'all');
    const window = `start=${LAST_YEAR}-03-01T00:00:00Z&end=${LAST_YEAR}-03-04T00:00:00Z`;
    const all = (
      await call(
        'GET',
        `/v1/billing/report/event/api_calls?payers=all&${window}&window_size=day&group_by=region`,
      )
    ).body;
    const alone = (await call('GET', `/v1/billing/report/event/api_calls?customer_id=${customer}&${window}`))
      .body;
    expect(all.payer_count).toBe(3);
    expect(all.event_count).toBe(alone.event_count + 2);
    const [quantities, amounts] = await eventually(
      async () => {
        const data = await chartData(page);
        return data?.[0]?.length === 3 ? data : undefined;
      },
      { what: 'the chart of all payers' },
    );
    expect(quantities).toEqual(all.series.map((p: any) => [p.start, Number(p.quantity)]));
    expect(amounts).toEqual(all.series.map((p: any) => [p.start, Number(p.amount)]));
    const total = (term: string) => page.locator('dl.totals div').filter({ hasText: term }).locator('dd');
    expect(await total('Quantity').textContent()).toBe(all.quantity);
    expect(await total('Amount').textContent()).toBe(`${all.amount} USD`);
    expect(await total('Payers with usage').textContent()).toBe('3');
    expect(await breakdownRows(page)).toEqual(expectedBreakdown(all));
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('reads on a phone: no horizontal scroll at 390×844', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await signIn(page, baseUrl, key);
    await showUsage(page, 'day');
    await eventually(async () => (await chartData(page))?.[0]?.length === 3, { what: 'the chart' });
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-usage-phone.png');
    expect(problems).toEqual([]);
  });

  it('lists invoices by status, opens one with its workflow link, pays it, and voids another', async () => {
    const toPay = await manualDraft(call, customer, '12.50', 'send_invoice');
    const issued = await call('POST', `/v1/invoices/${toPay}/issue`);
    expect(issued.body.status).toBe('open');
    const number = issued.body.number as string;
    const toVoid = await manualDraft(call, customer, '3.00', 'send_invoice');

    const { page, problems } = await open();
    await signIn(page, baseUrl, key);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Invoices' }).click();
    await page.getByRole('link', { name: number }).waitFor();
    expect(await page.getByRole('row').count()).toBe(3); // the header, the open invoice, the draft
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-invoices.png');

    await page.locator('select[name=status]').selectOption('draft');
    await page.getByRole('link', { name: number }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: toVoid }).waitFor();
    await page.locator('select[name=status]').selectOption('open');
    await page.getByRole('link', { name: number }).click();

    await page.getByRole('heading', { name: `Invoice ${number}` }).waitFor();
    expect(await page.getByRole('link', { name: 'Workflow in Temporal UI' }).getAttribute('href')).toBe(
      `http://temporal-ui.test:8233/namespaces/default/workflows/invoice%2F${toPay}`,
    );
    expect(await page.getByRole('row', { name: /Fee/ }).textContent()).toContain('12.50 USD');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.getByRole('status').filter({ hasText: 'the invoice is paid' }).waitFor({ timeout: 30_000 });
    const paid = (await call('GET', `/v1/invoices/${toPay}`)).body;
    expect(paid).toMatchObject({ status: 'paid', amount_due: '0.00' });
    expect(paid.charges).toEqual([expect.objectContaining({ status: 'succeeded', amount: '12.50' })]);
    await page.getByRole('row', { name: /succeeded/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-invoice.png');

    // A deep link (served by the SPA fallback) in the same tab, still signed in.
    await page.goto(`${baseUrl}/dashboard/invoices/${toVoid}`);
    await page.getByRole('button', { name: 'Void…' }).click();
    await page.getByRole('button', { name: 'Confirm void' }).click();
    await page.getByRole('status').filter({ hasText: 'The invoice is void.' }).waitFor();
    expect((await call('GET', `/v1/invoices/${toVoid}`)).body.status).toBe('void');
    expect(problems).toEqual([]);
  });

  it("shows a usage line's tiers as the API bills them", async () => {
    await twoTierMetric(call, 'storage_gb', 'Storage');
    const payer = (await call('POST', '/v1/customers', { name: 'Stores things' })).body.id as string;
    const stored = await call('POST', '/v1/billing/metering_events', {
      customer: payer,
      event_name: 'storage_gb',
      reference: 'storage-1',
      value: '25',
      timestamp: `${LAST_YEAR}-03-10T10:00:00Z`,
    });
    expect(stored.status).toBe(201);
    const created = await call('POST', '/v1/billing/billing_invoice', {
      customer: payer,
      start_date: `${LAST_YEAR}-03-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-04-01T00:00:00Z`,
      collection_method: 'send_invoice',
    });
    const invoice = await eventually(
      async () => {
        const body = (await call('GET', `/v1/invoices/${created.body.id}`)).body;
        return body.status === 'open' && body;
      },
      { what: 'the usage invoice to be issued', timeoutMs: 30_000 },
    );
    const line = invoice.lines.data.find((item: any) => item.tiers?.length);
    expect(line.tiers).toHaveLength(2);

    const { page, problems } = await open();
    await signIn(page, baseUrl, key);
    await page.goto(`${baseUrl}/dashboard/invoices/${invoice.id}`);
    await page.getByRole('heading', { name: `Invoice ${invoice.number}` }).waitFor();
    for (const tier of line.tiers) {
      const row = page.getByRole('row', { name: `Tier ${tier.from}–${tier.to ?? '∞'}` });
      const cells = await row.locator('td').allTextContents();
      expect(cells).toEqual([
        `Tier ${tier.from}–${tier.to ?? '∞'}`,
        tier.quantity,
        expect.stringContaining(tier.unit_amount),
        `${tier.amount} USD`,
      ]);
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
