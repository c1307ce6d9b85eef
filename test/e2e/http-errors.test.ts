import { createMerchant, http, useTestStack } from '../support/test-stack.js';

describe('malformed requests get the error envelope, never a 500', () => {
  const stack = useTestStack();
  let key: string;

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
  });

  it('answers bad JSON with 400', async () => {
    const response = await http(stack.api.baseUrl, 'POST', '/v1/customers', { key, rawBody: '{"name":' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
  });

  it('answers a body over 1 MiB with 413', async () => {
    const response = await http(stack.api.baseUrl, 'POST', '/v1/customers', {
      key,
      body: { name: 'x', metadata: { big: 'y'.repeat(1024 * 1024 + 10) } },
    });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payload_too_large' });
  });

  it('answers a JSON array, scalar or null body with 400, even where every field is optional', async () => {
    for (const rawBody of ['[1,2]', '"text"', '42', 'null']) {
      const response = await http(stack.api.baseUrl, 'POST', '/v1/customers', { key, rawBody });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    }
    const listed = await http(stack.api.baseUrl, 'GET', '/v1/customers', { key });
    expect(listed.body.data).toHaveLength(0);
  });

  it('refuses null for a field the document does not declare nullable', async () => {
    const refused = await http(stack.api.baseUrl, 'POST', '/v1/invoices', {
      key,
      body: { customer: null, currency: 'usd' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'parameter_invalid', param: 'customer' });
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await http(stack.api.baseUrl, 'POST', '/v1/customers', {
      key,
      rawBody: 'name=x',
      headers: { 'content-type': 'text/csv' },
    });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const response = await http(stack.api.baseUrl, 'GET', '/v1/nothing-here', { key });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ type: 'not_found_error', code: 'route_not_found' });
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await http(stack.api.baseUrl, 'GET', '/healthz', {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(given.headers.get('request-id')).toBe('abc-123');
    const made = await http(stack.api.baseUrl, 'GET', '/healthz', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers.get('request-id')).toMatch(/^req_[0-9a-z]{26}$/);
  });

  it('serves the OpenAPI document', async () => {
    const response = await http(stack.api.baseUrl, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/customers',
        '/v1/accounts/{id}/payment_methods',
        '/admin/merchants',
        '/readyz',
      ]),
    );
  });
});
