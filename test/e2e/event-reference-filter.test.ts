import { caller, sumMetric, type Call } from '../support/billing-fixtures.js';
import { createMerchant, useTestStack } from '../support/test-stack.js';

/** GET /v1/billing/metering_events?reference=: exactly the event logged with it, for its merchant only. */
describe('the reference filter of GET /v1/billing/metering_events', () => {
  const stack = useTestStack();
  let a: Call;
  let b: Call;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    a = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl, 'Reference A')).key);
    b = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl, 'Reference B')).key);
    for (const [call, tag] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      const customer = (await call('POST', '/v1/customers', { name: `payer ${tag}` })).body.id;
      await sumMetric(call, 'filtered_calls', '0.01');
      for (const reference of ['order-1', 'order-10', 'ORDER-1', `only-${tag}`]) {
        const logged = await call('POST', '/v1/billing/metering_events', {
          customer,
          event_name: 'filtered_calls',
          reference,
          value: '2',
        });
        expect(logged.status).toBe(201);
        ids[`${tag}:${reference}`] = logged.body.id;
      }
    }
  });

  const references = async (call: Call, query: string) => {
    const answer = await call('GET', `/v1/billing/metering_events?${query}`);
    expect(answer.status).toBe(200);
    return answer.body.data.map((event: { id: string; reference: string }) => [event.id, event.reference]);
  };

  it('matches the reference exactly: no prefix, no other case', async () => {
    expect(await references(a, 'reference=order-1')).toEqual([[ids['a:order-1'], 'order-1']]);
    expect(await references(a, 'reference=ORDER-1')).toEqual([[ids['a:ORDER-1'], 'ORDER-1']]);
    expect(await references(a, 'reference=order-')).toEqual([]);
  });

  it("shows a merchant only its own event, and nothing for another merchant's reference", async () => {
    expect(await references(b, 'reference=order-1')).toEqual([[ids['b:order-1'], 'order-1']]);
    expect(await references(b, 'reference=only-a')).toEqual([]);
    expect(await references(a, 'reference=only-b')).toEqual([]);
  });

  it('answers an amended or voided event once, as its current version, and combines with the other filters', async () => {
    const amended = await a('POST', `/v1/billing/metering_events/${ids['a:order-10']}/amend`, { value: '5' });
    expect(amended.status).toBe(200);
    const listed = (await a('GET', '/v1/billing/metering_events?reference=order-10')).body.data;
    expect(listed).toEqual([
      expect.objectContaining({ id: ids['a:order-10'], value: '5', version: 2, amended: true }),
    ]);
    expect(await references(a, 'reference=order-10&amended=false')).toEqual([]);
    await a('POST', '/v1/billing/metering_events/void', { reference: 'order-10' });
    expect(await references(a, 'reference=order-10&voided=true')).toEqual([[ids['a:order-10'], 'order-10']]);
    expect(await references(a, 'reference=order-10&voided=false')).toEqual([]);
    expect(await references(a, 'reference=order-1&status=paid')).toEqual([]);
    expect(await references(a, 'reference=order-1&status=logged')).toEqual([[ids['a:order-1'], 'order-1']]);
  });

  it('refuses a reference logging could not take: empty, or longer than 255 characters', async () => {
    for (const query of ['reference=', `reference=${'r'.repeat(256)}`]) {
      const answer = await a('GET', `/v1/billing/metering_events?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'parameter_invalid', param: 'reference' });
    }
    expect(await references(a, `reference=${'r'.repeat(255)}`)).toEqual([]);
  });
});
