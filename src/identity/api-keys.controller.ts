import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from './auth.decorators.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKey, CreatedApiKey, RolledApiKey } from './dto/api-key-resource.dto.js';
import { CreateApiKeyDto, ListApiKeysQueryDto, RollApiKeyDto } from './dto/api-key.dto.js';

/**
 * The merchant's API keys. Only a secret key manages keys. A revoked or rolled key stops working
 * at once on the API process that answered and within 10 seconds on the others.
 */
@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/api_keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /**
   * Creates a restricted key, limited to reading or to logging events; its secret is shown only in
   * this answer. Not idempotent: a retried create makes another key (revoke the one you do not use).
   */
  @Post()
  @Needs('keys')
  @HttpCode(201)
  @ApiAnswers(201, CreatedApiKey)
  create(@MerchantId() merchantId: string, @Body() body: CreateApiKeyDto) {
    return this.keys.create(merchantId, body.name, body.access);
  }

  /** Every key of the account, live or not, newest first. */
  @Get()
  @Needs('keys')
  @ApiAnswers(200, listOf(ApiKey))
  list(@MerchantId() merchantId: string, @Query() query: ListApiKeysQueryDto) {
    return this.keys.list(merchantId, query);
  }

  @Get(':id')
  @Needs('keys')
  @ApiAnswers(200, ApiKey)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.keys.get(merchantId, id);
  }

  /** Stops the key working. Idempotent. The account's last live secret key cannot be revoked (roll it). */
  @Post(':id/revoke')
  @Needs('keys')
  @HttpCode(200)
  @ApiAnswers(200, ApiKey)
  @ApiFails({ 409: ['last_secret_key'] })
  revoke(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.keys.revoke(merchantId, id);
  }

  /**
   * Replaces a live key with a new one of the same name and access, whose secret is shown only in
   * this answer; the rolled key keeps working for `expires_in_seconds`, so deployments can move to
   * the new secret. Each call makes a new key.
   */
  @Post(':id/roll')
  @Needs('keys')
  @HttpCode(201)
  @ApiAnswers(201, RolledApiKey)
  @ApiFails({ 409: ['api_key_inactive'] })
  roll(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: RollApiKeyDto) {
    return this.keys.roll(merchantId, id, body.expires_in_seconds);
  }
}
