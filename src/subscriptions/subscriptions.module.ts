import { Module } from '@nestjs/common';
import { InvoicingModule } from '../invoicing/invoicing.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { PayersModule } from '../payers/payers.module.js';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { SubscriptionCycleService } from './subscription-cycle.service.js';
import { SubscriptionWorkflows } from './subscription-workflows.js';
import { SubscriptionReportController, SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

@Module({
  imports: [InvoicingModule, MeteringModule, PayersModule, PipelineModule, UsageModule, WebhooksModule],
  controllers: [SubscriptionsController, SubscriptionReportController],
  providers: [SubscriptionsRepository, SubscriptionCycleService, SubscriptionWorkflows, SubscriptionsService],
  exports: [SubscriptionCycleService, SubscriptionWorkflows, SubscriptionsService],
})
export class SubscriptionsModule {}
