import {
  ADMIN_TOKEN,
  createMerchant,
  http,
  startApi,
  testConfig,
  useTestStack,
} from '../support/test-stack.js';

describe('authentication and tenancy over HTTP', () => {
  const stack = useTestStack();
  const api = {
    get baseUrl() {
      return stack.api.baseUrl;
    },
  };

  it('refuses a request without a key with 401 api_key_missing', async () => {
    const response = await http(api.baseUrl, 'GET', '/v1/customers');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: {
        type: 'authentication_error',
        code: 'api_key_missing',
        message: expect.stringContaining('Bearer'),
      },
    });
  });

  it.each([
    ['a well-formed key Tally never issued', 'sk_test_0000000000000000000000000000000'],
    ['a malformed key', 'not-a-key'],
    ['an empty bearer', ''],
  ])('refuses %s with 401 api_key_invalid', async (_label, key) => {
    const response = await http(api.baseUrl, 'GET', '/v1/customers', {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe(key === '' ? 'api_key_missing' : 'api_key_invalid');
  });

  it('accepts a key issued by the admin API', async () => {
    const merchant = await createMerchant(api.baseUrl);
    expect(merchant.key).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    const response = await http(api.baseUrl, 'GET', '/v1/customers', { key: merchant.key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ object: 'list', data: [], has_more: false });
  });

  it("answers 404 when merchant B asks for merchant A's customer, and hides it from B's list", async () => {
    const a = await createMerchant(api.baseUrl, 'A');
    const b = await createMerchant(api.baseUrl, 'B');
    const created = await http(api.baseUrl, 'POST', '/v1/customers', { key: a.key, body: { name: 'Ada' } });
    expect(created.status).toBe(201);

    const asA = await http(api.baseUrl, 'GET', `/v1/customers/${created.body.id}`, { key: a.key });
    expect(asA.status).toBe(200);
    expect(asA.body.name).toBe('Ada');

    const asB = await http(api.baseUrl, 'GET', `/v1/customers/${created.body.id}`, { key: b.key });
    expect(asB.status).toBe(404);
    expect(asB.body.error).toEqual({
      type: 'not_found_error',
      code: 'resource_missing',
      message: `No such customer: '${created.body.id}'.`,
      param: 'id',
    });
    const listB = await http(api.baseUrl, 'GET', '/v1/customers', { key: b.key });
    expect(listB.body.data).toEqual([]);
    const attachAsB = await http(api.baseUrl, 'POST', `/v1/customers/${created.body.id}/payment_methods`, {
      key: b.key,
      body: { token: 'tok_visa' },
    });
    expect(attachAsB.status).toBe(404);
  });

  describe('the admin API', () => {
    it('needs the admin token', async () => {
      const none = await http(api.baseUrl, 'POST', '/admin/merchants', { body: { name: 'x' } });
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('admin_token_missing');
      const wrong = await http(api.baseUrl, 'POST', '/admin/merchants', {
        key: 'wrong-token-wrong-token',
        body: { name: 'x' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('admin_token_invalid');
    });

    it('does not accept a merchant key', async () => {
      const merchant = await createMerchant(api.baseUrl);
      const response = await http(api.baseUrl, 'POST', '/admin/merchants', {
        key: merchant.key,
        body: { name: 'x' },
      });
      expect(response.status).toBe(401);
    });

    it('validates the new merchant', async () => {
      const response = await http(api.baseUrl, 'POST', '/admin/merchants', {
        key: ADMIN_TOKEN,
        body: { name: '' },
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        param: 'name',
      });
    });

    it('is disabled (403) when TALLY_ADMIN_TOKEN is unset', async () => {
      const closed = await startApi(testConfig(stack.database.url, { TALLY_ADMIN_TOKEN: undefined }));
      try {
        const response = await http(closed.baseUrl, 'POST', '/admin/merchants', {
          key: 'anything-at-all-here',
          body: { name: 'x' },
        });
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('admin_api_disabled');
      } finally {
        await closed.close();
      }
    });
  });
});
