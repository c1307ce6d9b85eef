import type { Page } from 'playwright-core';
import { customerWithCard, sumMetric, type Call } from '../support/billing-fixtures.js';
import { axeViolations, chartData, fitsViewport, screenshot, signIn } from '../support/browser.js';
import { startBrowserStack, type BrowserStack } from '../support/browser-stack.js';
import { LAST_YEAR } from '../support/calendar.js';
import { eventually } from '../support/test-stack.js';

interface ApiEvent {
  id: string;
  reference: string;
  status: string;
  customer: string | null;
  account: string | null;
  event_name: string;
  value: string | null;
  voided: boolean;
  amended: boolean;
  version: number;
}

/** A row of the events table as the page shows it, and the same read from an API event. */
interface Row {
  reference: string;
  lifecycle: string;
  payer: string;
  metric: string;
  value: string;
  marks: string;
}

const rowOf = (event: ApiEvent): Row => {
  const marks = [event.voided && 'voided', event.amended && 'amended'].filter(Boolean).join(', ');
  return {
    reference: event.reference,
    lifecycle: event.status,
    payer: (event.customer ?? event.account)!,
    metric: event.event_name,
    value: event.value ?? '—',
    marks: marks ? `${marks} (version ${event.version})` : '—',
  };
};

function rowsOnPage(page: Page): Promise<Row[]> {
  return page.locator('table.events-table tbody tr').evaluateAll((trs: any[]) =>
    trs.map((tr) => ({
      reference: tr.querySelector('.events-reference').textContent,
      lifecycle: tr
        .querySelector('[aria-current=step]')
        .textContent.replace(/[✓·]|\(reached\)/g, '')
        .trim(),
      payer: tr.querySelector('.events-payer').textContent,
      metric: tr.querySelector('.events-metric').textContent,
      value: tr.querySelector('.events-value').textContent,
      marks: tr.querySelector('.events-marks').textContent,
    })),
  );
}

/**
 * The Events and Pipeline health pages in Chromium against the compiled API, a worker and
 * Temporal: rows are what GET /v1/billing/metering_events answers, statuses move as the rollup
 * and an invoice move them, and the health page plots and counts what GET /v1/pipeline/health answers.
 */
