import type { Page } from 'playwright-core';
import { customerWithCard, manualDraft, sumMetric, type Call } from '../support/billing-fixtures.js';
import { axeViolations, chartData, fitsViewport, screenshot, signIn } from '../support/browser.js';
import { startBrowserStack, type BrowserStack } from '../support/browser-stack.js';
import { eventually } from '../support/test-stack.js';

/** As the dashboard shows an instant (format.ts `when`). */
const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');

const monthStartOf = (instant: number) => {
  const now = new Date(instant);
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
};

/**
 * The usage this test logs is "this month" for the page; a run that starts in the last minutes of
 * a month waits for the next one, so the events and the page are in the same month.
 */
async function sameMonthForAWhile(): Promise<void> {
  const now = new Date();
  const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  if (nextMonth - now.getTime() < 5 * 60_000)
    await new Promise((resolve) => setTimeout(resolve, nextMonth - now.getTime() + 2_000));
}

/** The cells of each body row of the table with `selector`. */
const rowsOf = (page: Page, selector: string) =>
  page
    .locator(`${selector} tbody tr`)
    .evaluateAll((trs: any[]) => trs.map((tr) => Array.from(tr.children, (cell: any) => cell.textContent)));

/** The customers pages against the real stack: search, usage this month, credits, subscriptions, invoices. */
describe('the dashboard customers pages in a real browser', () => {
  let stack: BrowserStack;
  let baseUrl: string;
  let key: string;
  let call: Call;
  let prepaid: string;
  let subscribed: string;
  let subscription: string;
  let invoiceNumber: string;

  beforeAll(async () => {
    await sameMonthForAWhile();
    stack = await startBrowserStack({ merchantName: 'Customers merchant' });
    ({ baseUrl, key, call } = stack);
    await sumMetric(call, 'api_calls', '0.01');
    await sumMetric(call, 'storage_gb', '0.5');
    await sumMetric(call, 'unused_metric', '1');
    for (let i = 0; i < 24; i += 1) await call('POST', '/v1/customers', { name: `Filler ${i}` });
    await call('POST', '/v1/customers', { name: 'Acme Rockets', email: 'ops@acme.test' });
    prepaid = (
      await call('POST', '/v1/customers', {
        name: 'Zephyrine Quokka Labs',
        email: 'billing@zq.test',
        external_id: 'zq-7',
      })
    ).body.id;
    ({ customer: subscribed } = await customerWithCard(call, 'tok_visa'));

    const grant = await call('POST', '/v1/billing/credits', {
      customer: prepaid,
      amount: '100.00',
      currency: 'usd',
      paid: false,
      description: 'Welcome credits',
    });
    expect(grant.status).toBe(201);
    // Timestamps in the last minutes, never before the month started: this month's usage.
    const now = Date.now();
    const from = Math.max(monthStartOf(now), now - 10 * 60_000);
    const at = (i: number) => new Date(from + ((now - from) * i) / 6).toISOString();
    const events = [
      ['api_calls', '100'],
      ['api_calls', '200'],
      ['storage_gb', '4'],
      ['api_calls', '300'],
      ['storage_gb', '6'],
    ].map(([event_name, value], i) => ({
      customer: prepaid,
      event_name,
      value,
      reference: `r-${i}`,
      timestamp: at(i + 1),
    }));
    const logged = await call('POST', '/v1/billing/metering_events/batch', { events });
    expect(logged.body.created).toBe(events.length);
    // 600 calls at 0.01 and 10 GB at 0.5: the rollup draws 11.00 from the grant.
    await eventually(
      async () =>
        (await call('GET', `/v1/billing/report/threshold_progress?customer_id=${prepaid}`)).body.consumed ===
        '11.00',
      { timeoutMs: 60_000, what: 'the draws of the usage' },
    );
    const invoice = await manualDraft(call, prepaid, '12.50', 'send_invoice');
    invoiceNumber = (await call('POST', `/v1/invoices/${invoice}/issue`)).body.number;

    const created = await call('POST', '/v1/subscriptions', {
      customer: subscribed,
      interval: 'month',
      base_amount: '25.00',
      currency: 'usd',
      items: [{ metric: 'api_calls', included_quantity: '1000' }],
      collection_method: 'auto_charge',
    });
    expect(created.status).toBe(201);
    subscription = created.body.id;
    await eventually(
      async () => {
        const [sub, invoices] = await Promise.all([
          call('GET', `/v1/subscriptions/${subscription}`),
          call('GET', `/v1/invoices?customer=${subscribed}`),
        ]);
        return sub.body.current_period_start !== null && invoices.body.data.length > 0;
      },
      { timeoutMs: 60_000, what: "the subscription's first period and its base-fee invoice" },
    );
  }, 180_000);

  afterAll(() => stack?.stop());

  const open = (options?: { width: number; height: number }) => stack.open(options);

  const openCustomers = async (page: Page) => {
    await signIn(page, baseUrl, key);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  };

  it('lists customers a page at a time, and a search finds only the one it names', async () => {
    const { page, problems } = await open();
    await openCustomers(page);
    const firstPage = (await call('GET', '/v1/customers?limit=25')).body;
    expect(firstPage.has_more).toBe(true);
    await page.getByRole('link', { name: firstPage.data[0].name }).waitFor();
    const ids = async () => (await rowsOf(page, 'table')).map((cells) => cells[3]);
    expect(await ids()).toEqual(firstPage.data.map((customer: any) => customer.id));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-customers.png');

    await page.getByRole('button', { name: 'Next page' }).click();
    const secondPage = (
      await call('GET', `/v1/customers?limit=25&starting_after=${firstPage.data.at(-1).id}`)
    ).body;
    await page.getByRole('button', { name: 'Previous page' }).waitFor();
    expect(await ids()).toEqual(secondPage.data.map((customer: any) => customer.id));
    expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(0);

    // Typed, submitted by Enter: only the recognisable one, as the API's search answers.
    await page.getByLabel('Search').fill('  QUOKKA ');
    await page.getByLabel('Search').press('Enter');
    await page.getByRole('button', { name: 'Previous page' }).waitFor({ state: 'detached' });
    const found = (await call('GET', '/v1/customers?search=quokka')).body.data;
    expect(found.map((customer: any) => customer.id)).toEqual([prepaid]);
    const rows = await eventually(
      async () => {
        const shown = await rowsOf(page, 'table');
        return shown.length === 1 ? shown : undefined;
      },
      { what: 'the search result' },
    );
    expect(rows).toEqual([
      ['Zephyrine Quokka Labs', 'billing@zq.test', 'zq-7', prepaid, when(found[0].created)],
    ]);
    await page.getByLabel('Search').fill('no such customer');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No customer matches “no such customer”.').waitFor();

    await page.getByLabel('Search').fill('zq-7');
    await page.getByLabel('Search').press('Enter');
    await page.getByRole('link', { name: 'Zephyrine Quokka Labs' }).click();
    await page.getByRole('heading', { name: 'Zephyrine Quokka Labs', level: 1 }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/dashboard/customers/${prepaid}`);
    expect(problems).toEqual([]);
  });

  it("plots this month's usage per metric as the report endpoint answers it, with the credits and their ledger", async () => {
    const { page, problems } = await open();
    await signIn(page, baseUrl, key);
    const openedAt = Date.now();
    const progressAnswer = page.waitForResponse((response) =>
      response.url().includes('/v1/billing/report/threshold_progress'),
    );
    await page.goto(`${baseUrl}/dashboard/customers/${prepaid}`);
    await page.getByRole('heading', { name: 'Zephyrine Quokka Labs', level: 1 }).waitFor();

    // The window the page asked for, to the millisecond (its note carries it).
    const window = page.getByRole('region', { name: 'Usage this month', exact: true }).locator('.note time');
    await window.first().waitFor();
    const [start, end] = await window.evaluateAll((times: any[]) => times.map((time) => time.dateTime));
    expect(Date.parse(start)).toBe(monthStartOf(openedAt));
    const metrics = (await call('GET', '/v1/billing/metering?status=active&limit=100')).body.data;
    const reports = await Promise.all(
      metrics.map(
        async (metric: any) =>
          (
            await call(
              'GET',
              `/v1/billing/report/event/${metric.event_name}?customer_id=${prepaid}&start=${start}&end=${end}&window_size=day`,
            )
          ).body,
      ),
    );
    const used = reports.filter((report) => report.event_count > 0);
    expect(used.map((report) => report.event_name).sort()).toEqual(['api_calls', 'storage_gb']);
    // A chart per metric with usage, each plotting the report's periods.
    expect(await page.locator('.customer-usage-charts .chart').count()).toBe(used.length);
    let plottedTotal = 0;
    for (const report of used) {
      const selector = `figure[data-metric="${report.event_name}"] .chart`;
      const plotted = await eventually(async () => (await chartData(page, selector)) ?? undefined, {
        what: `the chart of ${report.name}`,
      });
      expect(plotted).toEqual([report.series.map((period: any) => [period.start, Number(period.quantity)])]);
      plottedTotal += (plotted[0] as [string, number][]).reduce((sum, point) => sum + point[1], 0);
    }
    expect(plottedTotal).toBe(610);
    expect(await rowsOf(page, '[aria-labelledby=customer-usage-title] table')).toEqual(
      reports.map((report) => [
        report.name,
        report.quantity,
        `${report.amount} USD`,
        String(report.event_count),
      ]),
    );

    // Credits: what threshold_progress answered the page, and the ledger the API lists.
    const answered = await (await progressAnswer).json();
    const fact = (term: string) =>
      page.locator('dl.customer-credits div').filter({ hasText: term }).locator('dd').textContent();
    expect(await fact('Balance')).toBe('89.00 USD');
    expect(await fact('Granted')).toBe(`${answered.granted} USD`);
    expect(await fact('Consumed')).toBe('11.00 USD');
    expect(answered.projected_depletion_at).not.toBeNull();
    const shown = await page.locator('.customer-depletion time').getAttribute('datetime');
    expect(shown).toBe(answered.projected_depletion_at);
    // The projection moves with the clock (now + balance / burn rate): the API's own answer now
    // is later than the page's by at most the time since the page opened.
    const progress = (await call('GET', `/v1/billing/report/threshold_progress?customer_id=${prepaid}`)).body;
    const since = Date.now() - openedAt;
    const lag = Date.parse(progress.projected_depletion_at) - Date.parse(shown!);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(since);

    const ledger = (await call('GET', `/v1/billing/credits/ledger?customer_id=${prepaid}&limit=20`)).body
      .data;
    expect(ledger.map((entry: any) => entry.kind)).toContain('draw');
    expect(ledger.at(-1).kind).toBe('grant');
    expect(await rowsOf(page, 'table.customer-ledger')).toEqual(
      ledger.map((entry: any) => [
        when(entry.created_at),
        entry.kind,
        `${entry.amount} USD`,
        `${entry.balance_after} USD`,
        entry.grant,
      ]),
    );

    const invoices = (await call('GET', `/v1/invoices?customer=${prepaid}`)).body.data;
    expect(await rowsOf(page, 'table.customer-invoices')).toEqual(
      invoices.map((invoice: any) => [
        invoice.number,
        invoice.status,
        `${invoice.total} USD`,
        `${invoice.amount_due} USD`,
        when(invoice.created),
      ]),
    );
    expect(await page.getByRole('link', { name: invoiceNumber }).getAttribute('href')).toBe(
      `/dashboard/invoices/${invoices[0].id}`,
    );
    await page.getByText('No subscriptions.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-customer.png');
    expect(problems).toEqual([]);
  });

  it('shows a subscription with its current period, its invoices, and reads well without credits or usage', async () => {
    const { page, problems } = await open();
    await signIn(page, baseUrl, key);
    await page.goto(`${baseUrl}/dashboard/customers/${subscribed}`);
    await page.getByRole('heading', { name: 'pays with tok_visa', level: 1 }).waitFor();
    const sub = (await call('GET', `/v1/subscriptions/${subscription}`)).body;
    await page.locator('table.customer-subscriptions').waitFor();
    expect(await rowsOf(page, 'table.customer-subscriptions')).toEqual([
      [
        subscription,
        '25.00 USD every month, 1 metric',
        sub.status,
        `${when(sub.current_period_start)} – ${when(sub.current_period_end)}`,
      ],
    ]);
    await page.getByText('No credits: this customer has never had a grant.').waitFor();
    await page.getByText('No usage this month.').waitFor();
    expect(await page.locator('.chart').count()).toBe(0);

    const invoices = (await call('GET', `/v1/invoices?customer=${subscribed}`)).body.data;
    await page.locator('table.customer-invoices').waitFor();
    expect((await rowsOf(page, 'table.customer-invoices')).map((cells) => cells[0])).toEqual(
      invoices.map((invoice: any) => invoice.number ?? invoice.id),
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: invoices[0].number ?? invoices[0].id }).click();
    await page.getByRole('heading', { name: `Invoice ${invoices[0].number ?? invoices[0].id}` }).waitFor();
    expect(problems).toEqual([]);
  });

  it('reads on a phone: no horizontal scroll at 390×844, list and customer', async () => {
    const { page, problems } = await open({ width: 390, height: 844 });
    await openCustomers(page);
    await page.locator('table').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/dashboard/customers/${prepaid}`);
    await page.locator('table.customer-ledger').waitFor();
    await eventually(async () => (await page.locator('.chart canvas').count()) === 2, { what: 'the charts' });
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
