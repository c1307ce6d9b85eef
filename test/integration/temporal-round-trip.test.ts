import { Client as TemporalClient, Connection } from '@temporalio/client';
import { TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import {
  ADMIN_TOKEN,
  createMerchant,
  createTestDatabase,
  http,
  type RunningApi,
  type RunningWorker,
  startApi,
  startWorker,
  testConfig,
} from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';

describe('Temporal round trip: API → Temporal → worker → PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: RunningApi;
  let worker: RunningWorker;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig(database.url);
    api = await startApi(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await database?.drop();
  });

  it('runs a workflow started by the API whose activity reads PostgreSQL on the worker', async () => {
    const merchant = await createMerchant(api.baseUrl);
    await http(api.baseUrl, 'POST', '/v1/customers', { key: merchant.key, body: { name: 'Ada' } });
    await http(api.baseUrl, 'POST', '/v1/customers', { key: merchant.key, body: { name: 'Grace' } });

    const response = await http(api.baseUrl, 'POST', '/admin/diagnostics/round_trip', {
      key: ADMIN_TOKEN,
      body: { merchant_id: merchant.id },
    });

    expect(response.status).toBe(200);
    expect(response.body.workflowId).toMatch(/^diagnostics\/round-trip\//);
    expect(response.body.database).toEqual({
      databaseTime: expect.any(String),
      merchantExists: true,
      payerCount: 2,
    });

    const connection = await Connection.connect({ address: testEnv('temporalAddress') });
    try {
      const description = await new TemporalClient({ connection }).workflow
        .getHandle(response.body.workflowId)
        .describe();
      expect(description.status.name).toBe('COMPLETED');
      expect(description.typedSearchAttributes.get(TallyMerchantId)).toBe(merchant.id);
      expect(description.typedSearchAttributes.get(TallyStatus)).toBe('completed');
    } finally {
      await connection.close();
    }
  });

  it('reports ready when PostgreSQL and Temporal are reachable', async () => {
    const response = await http(api.baseUrl, 'GET', '/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, temporal: { ok: true } },
    });
  });
});
