import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminMerchantsController } from './admin.controller.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';

@Module({
  controllers: [AdminMerchantsController, ApiKeysController],
  providers: [
    IdentityRepository,
    IdentityService,
    ApiKeysService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityService],
})
export class IdentityModule {}
