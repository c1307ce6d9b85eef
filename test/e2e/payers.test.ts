import { createMerchant, http, useTestStack } from '../support/test-stack.js';

describe.each([
  ['customers', 'customer', 'cus_'],
  ['accounts', 'account', 'acct_'],
])('/v1/%s', (path, object, prefix) => {
  const stack = useTestStack();
  let key: string;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
  });

  it('creates and reads a payer', async () => {
    const created = await call('POST', `/v1/${path}`, {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      external_id: 'ext-1',
      metadata: { plan: 'pro' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(new RegExp(`^${prefix}[0-9a-z]{26}$`)),
      object,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      external_id: 'ext-1',
      metadata: { plan: 'pro' },
      default_payment_method: null,
      created: expect.any(String),
    });
    const read = await call('GET', `/v1/${path}/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('refuses a second payer with the same external_id (409), and the first stands', async () => {
    const first = await call('POST', `/v1/${path}`, { external_id: 'dup-1' });
    const second = await call('POST', `/v1/${path}`, { external_id: 'dup-1', name: 'other' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      type: 'conflict_error',
      code: 'external_id_taken',
      param: 'external_id',
    });
    const listed = await call('GET', `/v1/${path}?external_id=dup-1`);
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([first.body.id]);
  });

  it('paginates newest first with limit and starting_after', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await call('POST', `/v1/${path}`, { name: `page-${i}`, metadata: { batch: 'p' } })).body.id);
    const newestFirst = [...ids].reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await call('GET', `/v1/${path}?limit=2${cursor ? `&starting_after=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.object).toBe('list');
      seen.push(...page.body.data.map((p: { id: string }) => p.id));
      if (!page.body.has_more) break;
      cursor = page.body.data.at(-1).id;
    }
    expect(seen.slice(0, 5)).toEqual(newestFirst);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['starting_after=pm_nope', 'starting_after'],
  ])('refuses ?%s with 400 on %s', async (query, param) => {
    const response = await call('GET', `/v1/${path}?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'parameter_invalid', param });
  });

  it.each([
    [{ email: 'not-an-email' }, 'email', 'parameter_invalid'],
    [{ name: 42 }, 'name', 'parameter_invalid'],
    [{ metadata: { k: 1 } }, 'metadata', 'parameter_invalid'],
    [
      { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
      'metadata',
      'parameter_invalid',
    ],
    [{ surprise: true }, 'surprise', 'parameter_unknown'],
  ])('refuses %j with 400 and writes nothing', async (body, param, code) => {
    const before = await call('GET', `/v1/${path}?limit=100`);
    const response = await call('POST', `/v1/${path}`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
    const after = await call('GET', `/v1/${path}?limit=100`);
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it('attaches payment methods: the first becomes the default, and the default can change', async () => {
    const payer = (await call('POST', `/v1/${path}`, { name: 'cards' })).body;
    const visa = await call('POST', `/v1/${path}/${payer.id}/payment_methods`, { token: 'tok_visa' });
    expect(visa.status).toBe(201);
    expect(visa.body).toEqual({
      id: expect.stringMatching(/^pm_/),
      object: 'payment_method',
      [object]: payer.id,
      card: { brand: 'visa', last4: '4242' },
      created: expect.any(String),
    });
    const declined = await call('POST', `/v1/${path}/${payer.id}/payment_methods`, {
      token: 'tok_chargeDeclined',
    });
    expect((await call('GET', `/v1/${path}/${payer.id}`)).body.default_payment_method).toBe(visa.body.id);

    const changed = await call('POST', `/v1/${path}/${payer.id}`, {
      default_payment_method: declined.body.id,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.default_payment_method).toBe(declined.body.id);

    const listed = await call('GET', `/v1/${path}/${payer.id}/payment_methods`);
    expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([declined.body.id, visa.body.id]);
  });

  it('refuses an unknown token and a payment method of another payer', async () => {
    const payer = (await call('POST', `/v1/${path}`, {})).body;
    const other = (await call('POST', `/v1/${path}`, {})).body;
    const unknown = await call('POST', `/v1/${path}/${payer.id}/payment_methods`, { token: 'tok_unknown' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_token', param: 'token' });

    const othersCard = (await call('POST', `/v1/${path}/${other.id}/payment_methods`, { token: 'tok_visa' }))
      .body;
    const steal = await call('POST', `/v1/${path}/${payer.id}`, { default_payment_method: othersCard.id });
    expect(steal.status).toBe(400);
    expect(steal.body.error.code).toBe('unknown_payment_method');
    expect((await call('GET', `/v1/${path}/${payer.id}`)).body.default_payment_method).toBeNull();
  });

  it('updates fields and answers 404 for an unknown id', async () => {
    const payer = (await call('POST', `/v1/${path}`, { name: 'before' })).body;
    const updated = await call('POST', `/v1/${path}/${payer.id}`, { name: 'after', metadata: { a: 'b' } });
    expect(updated.body).toMatchObject({ id: payer.id, name: 'after', metadata: { a: 'b' } });
    const missing = await call('GET', `/v1/${path}/${prefix}01m87f3khh3qy3m9gcybpffz7f`);
    expect(missing.status).toBe(404);
    const garbage = await call('GET', `/v1/${path}/whatever`);
    expect(garbage.status).toBe(404);
  });
});
