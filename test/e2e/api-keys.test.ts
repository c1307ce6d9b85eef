import type { KeyAccess, RoutePermission } from '../../src/identity/domain/key-access.js';
import { builtDocument } from '../support/openapi-conformance.js';
import { tableDigests } from '../support/table-digests.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';

/** What each restricted key may call, stated here apart from the server's rule. */
const MAY_CALL: Record<'read' | 'ingest', RoutePermission[]> = { read: ['read'], ingest: ['ingest'] };

type Doc = Record<
  string,
  Record<
    string,
    { security?: Record<string, unknown>[]; requestBody?: unknown; 'x-tally-permission'?: RoutePermission }
  >
>;

/** Every operation a merchant key calls, as the document states it. */
function merchantOperations() {
  const paths = builtDocument().paths as unknown as Doc;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, operation]) => (operation.security ?? []).some((requirement) => 'bearer' in requirement))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        url: path.replace(/\{[^}]+\}/g, 'x'),
        body: operation.requestBody ? {} : undefined,
        permission: operation['x-tally-permission'],
      })),
  );
}

describe('restricted API keys', () => {
  const stack = useTestStack();
  let merchant: { id: string; key: string };
  const call = (key: string, method: string, path: string, body?: unknown) =>
    http(stack.api.baseUrl, method, path, { key, body });

  async function restrictedKey(access: 'read' | 'ingest', name = `${access} key`) {
    const created = await call(merchant.key, 'POST', '/v1/api_keys', { name, access });
    expect(created.status).toBe(201);
    return created.body as { api_key: { id: string }; secret: string };
  }

  beforeAll(async () => {
    merchant = await createMerchant(stack.api.baseUrl, 'Keys');
  });

  it('creates a read-only key that reads and cannot write, and an ingest-only key that only logs events', async () => {
    const read = await restrictedKey('read');
    expect(read.secret).toMatch(/^rk_test_[A-Za-z0-9]{32}$/);
    expect(read.api_key).toMatchObject({ object: 'api_key', access: 'read', live: true, revoked_at: null });
    expect((read.api_key as unknown as { redacted_secret: string }).redacted_secret).toBe(
      `rk_test_…${read.secret.slice(-4)}`,
    );
    expect((await call(read.secret, 'GET', '/v1/customers')).status).toBe(200);
    const write = await call(read.secret, 'POST', '/v1/customers', { name: 'Ada' });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({ type: 'permission_error', code: 'permission_denied' });
    expect(write.body.error.message).toContain('needs a key with write access');

    const ingest = await restrictedKey('ingest');
    const customer = (await call(merchant.key, 'POST', '/v1/customers', { name: 'Bo' })).body.id;
    await call(merchant.key, 'POST', '/v1/billing/metering', {
      name: 'calls',
      event_name: 'calls',
      aggregation: 'count',
      unit_amount: '0.01',
    });
    const event = { customer, event_name: 'calls', reference: 'r-1', timestamp: '2026-01-01T00:00:00Z' };
    expect((await call(ingest.secret, 'POST', '/v1/billing/metering_events', event)).status).toBe(201);
    const batch = await call(ingest.secret, 'POST', '/v1/billing/metering_events/batch', {
      events: [{ ...event, reference: 'r-2' }],
    });
    expect(batch.status).toBe(200);
    expect((await call(ingest.secret, 'GET', '/v1/billing/metering_events')).status).toBe(403);
    expect((await call(ingest.secret, 'GET', '/v1/customers')).status).toBe(403);
  });

  it('lists keys newest first, with pages, and never shows a secret', async () => {
    const first = await restrictedKey('read', 'page one');
    const second = await restrictedKey('ingest', 'page two');
    const page = await call(merchant.key, 'GET', '/v1/api_keys?limit=1');
    expect(page.status).toBe(200);
    expect(page.body.data.map((key: { id: string }) => key.id)).toEqual([second.api_key.id]);
    expect(page.body.has_more).toBe(true);
    const next = await call(merchant.key, 'GET', `/v1/api_keys?limit=1&starting_after=${second.api_key.id}`);
    expect(next.body.data[0].id).toBe(first.api_key.id);
    const all = await call(merchant.key, 'GET', '/v1/api_keys?limit=100');
    expect(all.body.data.some((key: { access: string }) => key.access === 'full')).toBe(true);
    expect(JSON.stringify(all.body)).not.toMatch(/[sr]k_test_[A-Za-z0-9]{32}/);
    expect((await call(merchant.key, 'GET', `/v1/api_keys/${first.api_key.id}`)).body.name).toBe('page one');
  });

  it('revokes a key at once, idempotently, and refuses to revoke the last live secret key', async () => {
    const read = await restrictedKey('read');
    const revoked = await call(merchant.key, 'POST', `/v1/api_keys/${read.api_key.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ live: false, revoked_at: expect.any(String) });
    expect((await call(read.secret, 'GET', '/v1/customers')).status).toBe(401);
    const again = await call(merchant.key, 'POST', `/v1/api_keys/${read.api_key.id}/revoke`);
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);

    const own = await createMerchant(stack.api.baseUrl, 'One key');
    const keys = await call(own.key, 'GET', '/v1/api_keys');
    const last = await call(own.key, 'POST', `/v1/api_keys/${keys.body.data[0].id}/revoke`);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_secret_key');
    expect((await call(own.key, 'GET', '/v1/customers')).status).toBe(200);
  });

  it('rolls the secret key: the old one keeps working for the grace it chose, then stops', async () => {
    const own = await createMerchant(stack.api.baseUrl, 'Rolls');
    const keyId = (await call(own.key, 'GET', '/v1/api_keys')).body.data[0].id;
    const rolled = await call(own.key, 'POST', `/v1/api_keys/${keyId}/roll`, { expires_in_seconds: 2 });
    expect(rolled.status).toBe(201);
    expect(rolled.body.secret).toMatch(/^sk_test_/);
    expect(rolled.body.api_key).toMatchObject({ access: 'full', live: true, expires_at: null });
    expect(rolled.body.rolled).toMatchObject({ id: keyId, live: true, expires_at: expect.any(String) });
    const graceMs = Date.parse(rolled.body.rolled.expires_at) - Date.now();
    expect(graceMs).toBeGreaterThan(0);
    expect(graceMs).toBeLessThanOrEqual(2_000);

    expect((await call(own.key, 'GET', '/v1/customers')).status).toBe(200);
    expect((await call(rolled.body.secret, 'GET', '/v1/customers')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, graceMs + 100));
    expect((await call(own.key, 'GET', '/v1/customers')).status).toBe(401);
    expect((await call(rolled.body.secret, 'GET', '/v1/customers')).status).toBe(200);

    const expired = await call(rolled.body.secret, 'POST', `/v1/api_keys/${keyId}/roll`, {
      expires_in_seconds: 0,
    });
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe('api_key_inactive');
    // Now the expired key is not live, the new one is the last secret key.
    const last = await call(rolled.body.secret, 'POST', `/v1/api_keys/${rolled.body.api_key.id}/revoke`);
    expect(last.body.error?.code).toBe('last_secret_key');
  });

  it('revoking two secret keys at once leaves one: the other answers 409 last_secret_key', async () => {
    const own = await createMerchant(stack.api.baseUrl, 'Races');
    const first = (await call(own.key, 'GET', '/v1/api_keys')).body.data[0].id;
    const rolled = await call(own.key, 'POST', `/v1/api_keys/${first}/roll`, { expires_in_seconds: 3600 });
    const second = rolled.body.api_key.id;
    const answers = await Promise.all([
      call(own.key, 'POST', `/v1/api_keys/${first}/revoke`),
      call(rolled.body.secret, 'POST', `/v1/api_keys/${second}/revoke`),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const live = (
      await stack.sql.query(
        `SELECT count(*)::int AS n FROM api_keys WHERE merchant_id = $1 AND revoked_at IS NULL`,
        [own.id],
      )
    ).rows[0].n;
    expect(live).toBe(1);
  });

  it('rolls a restricted key into one of the same access; grace 0 stops the old one now', async () => {
    const ingest = await restrictedKey('ingest', 'edge');
    const rolled = await call(merchant.key, 'POST', `/v1/api_keys/${ingest.api_key.id}/roll`, {
      expires_in_seconds: 0,
    });
    expect(rolled.body.api_key).toMatchObject({ access: 'ingest', name: 'edge' });
    expect(rolled.body.secret).toMatch(/^rk_test_/);
    expect(
      (await call(ingest.secret, 'POST', '/v1/billing/metering_events/batch', { events: [] })).status,
    ).toBe(401);
  });

  it.each([
    [{ expires_in_seconds: -1 }],
    [{ expires_in_seconds: 604_801 }],
    [{ expires_in_seconds: 1.5 }],
    [{}],
  ])('refuses to roll with %j', async (body) => {
    const read = await restrictedKey('read');
    const answer = await call(merchant.key, 'POST', `/v1/api_keys/${read.api_key.id}/roll`, body);
    expect(answer.status).toBe(400);
  });

  it.each([[{ name: 'x', access: 'full' }], [{ name: '', access: 'read' }], [{ access: 'read' }]])(
    'refuses to create %j',
    async (body) => {
      expect((await call(merchant.key, 'POST', '/v1/api_keys', body)).status).toBe(400);
    },
  );

  describe('the permission matrix, drawn from the document', () => {
    const operations = merchantOperations();
    let keys: Record<KeyAccess, string>;

    beforeAll(async () => {
      keys = {
        full: merchant.key,
        read: (await restrictedKey('read', 'matrix read')).secret,
        ingest: (await restrictedKey('ingest', 'matrix ingest')).secret,
      };
    });

    it('covers every merchant operation, each declaring what it needs', () => {
      expect(operations.length).toBeGreaterThan(50);
      expect(operations.filter((operation) => !operation.permission)).toEqual([]);
      expect(
        operations
          .filter((operation) => operation.permission === 'ingest')
          .map((o) => o.path)
          .sort(),
      ).toEqual([
        // Logging events, and correcting them: any key that may log events may correct them.
        '/v1/billing/metering_events',
        '/v1/billing/metering_events/batch',
        '/v1/billing/metering_events/void',
        '/v1/billing/metering_events/void/batch',
        '/v1/billing/metering_events/{id}/amend',
        '/v1/billing/metering_events/{id}/void',
      ]);
    });

    it.each(['read', 'ingest'] as const)(
      'refuses a %s key exactly where the document says it may not go, and the refusal changes nothing',
      async (access) => {
        const before = await tableDigests(stack.sql);
        const denied: string[] = [];
        for (const operation of operations) {
          const answer = await call(keys[access], operation.method, operation.url, operation.body);
          const refused = answer.status === 403 && answer.body?.error?.code === 'permission_denied';
          if (refused) denied.push(`${operation.method} ${operation.path}`);
          expect([`${operation.method} ${operation.path}`, refused]).toEqual([
            `${operation.method} ${operation.path}`,
            !MAY_CALL[access].includes(operation.permission!),
          ]);
        }
        expect(denied.length).toBeGreaterThan(0);
        // The allowed calls above name no real object (`x`) or send an empty body, so they write nothing either.
        expect(await tableDigests(stack.sql)).toEqual(before);
      },
    );

    it('never refuses a secret key', async () => {
      for (const operation of operations.filter((o) => o.method === 'GET')) {
        const answer = await call(keys.full, operation.method, operation.url);
        expect([operation.path, answer.status]).not.toEqual([operation.path, 403]);
      }
    });
  });
});
