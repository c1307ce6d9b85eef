import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { PayersModule } from '../payers/payers.module.js';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { InvoiceBalanceService } from './invoice-balance.service.js';
import {
  AccountInvoiceBalancesController,
  CustomerInvoiceBalancesController,
} from './invoice-balances.controller.js';
import { InvoiceBalancesRepository } from './invoice-balances.repository.js';
import { InvoiceCollectionService } from './invoice-collection.service.js';
import { InvoiceWorkflows } from './invoice-workflows.js';
import {
  BillingInvoiceController,
  InvoiceLineItemsController,
  InvoicesController,
} from './invoices.controller.js';
import { InvoicesRepository } from './invoices.repository.js';
import { InvoicesService } from './invoices.service.js';
import { UsagePricingService } from './usage-pricing.service.js';

@Module({
  imports: [GatewayModule, MeteringModule, PayersModule, PipelineModule, UsageModule, WebhooksModule],
  controllers: [
    BillingInvoiceController,
    InvoicesController,
    InvoiceLineItemsController,
    CustomerInvoiceBalancesController,
    AccountInvoiceBalancesController,
  ],
  providers: [
    InvoicesRepository,
    InvoiceBalancesRepository,
    InvoiceBalanceService,
    UsagePricingService,
    InvoiceCollectionService,
    InvoiceWorkflows,
    InvoicesService,
  ],
  exports: [
    InvoiceBalanceService,
    InvoiceCollectionService,
    InvoiceWorkflows,
    InvoicesService,
    InvoicesRepository,
    UsagePricingService,
  ],
})
export class InvoicingModule {}
