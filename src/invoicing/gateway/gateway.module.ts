import { Module } from '@nestjs/common';
import { PAYMENT_GATEWAY } from './payment-gateway.js';
import { SandboxGateway } from './sandbox.gateway.js';

@Module({
  providers: [{ provide: PAYMENT_GATEWAY, useClass: SandboxGateway }],
  exports: [PAYMENT_GATEWAY],
})
export class GatewayModule {}
