import { WebhookSender } from '../../src/webhooks/webhook-sender.js';
import { useTestStack } from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('the webhook sender: one POST, its answer or why there was none', () => {
  const stack = useTestStack({ config: { WEBHOOK_TIMEOUT_MS: '300' } });
  const receiver = new WebhookReceiver();
  let sender: WebhookSender;

  beforeAll(async () => {
    await receiver.start();
    sender = stack.api.app.get(WebhookSender);
  });
  afterAll(() => receiver.stop());

  it('posts the body with its headers and keeps the answer', async () => {
    const result = await sender.send(
      receiver.script('/ok', [204], { body: '' }),
      { 'webhook-id': 'evt_1' },
      '{"a":1}',
    );
    expect(result).toMatchObject({ statusCode: 204, responseBody: null, error: null });
    const [request] = receiver.at('/ok');
    expect(request!.body).toBe('{"a":1}');
    expect(request!.headers).toMatchObject({
      'webhook-id': 'evt_1',
      'content-type': 'application/json',
      'user-agent': 'Tally-Webhooks/1',
    });
  });

  it('keeps only the first 1,000 characters of a long answer', async () => {
    const result = await sender.send(receiver.script('/long', [500], { body: 'x'.repeat(50_000) }), {}, '{}');
    expect(result.statusCode).toBe(500);
    expect(result.responseBody).toBe('x'.repeat(1000));
  });

  it('does not follow redirects: a 3xx is the answer', async () => {
    const result = await sender.send(
      receiver.script('/moved', [301], { headers: { location: `${receiver.baseUrl}/ok` } }),
      {},
      '{}',
    );
    expect(result.statusCode).toBe(301);
    expect(receiver.at('/ok')).toHaveLength(1);
  });

  it('gives up when the receiver takes longer than the time limit', async () => {
    const result = await sender.send(receiver.script('/slow', [200], { delayMs: 2000 }), {}, '{}');
    expect(result.statusCode).toBeNull();
    expect(result.error).toBe('no response within 300 ms');
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(1500);
  });

  it('reports a refused connection', async () => {
    const result = await sender.send('http://127.0.0.1:9/', {}, '{}');
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
