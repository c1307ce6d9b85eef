import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { failureQuery } from '../../workflows/failing-visibly.js';
import { invoiceLifecycle } from '../../workflows/invoice.workflow.js';
import { TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import { createMerchant, useTestStack } from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';

/**
 * A step that cannot succeed (here: issuing an invoice that does not exist) fails once, is not
 * retried, and ends its workflow where an operator sees it, on the real Temporal dev server
 * with the real worker. Before, the same step was retried about once a minute for ever.
 */
describe('a permanent activity failure, on the real servers', () => {
  const stack = useTestStack({ worker: true });
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testEnv('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(() => connection?.close());

  it('fails the invoice workflow at once with the domain code, status failed, and the failure query', async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    const invoiceId = 'inv_01jdx0000000000000000000000';
    const handle = await client.workflow.start(invoiceLifecycle, {
      workflowId: `invoice/${invoiceId}-${merchant.id}`,
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      args: [{ merchantId: merchant.id, invoiceId, retryIntervalMs: 1000, maxRetries: 1 }],
      typedSearchAttributes: [{ key: TallyMerchantId, value: merchant.id }],
    });

    const started = Date.now();
    const failure = await handle.result().then(
      () => null,
      (error: unknown) => error,
    );
    // The activity's first retry would have come a second later, the next ones up to a minute apart.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'resource_missing', nonRetryable: true });
    expect(cause!.message).toBe(`No such invoice: '${invoiceId}'.`);

    const history = await handle.fetchHistory();
    const attempts = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes);
    expect(attempts.map((event) => event.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);
    const failed = (history.events ?? []).find((event) => event.activityTaskFailedEventAttributes);
    expect(failed!.activityTaskFailedEventAttributes!.failure).toMatchObject({
      applicationFailureInfo: { type: 'NotFoundError', nonRetryable: true },
    });

    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.typedSearchAttributes.get(TallyStatus)).toBe('failed');
    expect(await handle.query(failureQuery)).toEqual({
      type: 'NotFoundError',
      code: 'resource_missing',
      message: `No such invoice: '${invoiceId}'.`,
      param: 'id',
    });
  });
});
