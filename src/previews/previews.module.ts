import { Module } from '@nestjs/common';
import { CreditsModule } from '../credits/credits.module.js';
import { InvoicingModule } from '../invoicing/invoicing.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { PayersModule } from '../payers/payers.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { UpcomingInvoiceController } from './upcoming-invoice.controller.js';
import { UpcomingInvoiceService } from './upcoming-invoice.service.js';

/**
 * Previews: what the billing contexts would bill now, composed from them, writing nothing. The
 * preview is exported for the customer portal, which shows its payer the same one.
 */
@Module({
  imports: [CreditsModule, InvoicingModule, MeteringModule, PayersModule, SubscriptionsModule, UsageModule],
  controllers: [UpcomingInvoiceController],
  providers: [UpcomingInvoiceService],
  exports: [UpcomingInvoiceService],
})
export class PreviewsModule {}
