import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { TallyConfig } from './config.js';

/** The validated configuration, injectable everywhere. */
export class TallyConfigService {
  constructor(readonly values: TallyConfig) {}
}

@Global()
@Module({})
export class TallyConfigModule {
  static forRoot(config: TallyConfig): DynamicModule {
    return {
      module: TallyConfigModule,
      providers: [{ provide: TallyConfigService, useValue: new TallyConfigService(config) }],
      exports: [TallyConfigService],
    };
  }
}
