import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import { projectRoot } from '../../src/config/project-root.js';
import { SecretBox } from '../../src/webhooks/domain/secret-box.js';
import { newWebhookSecret } from '../../src/webhooks/domain/signing.js';
import { WebhookEmitter } from '../../src/webhooks/webhook-emitter.js';
import { WebhookEndpointsRepository } from '../../src/webhooks/webhook-endpoints.repository.js';
import { WebhookSecretReencryption } from '../../src/webhooks/webhook-secret-reencryption.js';
import { WebhookSecrets } from '../../src/webhooks/webhook-secrets.js';
import { startTallyProcess } from '../support/tally-process.js';
import {
  createMerchant,
  eventually,
  http,
  type RunningApi,
  type RunningWorker,
  startApi,
  startWorker,
  TEST_WEBHOOK_SECRET_KEYS,
  testConfig,
  useTestStack,
} from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const NEW_KEYS = `new1:${Buffer.alloc(32, 0x7c).toString('base64')},${TEST_WEBHOOK_SECRET_KEYS}`;

interface Tally {
  api: RunningApi;
  worker?: RunningWorker;
}

/**
 * Signing secrets at rest: sealed in the table, opened to sign, a legacy plaintext row still
 * signing, rotation of the keyring by re-encryption while the API runs, and clear failures for a
 * key that is missing.
 */
