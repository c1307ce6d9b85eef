import { Global, Module } from '@nestjs/common';
import { CreditsModule } from '../credits/credits.module.js';
import { PortalAuthenticator } from '../identity/auth.decorators.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvoicingModule } from '../invoicing/invoicing.module.js';
import { PayersModule } from '../payers/payers.module.js';
import { PreviewsModule } from '../previews/previews.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { PortalController, PortalSessionsController } from './portal.controller.js';
import { PortalSessionsRepository } from './portal-sessions.repository.js';
import { PortalSessionsService } from './portal-sessions.service.js';
import { PortalService } from './portal.service.js';

/**
 * The customer portal: owns `portal_sessions` and reads the rest through the owning contexts'
 * services (the invoice preview is PreviewsModule's). Global only to give the identity guard the
 * PortalAuthenticator it asks portal tokens of.
 */
@Global()
@Module({
  imports: [
    IdentityModule,
    PayersModule,
    UsageModule,
    CreditsModule,
    InvoicingModule,
    SubscriptionsModule,
    PreviewsModule,
  ],
  controllers: [PortalSessionsController, PortalController],
  providers: [
    PortalSessionsRepository,
    PortalSessionsService,
    PortalService,
    { provide: PortalAuthenticator, useExisting: PortalSessionsService },
  ],
  exports: [PortalAuthenticator],
})
export class PortalModule {}
