import { Module } from '@nestjs/common';
import { GatewayModule } from '../invoicing/gateway/gateway.module.js';
import { AccountsController, CustomersController } from './payers.controller.js';
import { PayersRepository } from './payers.repository.js';
import { PayersService } from './payers.service.js';

@Module({
  imports: [GatewayModule],
  controllers: [CustomersController, AccountsController],
  providers: [PayersRepository, PayersService],
  exports: [PayersService],
})
export class PayersModule {}
