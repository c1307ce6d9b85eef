// Every workflow the worker registers. Workflow code is deterministic orchestration only:
// it imports @temporalio/workflow, @temporalio/common and types of activities, nothing else.
export { diagnosticsRoundTrip } from './diagnostics.workflow.js';
export { eventRollup } from './rollup.workflow.js';
export { webhookDelivery } from './webhook-delivery.workflow.js';
export { outboxSweeper } from './outbox-sweeper.workflow.js';
export { invoiceLifecycle } from './invoice.workflow.js';
export { subscriptionCycle } from './subscription.workflow.js';
export { creditMonitor } from './credit-monitor.workflow.js';
