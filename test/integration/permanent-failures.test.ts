import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  subscriptionWorkflowId,
  usageUpdatedSignal,
} from '../../workflows/contracts/subscription.contract.js';
import { failureQuery } from '../../workflows/failing-visibly.js';
import { invoiceLifecycle } from '../../workflows/invoice.workflow.js';
import { TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import { caller, customerWithCard, sumMetric } from '../support/billing-fixtures.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';
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
    const scheduled = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes);
    expect(scheduled.map((event) => event.activityTaskScheduledEventAttributes!.activityType!.name)).toEqual([
      'issueInvoice',
      'recordInvoiceFailure',
    ]);
    const attempts = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes);
    expect(attempts.map((event) => event.activityTaskStartedEventAttributes!.attempt)).toEqual([1, 1]);
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

  it('records on the subscription why its workflow stopped, and the API shows it', async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    const call = caller(stack.api.baseUrl, merchant.key);
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'seats', '1.00');
    const created = await call('POST', '/v1/subscriptions', {
      customer,
      interval: 'month',
      base_amount: '5.00',
      currency: 'usd',
      items: [{ metric: 'seats', included_quantity: '1' }],
      collection_method: 'send_invoice',
    });
    const id = created.body.id as string;
    await eventually(
      async () => (await call('GET', `/v1/subscriptions/${id}`)).body.current_period_start !== null,
    );
    expect((await call('GET', `/v1/subscriptions/${id}`)).body.workflow_failure).toBeNull();

    // The period's row vanishes (an operator's mistake): measuring usage cannot succeed any more.
    await stack.sql.query('DELETE FROM subscription_periods WHERE subscription_id = $1', [id]);
    const handle = client.workflow.getHandle(subscriptionWorkflowId(id));
    await handle.signal(usageUpdatedSignal);
    const stored = await eventually(
      async () => {
        const body = (await call('GET', `/v1/subscriptions/${id}`)).body;
        return body.workflow_failure !== null && body;
      },
      { what: 'the failure on the subscription' },
    );
    expect(stored.workflow_failure).toEqual({
      code: 'period_not_open',
      message: `Period 0 of ${id} was never opened.`,
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.typedSearchAttributes.get(TallyStatus)).toBe('failed');
    expect(await handle.query(failureQuery)).toMatchObject({
      type: 'ConflictError',
      code: 'period_not_open',
    });
  });
});