describe('the events and pipeline health pages in a real browser', () => {
  let stack: BrowserStack;
  let call: Call;
  let customer: string;

  const apiEvents = async (query: string): Promise<{ data: ApiEvent[]; has_more: boolean }> =>
    (await call('GET', `/v1/billing/metering_events?${query}`)).body;

  const openEvents = async (size?: { width: number; height: number }) => {
    const opened = await stack.open(size);
    await signIn(opened.page, stack.baseUrl, stack.key);
    await opened.page.getByRole('link', { name: 'Events' }).click();
    await opened.page.getByRole('heading', { name: 'Events' }).waitFor();
    await opened.page.locator('table.events-table').waitFor();
    return opened;
  };

  beforeAll(async () => {
    stack = await startBrowserStack({ merchantName: 'Pipeline merchant' });
    call = stack.call;
    ({ customer } = await customerWithCard(call, 'tok_visa'));
    await sumMetric(call, 'pipeline_calls', '0.01');
    // Last March's usage, billed and paid; then 55 events of now, more than a page.
    const billed = [1, 2].map((i) => ({
      customer,
      event_name: 'pipeline_calls',
      reference: `billed-${i}`,
      value: String(i * 10),
      timestamp: `${LAST_YEAR}-03-0${i}T12:00:00Z`,
    }));
    expect((await call('POST', '/v1/billing/metering_events/batch', { events: billed })).body.created).toBe(
      2,
    );
    const recent = Array.from({ length: 55 }, (_, i) => ({
      customer,
      event_name: 'pipeline_calls',
      reference: `recent-${String(i).padStart(2, '0')}`,
      value: String(i + 1),
    }));
    expect((await call('POST', '/v1/billing/metering_events/batch', { events: recent })).body.created).toBe(
      55,
    );
    const amended = (await apiEvents('reference=recent-03')).data[0]!;
    expect(
      (await call('POST', `/v1/billing/metering_events/${amended.id}/amend`, { value: '40' })).status,
    ).toBe(200);
    expect((await call('POST', '/v1/billing/metering_events/void', { reference: 'recent-04' })).status).toBe(
      200,
    );
    await eventually(async () => (await apiEvents('status=logged&limit=1')).data.length === 0, {
      what: 'the rollup to fold every event',
      timeoutMs: 60_000,
    });
    const invoice = await call('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-03-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-04-01T00:00:00Z`,
      collection_method: 'auto_charge',
    });
    expect(invoice.status).toBe(201);
    await eventually(async () => (await apiEvents('reference=billed-1')).data[0]?.status === 'paid', {
      what: 'the billed events to be paid',
      timeoutMs: 60_000,
    });
  }, 180_000);

  afterAll(() => stack?.stop());

  it('lists the latest events, 50 a page, each row as the API answers it, with the rollup above', async () => {
    const { page, problems } = await openEvents();
    const first = await apiEvents('limit=50');
    expect(first.has_more).toBe(true);
    expect(await rowsOnPage(page)).toEqual(first.data.map(rowOf));
    // The rollup has folded everything: what the endpoint says, the page says.
    const health = (await call('GET', '/v1/pipeline/health')).body;
    expect(health.rollup.backlog).toBe(0);
    expect(await page.locator('.events-backlog').textContent()).toBe(`${health.rollup.backlog} events`);
    expect(await page.locator('.events-lag').textContent()).toBe(`${health.rollup.lag_seconds} s`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-events.png');

    await page.getByRole('button', { name: 'Next page' }).click();
    const second = await apiEvents(`limit=50&starting_after=${first.data.at(-1)!.id}`);
    await eventually(async () => (await rowsOnPage(page))[0]?.reference === second.data[0]!.reference, {
      what: 'the second page',
    });
    expect(await rowsOnPage(page)).toEqual(second.data.map(rowOf));
    expect(second.data).toHaveLength(7);
    // The corrected ones are among the oldest, on the second page.
    expect(second.data.map(rowOf)).toContainEqual(
      expect.objectContaining({ reference: 'recent-03', value: '40', marks: 'amended (version 2)' }),
    );
    expect(second.data.map(rowOf)).toContainEqual(
      expect.objectContaining({ reference: 'recent-04', marks: 'voided (version 2)' }),
    );
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('shows each step of the lifecycle in words: aggregated after the rollup, paid once invoiced and paid', async () => {
    const { page, problems } = await openEvents();
    const lifecycle = page.locator('tr', { hasText: 'recent-10' }).locator('ol.events-lifecycle');
    expect(await lifecycle.getAttribute('aria-label')).toBe('Lifecycle: aggregated');
    expect(await lifecycle.locator('li').allTextContents()).toEqual([
      '✓ logged (reached)',
      '✓ aggregated (reached)',
      '· invoiced (not yet)',
      '· paid (not yet)',
    ]);
    await page.locator('select[name=status]').selectOption('paid');
    await page.getByRole('button', { name: 'Search' }).click();
    const paid = await apiEvents('status=paid');
    expect(paid.data.map((event) => event.reference).sort()).toEqual(['billed-1', 'billed-2']);
    await eventually(async () => (await rowsOnPage(page)).length === 2, { what: 'the paid events' });
    expect(await rowsOnPage(page)).toEqual(paid.data.map(rowOf));
    expect(await page.locator('tr', { hasText: 'billed-1' }).locator('li').allTextContents()).toEqual([
      '✓ logged (reached)',
      '✓ aggregated (reached)',
      '✓ invoiced (reached)',
      '✓ paid (reached)',
    ]);
    expect(problems).toEqual([]);
  });

  it('finds exactly the event of a reference, and nothing for one never logged', async () => {
    const { page, problems } = await openEvents();
    await page.getByLabel('Reference').fill('recent-1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No events with reference recent-1.').waitFor();
    await page.getByLabel('Reference').fill('recent-12');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(async () => (await rowsOnPage(page)).length === 1, { what: 'the one event' });
    const found = await apiEvents('reference=recent-12');
    expect(found.data).toHaveLength(1);
    expect(await rowsOnPage(page)).toEqual(found.data.map(rowOf));
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('plots the ingestion the endpoint answers and counts the workflows it counts', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.baseUrl, stack.key);
    await page.getByRole('link', { name: 'Pipeline health' }).click();
    await page.getByRole('heading', { name: 'Pipeline health' }).waitFor();
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.url().endsWith('/v1/pipeline/health')),
      page.getByRole('button', { name: 'Refresh' }).click(),
    ]);
    const health = await response.json();
    const plotted = health.ingestion.per_minute.map((minute: { start: string; events: number }) => [
      minute.start,
      minute.events,
    ]);
    const [series] = await eventually(
      async () => {
        const data = await chartData(page);
        return data !== null && JSON.stringify(data[0]) === JSON.stringify(plotted) ? data : undefined;
      },
      { what: "the chart of the endpoint's per_minute" },
    );
    expect(series).toEqual(plotted);
    expect(series).toHaveLength(60);
    // The page's answer is the endpoint's: 57 events logged in this test's last minutes.
    const direct = (await call('GET', '/v1/pipeline/health')).body;
    expect(direct.ingestion.events_last_hour).toBe(57);
    expect(plotted.reduce((sum: number, [, events]: [string, number]) => sum + events, 0)).toBe(57);

    const cells = (selector: string) =>
      page
        .locator(`${selector} tbody tr`)
        .evaluateAll((trs: any[]) =>
          trs.map((tr) => Array.from(tr.children, (cell: any) => cell.textContent)),
        );
    expect(await cells('table.health-by-status')).toEqual(
      Object.entries(health.workflows.by_status).map(([status, count]) => [
        status.replace(/_/g, ' '),
        String(count),
      ]),
    );
    expect(await cells('table.health-by-type')).toEqual(
      health.workflows.by_type.map((row: { type: string; status: string; count: number }) => [
        row.type,
        row.status.replace(/_/g, ' '),
        String(row.count),
      ]),
    );
    expect(health.workflows.by_type.map((row: { type: string }) => row.type)).toContain('invoiceLifecycle');
    const total = (term: string) => page.locator('dl.totals div').filter({ hasText: term }).locator('dd');
    expect(await total('Rollup backlog').textContent()).toBe(`${health.rollup.backlog} events`);
    expect(await total('Events, last hour').textContent()).toBe(String(health.ingestion.events_last_hour));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-health.png');
    expect(problems).toEqual([]);
  });

  it('fits a phone without horizontal scroll, both pages', async () => {
    const { page, problems } = await openEvents({ width: 390, height: 844 });
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Pipeline health' }).click();
    await page.locator('table.health-by-status').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
