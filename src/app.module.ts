import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorEnvelopeFilter } from './common/http/error.filter.js';
import type { TallyConfig } from './config/config.js';
import { TallyConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { CreditsModule } from './credits/credits.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DiagnosticsModule } from './diagnostics/diagnostics.module.js';
import { HealthController } from './health/health.controller.js';
import { IdentityModule } from './identity/identity.module.js';
import { InvoicingModule } from './invoicing/invoicing.module.js';
import { MeteringModule } from './metering/metering.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { PayersModule } from './payers/payers.module.js';
import { PipelineHealthModule } from './pipeline-health/pipeline-health.module.js';
import { PortalModule } from './portal/portal.module.js';
import { PreviewsModule } from './previews/previews.module.js';
import { RateLimitModule } from './ratelimit/rate-limit.module.js';
import { TemporalClientModule } from './temporal/temporal-client.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { UsageModule } from './usage/usage.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** The modules both processes share: configuration, PostgreSQL, the Temporal client, the contexts. */
function sharedImports(config: TallyConfig) {
  return [
    TallyConfigModule.forRoot(config),
    TypeOrmModule.forRoot(dataSourceOptions(config)),
    TemporalClientModule,
    RateLimitModule,
    IdentityModule,
    PayersModule,
    MeteringModule,
    UsageModule,
    WebhooksModule,
    InvoicingModule,
    SubscriptionsModule,
    CreditsModule,
    PreviewsModule,
    DiagnosticsModule,
    PortalModule,
  ];
}

/** The API process. */
@Module({})
export class AppModule {
  static forRoot(config: TallyConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...sharedImports(config), ObservabilityModule, DashboardModule, PipelineHealthModule],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ErrorEnvelopeFilter }],
    };
  }
}

/** The worker process: the same providers, for activities to call; no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: TallyConfig): DynamicModule {
    return { module: WorkerModule, imports: sharedImports(config) };
  }
}
