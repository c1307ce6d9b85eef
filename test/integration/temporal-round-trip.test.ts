import { Client as TemporalClient, Connection } from '@temporalio/client';
import { TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import { ADMIN_TOKEN, createMerchant, http, useTestStack } from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';

describe('Temporal round trip: API → Temporal → worker → PostgreSQL', () => {
  const stack = useTestStack({ worker: true });

  it('runs a workflow started by the API whose activity reads PostgreSQL on the worker', async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    await http(stack.api.baseUrl, 'POST', '/v1/customers', { key: merchant.key, body: { name: 'Ada' } });
    await http(stack.api.baseUrl, 'POST', '/v1/customers', { key: merchant.key, body: { name: 'Grace' } });

    const response = await http(stack.api.baseUrl, 'POST', '/admin/diagnostics/round_trip', {
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
    const response = await http(stack.api.baseUrl, 'GET', '/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, temporal: { ok: true } },
    });
    expect(response.body.rollup).toMatchObject({
      workflow_id: expect.stringMatching(/^rollup\//),
      lag_seconds: expect.any(Number),
    });
  });
});
