import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { PipelineHealth } from './dto/pipeline-health-resource.dto.js';
import { PipelineHealthService } from './pipeline-health.service.js';

@ApiTags('pipeline')
@ApiBearerAuth()
@Controller('v1/pipeline')
export class PipelineHealthController {
  constructor(private readonly pipeline: PipelineHealthService) {}

  /**
   * The calling merchant's pipeline now: events logged per minute over the last hour, its events
   * waiting for the rollup and their lag, and its Temporal workflows by status and type. When
   * Temporal does not answer, the database parts still answer and `workflows.available` is false.
   */
  @Needs('read')
  @Get('health')
  @ApiAnswers(200, PipelineHealth)
  health(@MerchantId() merchantId: string): Promise<PipelineHealth> {
    return this.pipeline.health(merchantId);
  }
}
