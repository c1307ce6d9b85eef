import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../common/http/openapi/api-contract.js';
import { AdminRoute } from './auth.decorators.js';
import { CreateMerchantDto } from './dto/create-merchant.dto.js';
import { CreatedMerchant } from './dto/merchant-resource.dto.js';
import { IdentityService } from './identity.service.js';

@ApiTags('admin')
@AdminRoute()
@Controller('admin/merchants')
export class AdminMerchantsController {
  constructor(private readonly identity: IdentityService) {}

  /**
   * Creates a merchant and returns its secret key; the key is shown only in this response.
   * Not idempotent: each call creates a merchant (an operator action, not a retried client call).
   */
  @Post()
  @HttpCode(201)
  @ApiAnswers(201, CreatedMerchant)
  create(@Body() body: CreateMerchantDto): Promise<CreatedMerchant> {
    return this.identity.createMerchant(body.name);
  }
}
