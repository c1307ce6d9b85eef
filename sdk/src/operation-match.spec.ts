import { OPERATIONS } from './generated/operations.js';
import { OperationIndex } from './operation-match.js';

describe('OperationIndex over the generated operations', () => {
  const index = new OperationIndex(OPERATIONS);

  it.each([
    ['GET', '/v1/customers', 'CustomersController_list', true],
    ['GET', '/v1/customers/cus_01jdx3k5vq8m2n4p6r8t0w2y4a', 'CustomersController_get', true],
    ['POST', '/v1/customers', 'CustomersController_create', false],
    ['POST', '/v1/billing/metering_events', 'EventsController_log', true],
    ['POST', '/v1/billing/metering_events/batch', 'EventsController_logBatch', true],
    ['POST', '/v1/billing/metering_events/void', 'EventsController_voidByReference', true],
    ['POST', '/v1/billing/metering_events/evt_x/void', 'EventsController_void', true],
    ['GET', '/v1/invoices/upcoming', 'UpcomingInvoiceController_get', true],
    ['GET', '/v1/invoices/in_x', 'InvoicesController_get', true],
    ['POST', '/v1/invoices', 'InvoicesController_create', true],
    ['POST', '/v1/invoices/in_x/pay', 'InvoicesController_pay', false],
    ['POST', '/v1/webhook_events/evt_x/redeliver', 'WebhookEventsController_redeliver', false],
    ['POST', '/v1/webhook_endpoints/we_x/rotate_secret', 'WebhookEndpointsController_rotateSecret', false],
    ['POST', '/v1/billing/metering', 'MetricsController_create', false],
    ['DELETE', '/v1/webhook_endpoints/we_x', 'WebhookEndpointsController_delete', false],
  ])('%s %s is %s (idempotent: %s)', (method, path, operationId, idempotent) => {
    const operation = index.find(method, path);
    expect(operation?.operationId).toBe(operationId);
    expect(operation?.idempotent).toBe(idempotent);
  });

  it('finds nothing for a path or method the API does not have', () => {
    expect(index.find('GET', '/v1/nothing')).toBeUndefined();
    expect(index.find('PUT', '/v1/customers')).toBeUndefined();
    expect(index.find('GET', '/v1/customers/a/b')).toBeUndefined();
  });

  it('marks every create that takes an Idempotency-Key as idempotent', () => {
    const keyed = OPERATIONS.filter((operation) => operation.idempotencyKey);
    expect(keyed.length).toBeGreaterThan(5);
    expect(keyed.every((operation) => operation.idempotent)).toBe(true);
  });
});
