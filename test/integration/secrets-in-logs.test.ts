import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/webhooks/domain/secret-box.js';
import { ADMIN_TOKEN, eventually, http, useTestStack } from '../support/test-stack.js';
import { caller, customerWithCard, manualDraft } from '../support/billing-fixtures.js';
import { freePort, startTallyProcess, type TallyProcess } from '../support/tally-process.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The API and the worker, logging at `trace`, through the paths that handle secrets: creating a
 * merchant (its secret key), authenticating with it (and with a wrong one), the admin token,
 * registering and rotating a webhook endpoint (its secrets, sealed and opened with the keyring)
 * and signing a delivery with them, and a customer portal session (its token, in a URL's
 * fragment and then as a bearer, right and wrong). Not one secret, nor a keyring key, appears in anything either
 * process printed.
 */
describe('no secrets in logs', () => {
  const stack = useTestStack();
  const receiver = new WebhookReceiver();
  const processes: TallyProcess[] = [];
  afterAll(async () => {
    for (const running of processes) await running.kill();
    await receiver.stop();
  });

  it('prints no API key, admin token, webhook secret, keyring key or portal token, at the most verbose level', async () => {
    await receiver.start();
    const sealingKey = randomBytes(32);
    const openingKey = randomBytes(32);
    const env = {
      WEBHOOK_SECRET_KEYS: `logs1:${sealingKey.toString('base64')},logs0:${openingKey.toString('base64')}`,
      DATABASE_URL: stack.database.url,
      TEMPORAL_ADDRESS: stack.config.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'trace',
      RATE_LIMIT_REQUESTS_PER_S: '0',
    };
    const port = String(await freePort());
    const api = await startTallyProcess('api', { ...env, PORT: port });
    const worker = await startTallyProcess('worker', env);
    processes.push(api, worker);
    const baseUrl = `http://127.0.0.1:${port}`;

    const created = await http(baseUrl, 'POST', '/admin/merchants', {
      key: ADMIN_TOKEN,
      body: { name: 'secretive' },
    });
    expect(created.status).toBe(201);
    const key = created.body.secret_key as string;
    const call = caller(baseUrl, key);
    const wrongKey = `${key.slice(0, -4)}XXXX`;
    expect((await http(baseUrl, 'GET', '/v1/customers', { key: wrongKey })).status).toBe(401);
    // A customer portal session: its token is in the answer's URL fragment, then a bearer.
    const portalCustomer = (await call('POST', '/v1/customers', { name: 'portal' })).body.id as string;
    const portalSession = await call('POST', '/v1/portal_sessions', { customer: portalCustomer });
    expect(portalSession.status).toBe(201);
    const portalToken = (portalSession.body.url as string).split('#token=')[1]!;
    expect((await http(baseUrl, 'GET', '/v1/portal/session', { key: portalToken })).status).toBe(200);
    expect((await http(baseUrl, 'GET', '/v1/customers', { key: portalToken })).status).toBe(403);
    const wrongPortalToken = `${portalToken.slice(0, -4)}XXXX`;
    expect((await http(baseUrl, 'GET', '/v1/portal/usage', { key: wrongPortalToken })).status).toBe(401);
    const endpoint = await call('POST', '/v1/webhook_endpoints', {
      url: receiver.script('/secrets', [200]),
      enabled_events: ['*'],
    });
    // As if sealed before the last key change: the rotation below opens it with the second key.
    const underOldKey = new SecretBox([{ id: 'logs0', key: openingKey }]).seal(endpoint.body.secret);
    await stack.sql.query('UPDATE webhook_endpoints SET secret = $1 WHERE id = $2', [
      underOldKey,
      endpoint.body.id,
    ]);
    const rotated = await call('POST', `/v1/webhook_endpoints/${endpoint.body.id}/rotate_secret`);
    expect(rotated.status).toBe(200);
    const { customer } = await customerWithCard(call, 'tok_visa');
    const invoiceId = await manualDraft(call, customer, '1.00', 'auto_charge');
    expect((await call('POST', `/v1/invoices/${invoiceId}/issue`)).status).toBe(200);
    // Signed with both secrets (the rotated-out one still signs): the worker has handled them.
    await eventually(() => receiver.at('/secrets').length >= 2, {
      what: 'webhooks to be delivered',
      timeoutMs: 30_000,
    });

    const printed = api.output() + worker.output();
    // Both processes' logs were captured, at trace level.
    expect(api.output()).toContain('request completed');
    expect(worker.output()).toContain('tally worker polling');
    const secrets = {
      'the secret key': key,
      'the wrong key': wrongKey,
      'the portal token': portalToken,
      'the wrong portal token': wrongPortalToken,
      'the admin token': ADMIN_TOKEN,
      'the first webhook secret': endpoint.body.secret as string,
      'the rotated webhook secret': rotated.body.secret as string,
      'the keyring setting': env.WEBHOOK_SECRET_KEYS,
      ...Object.fromEntries(
        Object.entries({ 'the sealing key': sealingKey, 'the opening key': openingKey }).flatMap(
          ([what, bytes]) => [
            [`${what} (base64)`, bytes.toString('base64')],
            [`${what} (base64url)`, bytes.toString('base64url')],
            [`${what} (hex)`, bytes.toString('hex')],
            [`${what} (bytes)`, [...bytes.subarray(0, 8)].join(',')],
          ],
        ),
      ),
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect([what, printed.includes(secret)]).toEqual([what, false]);
    }
    expect(printed).not.toMatch(
      /sk_(test|live)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9+/=]{20,}|pst_[A-Za-z0-9_-]{16,}/,
    );
  }, 120_000);
});
