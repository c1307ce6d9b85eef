import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { TallyConfigService } from '../config/config.module.js';
import { tracingClientInterceptors } from '../observability/tracing.js';
import { settleCalls } from './handoff.js';

export const TEMPORAL_CLIENT = Symbol('TemporalClient');

/**
 * The Temporal client for the API process (and activities that start workflows). The
 * connection is lazy, so the API starts and answers `/readyz` (not ready) while Temporal is down.
 * With tracing on, each start and signal is a span whose context travels to the workflow.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [TallyConfigService],
      useFactory: (config: TallyConfigService) =>
        new Client({
          connection: Connection.lazy({ address: config.values.temporalAddress }),
          namespace: config.values.TEMPORAL_NAMESPACE,
          interceptors: tracingClientInterceptors(config.values),
        }),
    },
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalClientModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await settleCalls(this.client);
    await this.client.connection.close();
  }
}
