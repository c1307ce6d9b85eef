import type { INestApplicationContext } from '@nestjs/common';
import { CreditMonitorService } from '../src/credits/credit-monitor.service.js';
import { CreditWorkflows } from '../src/credits/credit-workflows.js';
import { InvoiceCollectionService } from '../src/invoicing/invoice-collection.service.js';
import { InvoiceWorkflows } from '../src/invoicing/invoice-workflows.js';
import { DiagnosticsService } from '../src/diagnostics/diagnostics.service.js';
import { SubscriptionCycleService } from '../src/subscriptions/subscription-cycle.service.js';
import { SubscriptionWorkflows } from '../src/subscriptions/subscription-workflows.js';
import { RollupService } from '../src/usage/rollup.service.js';
import { WebhookDeliveryService } from '../src/webhooks/webhook-delivery.service.js';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.js';
import { creditActivities } from './credit.activities.js';
import { diagnosticsActivities } from './diagnostics.activities.js';
import { invoiceActivities } from './invoice.activities.js';
import { outboxActivities } from './outbox.activities.js';
import { subscriptionActivities } from './subscription.activities.js';
import { rollupActivities } from './rollup.activities.js';
import { webhookActivities } from './webhook.activities.js';

/** Every activity the worker registers, bound to the Nest providers that do the work. */
export function createActivities(app: INestApplicationContext) {
  return {
    ...diagnosticsActivities(app.get(DiagnosticsService)),
    ...rollupActivities(app.get(RollupService)),
    ...subscriptionActivities(app.get(SubscriptionCycleService)),
    ...webhookActivities(app.get(WebhookDeliveryService)),
    ...invoiceActivities(app.get(InvoiceCollectionService)),
    ...creditActivities(app.get(CreditMonitorService)),
    ...outboxActivities([
      app.get(WebhookDispatcher),
      app.get(InvoiceWorkflows),
      app.get(SubscriptionWorkflows),
      app.get(CreditWorkflows),
    ]),
  };
}

export type TallyActivities = ReturnType<typeof createActivities>;
