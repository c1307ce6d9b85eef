import type { Page } from 'playwright-core';
import { when } from '../../dashboard/src/format.js';
import { customerWithCard, manualDraft } from '../support/billing-fixtures.js';
import { startBrowserStack, type BrowserStack } from '../support/browser-stack.js';
import { axeViolations, fitsViewport, screenshot, signIn } from '../support/browser.js';
import { eventually } from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** An attempt's time as the event page shows it: to the second, in UTC. */
const toTheSecond = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

const rowsOf = (page: Page, selector: string) =>
  page
    .locator(`${selector} tbody tr`)
    .evaluateAll((trs: any[]) => trs.map((tr) => Array.from(tr.children, (cell: any) => cell.textContent)));

/**
 * The Webhooks page against the real stack and a real HTTP receiver on 127.0.0.1 (loopback URLs
 * are allowed outside TALLY_ENV=production): a delivery the receiver refuses shows the attempts the
 * API lists, and once the receiver answers 200, Redeliver sends it again and shows that attempt.
 * One retry 300 ms after the first attempt (WEBHOOK_RETRY_SCHEDULE) lets a delivery fail for good
 * within a second.
 */
describe('the Webhooks page in a real browser', () => {
  let stack: BrowserStack;
  const receiver = new WebhookReceiver();
  const path = '/hooks';
  let hookUrl: string;
  let eventId: string;

  beforeAll(async () => {
    await receiver.start();
    stack = await startBrowserStack({
      merchantName: 'Webhooks merchant',
      env: { WEBHOOK_RETRY_SCHEDULE: '300ms' },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  const issueInvoice = async (token: string, collection: 'auto_charge' | 'send_invoice') => {
    const { customer } = await customerWithCard(stack.call, token);
    const invoice = await manualDraft(stack.call, customer, '9.00', collection);
    const issued = await stack.call('POST', `/v1/invoices/${invoice}/issue`);
    expect(issued.status).toBe(200);
    return invoice;
  };

  const attemptsOf = async (id: string) =>
    (await stack.call('GET', `/v1/webhook_events/${id}/deliveries?limit=100`)).body.data as any[];

  it('shows a failing delivery with the attempts the API lists, and redelivers it', async () => {
    hookUrl = receiver.script(path, [500]);
    const hook = await stack.call('POST', '/v1/webhook_endpoints', {
      url: hookUrl,
      enabled_events: ['billing.invoice.generated'],
    });
    expect(hook.status).toBe(201);
    const off = await stack.call('POST', '/v1/webhook_endpoints', {
      url: 'https://example.com/switched-off',
      enabled_events: ['billing.charge.failed', 'billing.charge.succeeded'],
    });
    expect(
      (await stack.call('POST', `/v1/webhook_endpoints/${off.body.id}`, { disabled: true })).body.status,
    ).toBe('disabled');

    await issueInvoice('tok_visa', 'send_invoice');
    const event = await eventually(
      async () => {
        const listed = await stack.call('GET', '/v1/webhook_events?type=billing.invoice.generated');
        const found = listed.body.data[0];
        if (!found) return undefined;
        const read = (await stack.call('GET', `/v1/webhook_events/${found.id}`)).body;
        return read.deliveries[0]?.status === 'failed' && read;
      },
      { what: 'the delivery to fail its attempt and its one retry', timeoutMs: 30_000 },
    );
    eventId = event.id;
    const failed = await attemptsOf(eventId);
    expect(failed.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([
      [2, 500],
      [1, 500],
    ]);

    const { page, problems } = await stack.open();
    await signIn(page, stack.baseUrl, stack.key);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByRole('link', { name: eventId }).waitFor();

    const endpoints = (await stack.call('GET', '/v1/webhook_endpoints')).body.data as any[];
    expect(await rowsOf(page, '.webhooks-endpoints')).toEqual(
      endpoints.map((endpoint) => [
        endpoint.url,
        endpoint.status,
        endpoint.enabled_events.join(', '),
        when(endpoint.created),
      ]),
    );
    expect(await rowsOf(page, '.webhooks-events')).toEqual([
      [eventId, 'billing.invoice.generated', when(event.created), `${hookUrl}: failed`],
    ]);

    await page.locator('select[name=type]').selectOption('billing.charge.succeeded');
    await page.getByText('No events of type billing.charge.succeeded.').waitFor();
    await page.locator('select[name=type]').selectOption('billing.invoice.generated');
    await page.getByRole('link', { name: eventId }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-webhooks.png');

    await page.getByRole('link', { name: eventId }).click();
    await page.getByRole('heading', { name: `Event ${eventId}` }).waitFor();
    const attemptRows = (attempts: any[]) =>
      attempts.map((attempt) => [
        String(attempt.attempt),
        toTheSecond(attempt.attempted_at),
        attempt.error ? `HTTP ${attempt.status_code}: ${attempt.error}` : `HTTP ${attempt.status_code}`,
        `${attempt.duration_ms} ms`,
        attempt.response_body ?? '—',
      ]);
    expect(await rowsOf(page, '.webhook-event-attempts')).toEqual(attemptRows(failed));
    const { deliveries: _deliveries, ...payload } = event;
    expect(JSON.parse((await page.locator('.webhook-event-payload').textContent())!)).toEqual(payload);
    expect(await axeViolations(page)).toEqual([]);

    receiver.script(path, [200]);
    const sentBefore = receiver.at(path).length;
    await page.getByRole('button', { name: `Redeliver to ${hookUrl}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Redelivered to ${hookUrl}: attempt 3 succeeded (HTTP 200).` })
      .waitFor({ timeout: 30_000 });

    const sent = receiver.at(path).slice(sentBefore);
    expect(sent.map((request) => [request.headers['webhook-id'], request.answered])).toEqual([
      [eventId, 200],
    ]);
    expect(JSON.parse(sent[0]!.body)).toEqual(payload);
    const afterRedelivery = await attemptsOf(eventId);
    expect(
      afterRedelivery.map((attempt) => [attempt.attempt, attempt.status_code, attempt.succeeded]),
    ).toEqual([
      [3, 200, true],
      [2, 500, false],
      [1, 500, false],
    ]);
    expect(await rowsOf(page, '.webhook-event-attempts')).toEqual(attemptRows(afterRedelivery));
    expect((await stack.call('GET', `/v1/webhook_events/${eventId}`)).body.deliveries[0].status).toBe(
      'succeeded',
    );
    await page.locator('.webhook-event-delivery .status', { hasText: 'succeeded' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-webhook-event.png');
    expect(problems).toEqual([]);
  });

  it('pages through events ten at a time, as GET /v1/webhook_events does', async () => {
    for (let n = 0; n < 11; n += 1) await issueInvoice('tok_visa', 'send_invoice');
    const first = (await stack.call('GET', '/v1/webhook_events?limit=10')).body;
    expect(first.has_more).toBe(true);
    const second = (
      await stack.call('GET', `/v1/webhook_events?limit=10&starting_after=${first.data.at(-1).id}`)
    ).body;
    expect(second.data.length).toBeGreaterThan(0);

    const { page, problems } = await stack.open();
    await signIn(page, stack.baseUrl, stack.key);
    await page.goto(`${stack.baseUrl}/dashboard/webhooks`);
    const shownIds = async (firstId: string) => {
      await page.getByRole('link', { name: firstId }).waitFor();
      return (await rowsOf(page, '.webhooks-events')).map((cells) => cells[0]);
    };
    expect(await shownIds(first.data[0].id)).toEqual(first.data.map((event: any) => event.id));
    await page.getByRole('button', { name: 'Next page' }).click();
    expect(await shownIds(second.data[0].id)).toEqual(second.data.map((event: any) => event.id));
    expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(second.has_more ? 1 : 0);
    await page.getByRole('button', { name: 'First page' }).click();
    expect(await shownIds(first.data[0].id)).toEqual(first.data.map((event: any) => event.id));
    expect(problems).toEqual([]);
  });

  it('reads on a phone: the list and the event fit 390×844 with no horizontal scroll', async () => {
    const { page, problems } = await stack.open({ width: 390, height: 844 });
    await signIn(page, stack.baseUrl, stack.key);
    await page.goto(`${stack.baseUrl}/dashboard/webhooks`);
    await page.locator('.webhooks-events').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${stack.baseUrl}/dashboard/webhooks/${eventId}`);
    await page.locator('.webhook-event-attempts').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("shows an invoice's next retry time on a declining card, and none once there is no retry", async () => {
    const declined = await issueInvoice('tok_chargeDeclined', 'auto_charge');
    const invoice = await eventually(
      async () => {
        const body = (await stack.call('GET', `/v1/invoices/${declined}`)).body;
        return body.attempt_count === 1 && body.next_payment_attempt !== null && body;
      },
      { what: 'the first charge to be declined', timeoutMs: 30_000 },
    );
    expect(Date.parse(invoice.next_payment_attempt)).toBeGreaterThan(Date.now());
    const paid = await issueInvoice('tok_visa', 'auto_charge');
    await eventually(async () => (await stack.call('GET', `/v1/invoices/${paid}`)).body.status === 'paid', {
      what: 'the invoice to be paid',
      timeoutMs: 30_000,
    });

    const { page, problems } = await stack.open({ width: 390, height: 844 });
    await signIn(page, stack.baseUrl, stack.key);
    await page.goto(`${stack.baseUrl}/dashboard/invoices/${declined}`);
    await page.getByRole('row', { name: /card_declined|declined/i }).waitFor();
    expect(await page.locator('.invoice-next-retry').textContent()).toBe(
      `Next retry: ${when(invoice.next_payment_attempt)}`,
    );
    expect(await fitsViewport(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${stack.baseUrl}/dashboard/invoices/${paid}`);
    await page.getByRole('row', { name: /succeeded/ }).waitFor();
    expect(await page.locator('.invoice-next-retry').textContent()).toBe('No retry scheduled');
    expect(problems).toEqual([]);
  });
});