describe('webhook signing secrets at rest', () => {
  const stack = useTestStack({ worker: true, config: { LOG_LEVEL: 'silent' } });
  const receiver = new WebhookReceiver();
  let merchant: { id: string; key: string };
  let rotated: Tally | undefined;

  beforeAll(async () => {
    await receiver.start();
    merchant = await createMerchant(stack.api.baseUrl);
  });
  afterAll(async () => {
    await rotated?.worker?.stop();
    await rotated?.api.close();
    await receiver.stop();
  });

  const call = (tally: Tally, method: string, path: string, body?: unknown) =>
    http(tally.api.baseUrl, method, path, { key: merchant.key, body });
  const original = (): Tally => ({ api: stack.api, worker: stack.worker! });

  async function createEndpoint(tally: Tally, path: string) {
    const created = await call(tally, 'POST', '/v1/webhook_endpoints', {
      url: receiver.script(path, [200]),
      enabled_events: ['*'],
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  }

  /** Records and dispatches an event through `tally`'s API; answers the request `path` received for it. */
  async function deliver(tally: Tally, path: string) {
    const emitter = tally.api.app.get(WebhookEmitter);
    const recorded = await tally.api.app.get(DataSource).transaction((tx) =>
      emitter.record(tx, {
        merchantId: merchant.id,
        type: 'billing.threshold.approaching',
        object: { customer: 'cus_secret', remaining: '1.00' },
      }),
    );
    await emitter.dispatch([recorded]);
    const request = await eventually(
      () => receiver.at(path).find((r) => r.headers['webhook-id'] === recorded.id),
      { what: `a delivery at ${path}` },
    );
    return {
      body: request.body,
      headers: {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      },
    };
  }

  function verifies(secret: string, delivered: Awaited<ReturnType<typeof deliver>>): boolean {
    try {
      new Webhook(secret).verify(delivered.body, delivered.headers);
      return true;
    } catch {
      return false;
    }
  }

  async function stored(id: string): Promise<{ secret: string; previous_secret: string | null }> {
    const { rows } = await stack.sql.query(
      'SELECT secret, previous_secret FROM webhook_endpoints WHERE merchant_id = $1 AND id = $2',
      [merchant.id, id],
    );
    return rows[0];
  }

  it('stores secrets sealed (no whsec_ in the table) and signs with the secret the merchant was shown', async () => {
    const endpoint = await createEndpoint(original(), '/sealed');
    const row = await stored(endpoint.id);
    expect(row.secret).toMatch(/^enc:v1:test1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{22}$/);
    expect(row.secret).not.toContain(endpoint.secret.slice('whsec_'.length, 20));
    expect(row.previous_secret).toBeNull();

    const rotation = await call(original(), 'POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`);
    expect(rotation.status).toBe(200);
    const after = await stored(endpoint.id);
    expect(after.secret).toMatch(/^enc:v1:test1:/);
    expect(after.previous_secret).toMatch(/^enc:v1:test1:/);
    expect(after.previous_secret).not.toBe(row.secret);

    const read = await call(original(), 'GET', `/v1/webhook_endpoints/${endpoint.id}`);
    expect(read.body.secret).toBe(`whsec_…${(rotation.body.secret as string).slice(-4)}`);

    const delivered = await deliver(original(), '/sealed');
    expect(verifies(endpoint.secret, delivered)).toBe(true);
    expect(verifies(rotation.body.secret, delivered)).toBe(true);

    const { rows } = await stack.sql.query(
      `SELECT count(*)::int AS plain FROM webhook_endpoints
        WHERE secret LIKE '%whsec_%' OR previous_secret LIKE '%whsec_%'`,
    );
    expect(rows[0].plain).toBe(0);
  });

  it('still signs with, and masks, a secret stored in plain text before encryption', async () => {
    const endpoint = await createEndpoint(original(), '/legacy');
    const legacy = newWebhookSecret();
    await stack.sql.query('UPDATE webhook_endpoints SET secret = $1 WHERE id = $2', [legacy, endpoint.id]);
    const read = await call(original(), 'GET', `/v1/webhook_endpoints/${endpoint.id}`);
    expect(read.body.secret).toBe(`whsec_…${legacy.slice(-4)}`);
    const delivered = await deliver(original(), '/legacy');
    expect(verifies(legacy, delivered)).toBe(true);
    expect(verifies(endpoint.secret, delivered)).toBe(false);
  });

  it('moves every row to a new first key by re-encryption, and deliveries still verify', async () => {
    const shown = new Map<string, string>();
    const sealed = await createEndpoint(original(), '/moved');
    shown.set(sealed.id, sealed.secret);
    const legacyEndpoint = await createEndpoint(original(), '/moved-legacy');
    const legacy = newWebhookSecret();
    await stack.sql.query('UPDATE webhook_endpoints SET secret = $1 WHERE id = $2', [
      legacy,
      legacyEndpoint.id,
    ]);
    shown.set(legacyEndpoint.id, legacy);
    const before = await stack.sql.query('SELECT id, updated_at FROM webhook_endpoints ORDER BY id');

    // The new keyring first in a second API and worker beside the running ones (a rolling restart).
    const config = testConfig(stack.database.url, { WEBHOOK_SECRET_KEYS: NEW_KEYS });
    rotated = { api: await startApi(config) };
    rotated.worker = await startWorker(config);
    expect((await stored(sealed.id)).secret).toMatch(/^enc:v1:test1:/);
    // Rows on the old key keep working with the new keyring before they are moved.
    expect(verifies(sealed.secret, await deliver(rotated, '/moved'))).toBe(true);

    const reencryption = rotated.api.app.get(WebhookSecretReencryption);
    const report = await reencryption.reencryptAll(2);
    expect(report).toMatchObject({ keyId: 'new1', unreadable: 0, problems: [] });
    expect(report.resealed).toBeGreaterThanOrEqual(4);
    const { rows } = await stack.sql.query('SELECT secret, previous_secret FROM webhook_endpoints');
    for (const row of rows) {
      expect(row.secret).toMatch(/^enc:v1:new1:/);
      if (row.previous_secret !== null) expect(row.previous_secret).toMatch(/^enc:v1:new1:/);
    }
    // Not a change the merchant made.
    expect((await stack.sql.query('SELECT id, updated_at FROM webhook_endpoints ORDER BY id')).rows).toEqual(
      before.rows,
    );
    expect(await reencryption.reencryptAll()).toMatchObject({ resealed: 0, unreadable: 0 });

    for (const [id, secret] of shown) {
      const path = id === sealed.id ? '/moved' : '/moved-legacy';
      expect([id, verifies(secret, await deliver(rotated, path))]).toEqual([id, true]);
      const read = await call(rotated, 'GET', `/v1/webhook_endpoints/${id}`);
      expect(read.body.secret).toBe(`whsec_…${secret.slice(-4)}`);
    }
  });

  it('lets a rotation made during re-encryption win', async () => {
    const secrets = rotated!.api.app.get(WebhookSecrets);
    const repository = rotated!.api.app.get(WebhookEndpointsRepository);
    const endpoint = await createEndpoint(original(), '/race');
    const [read] = await repository
      .secretsNotStartingWith('enc:v1:new1:', null, 1_000)
      .then((found) => found.filter((row) => row.id === endpoint.id));
    expect(read).toBeDefined();
    const rotation = await call(rotated!, 'POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`);
    const afterRotation = await stored(endpoint.id);
    expect(await repository.replaceSecrets(read!, secrets.seal(endpoint.secret), null)).toBe(false);
    expect(await stored(endpoint.id)).toEqual(afterRotation);
    expect(secrets.open(afterRotation.secret)).toBe(rotation.body.secret);
    expect(secrets.open(afterRotation.previous_secret!)).toBe(endpoint.secret);
  });

  it('fails clearly when a key is missing: the service names the key id, reads answer 500, re-encryption reports it', async () => {
    const onlyOld = stack.api.app.get(WebhookSecrets);
    const { rows } = await stack.sql.query('SELECT secret FROM webhook_endpoints LIMIT 1');
    expect(() => onlyOld.open(rows[0].secret)).toThrow(/key id "new1".*WEBHOOK_SECRET_KEYS/);
    const moved = await stack.sql.query('SELECT id FROM webhook_endpoints WHERE merchant_id = $1 LIMIT 1', [
      merchant.id,
    ]);
    const read = await call(original(), 'GET', `/v1/webhook_endpoints/${moved.rows[0].id}`);
    expect(read.status).toBe(500);
    expect(read.body.error.code).toBe('internal_error');

    const gone = new SecretBox([{ id: 'gone', key: Buffer.alloc(32, 9) }]);
    const orphan = await createEndpoint(rotated!, '/orphan');
    await stack.sql.query('UPDATE webhook_endpoints SET secret = $1 WHERE id = $2', [
      gone.seal(orphan.secret),
      orphan.id,
    ]);
    const report = await rotated!.api.app.get(WebhookSecretReencryption).reencryptAll();
    expect(report).toMatchObject({ resealed: 0, unreadable: 1 });
    expect(report.problems.join(' ')).toContain('"gone"');
    expect(report.problems.join(' ')).not.toContain(orphan.secret);
  });

  it('npm run webhooks:reencrypt reseals, reports, and exits 1 while a row cannot be read', async () => {
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [join(projectRoot(), 'dist/src/reencrypt-webhook-secrets.js')],
          {
            env: { ...process.env, TALLY_ENV: 'test', DATABASE_URL: stack.database.url, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => resolve({ code, output }));
      });
    const newer = `new2:${Buffer.alloc(32, 0x3d).toString('base64')},${NEW_KEYS}`;
    const first = await run({ WEBHOOK_SECRET_KEYS: newer });
    expect(first.code).toBe(1);
    expect(first.output).toMatch(/tally: \d+ webhook endpoints resealed under key new2; 1 left unreadable/);
    expect(first.output).toContain('"gone"');
    expect(first.output).not.toContain(Buffer.alloc(32, 0x3d).toString('base64'));
    await stack.sql.query(`DELETE FROM webhook_endpoints WHERE secret LIKE 'enc:v1:gone:%'`);
    const second = await run({ WEBHOOK_SECRET_KEYS: newer });
    expect(second).toEqual({
      code: 0,
      output: 'tally: 0 webhook endpoints resealed under key new2; 0 left unreadable.\n',
    });
    const { rows } = await stack.sql.query(
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE NOT starts_with(secret, 'enc:v1:new2:')`,
    );
    expect(rows[0].n).toBe(0);

    const broken = await run({ WEBHOOK_SECRET_KEYS: 'new2:short' });
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(
      'WEBHOOK_SECRET_KEYS entry 1 (new2): the key must be the base64 of exactly 32 bytes',
    );
  });

  it('refuses to start in production without a keyring, saying why', async () => {
    await expect(
      startTallyProcess('api', {
        TALLY_ENV: 'production',
        WEBHOOK_SECRET_KEYS: '',
        DATABASE_URL: stack.database.url,
        PORT: '0',
      }),
    ).rejects.toThrow(/exited with code 1: .*WEBHOOK_SECRET_KEYS is required when TALLY_ENV=production/s);
  });
});
