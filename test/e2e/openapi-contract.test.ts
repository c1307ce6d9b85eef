import { builtDocument, checkConformance, type OpenApiDocument } from '../support/openapi-conformance.js';
import { http, useTestStack } from '../support/test-stack.js';

type Schema = Record<string, unknown>;
interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

/**
 * The contract every operation keeps, on the document the build writes (the one `npm start`
 * serves); test/support/openapi-conformance.ts checks the answers themselves against it.
 */
describe('the OpenAPI document', () => {
  const stack = useTestStack();
  let document: OpenApiDocument;
  let operations: { label: string; responses: Record<string, Response> }[];

  beforeAll(async () => {
    document = builtDocument();
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        label: `${method.toUpperCase()} ${path}`,
        responses: op.responses as Record<string, Response>,
      })),
    );
  });

  it('documents a success body for every operation, as a named component', () => {
    const undocumented = operations
      .filter(({ responses }) => {
        const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
        return (
          success.length === 0 ||
          success.some(([, response]) => {
            const schema = response.content?.['application/json']?.schema;
            return !schema || refsIn(schema).length === 0;
          })
        );
      })
      .map(({ label }) => label);
    expect(undocumented).toEqual([]);
  });

  it('documents every error status with the envelope and the codes it can carry', () => {
    const problems: string[] = [];
    for (const { label, responses } of operations) {
      if (!responses['500']) problems.push(`${label}: no 500`);
      for (const [status, response] of Object.entries(responses)) {
        if (!/^4\d\d$|^500$/.test(status)) continue; // /readyz answers 503 with its own body
        const schema = response.content?.['application/json']?.schema as
          | {
              allOf?: [
                { $ref?: string },
                { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } },
              ];
            }
          | undefined;
        const codes = schema?.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [];
        if (schema?.allOf?.[0]?.$ref !== '#/components/schemas/ErrorEnvelope' || codes.length === 0) {
          problems.push(`${label} ${status}: not the error envelope with codes`);
        }
      }
      const open = label === 'GET /healthz' || label === 'GET /readyz'; // no input, no authentication
      if (!open && !Object.keys(responses).some((status) => status.startsWith('4')))
        problems.push(`${label}: no 4xx`);
    }
    expect(problems).toEqual([]);
  });

  it('has every $ref resolve and no untyped component', () => {
    const names = new Set(Object.keys(document.components.schemas));
    const dangling = refsIn(document).filter((ref) => !names.has(ref.replace('#/components/schemas/', '')));
    expect(dangling).toEqual([]);
    const untyped = Object.entries(document.components.schemas)
      .filter(([, schema]) => !schema.type && !schema.allOf && !schema.oneOf)
      .map(([name]) => name);
    expect(untyped).toEqual([]);
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers a method a known path does not take with 405 and Allow', async () => {
    const response = await http(stack.api.baseUrl, 'DELETE', '/v1/customers');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'method_not_allowed' });
    const trace = await http(stack.api.baseUrl, 'PATCH', '/healthz');
    expect(trace.status).toBe(405);
    expect(trace.headers.get('allow')).toBe('GET, HEAD');
    // Fastify refuses a QUERY without Content-Type (400) before it looks for a route.
    const query = await http(stack.api.baseUrl, 'QUERY', '/v1/customers');
    expect(query.status).toBe(405);
    expect(query.body.error).toMatchObject({ code: 'method_not_allowed' });
  });

  it('has the end-to-end answers checked against it, so a drift fails a test', () => {
    const page = { object: 'list', data: [], has_more: false };
    expect(() => checkConformance('GET', '/v1/customers', 200, page)).not.toThrow();
    expect(() => checkConformance('GET', '/v1/customers', 200, { ...page, extra: 1 })).toThrow(
      /does not match/,
    );
    expect(() => checkConformance('GET', '/v1/customers', 200, { ...page, has_more: 'no' })).toThrow(
      /does not match/,
    );
    expect(() => checkConformance('GET', '/v1/customers', 418, {})).toThrow(/does not declare/);
    const error = (code: string) => ({
      error: { type: 'not_found_error', code, message: 'No such customer.' },
    });
    expect(() =>
      checkConformance('GET', '/v1/customers/cus_x', 404, error('resource_missing')),
    ).not.toThrow();
    expect(() => checkConformance('GET', '/v1/customers/cus_x', 404, error('made_up'))).toThrow(
      /does not match/,
    );
  });

  it('still answers an unknown path with 404', async () => {
    const response = await http(stack.api.baseUrl, 'DELETE', '/v1/nowhere');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('route_not_found');
  });
});
