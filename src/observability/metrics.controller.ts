import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthenticationError } from '../common/errors/tally-error.js';
import { ApiFails } from '../common/http/openapi/api-contract.js';
import { TallyConfigService } from '../config/config.module.js';
import { PublicRoute } from '../identity/auth.decorators.js';
import { collectProcessMetrics } from './default-metrics.js';
import { MetricsSnapshot } from './dto/metrics-snapshot.dto.js';
import { metricsRefusal } from './metrics-access.js';
import { metricsSnapshot } from './metrics-snapshot.js';
import { apiRegistry } from './meters.js';

export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4';

/** Whether the caller asked for JSON rather than the Prometheus text format (which scrapers ask for). */
function wantsJson(accept: string | undefined): boolean {
  return !!accept && accept.includes('application/json') && !accept.includes('text/plain');
}

@ApiTags('health')
@PublicRoute()
@Controller()
export class MetricsController {
  constructor(private readonly config: TallyConfigService) {
    collectProcessMetrics(apiRegistry);
  }

  @Get('metrics')
  @ApiOperation({
    summary: "The API process's Prometheus metrics",
    description:
      'Requests by route and status with latency histograms, events ingested, duplicated and rejected, ' +
      'group-commit batch sizes, and the process metrics, in the Prometheus text format; with ' +
      '`Accept: application/json`, the same as JSON. Open unless TALLY_METRICS_TOKEN is set, then ' +
      '`Authorization: Bearer <TALLY_METRICS_TOKEN>`. The worker serves its own on WORKER_METRICS_PORT.',
  })
  @ApiExtraModels(MetricsSnapshot)
  @ApiResponse({
    status: 200,
    description: 'OK.',
    content: {
      [PROMETHEUS_TEXT]: { schema: { type: 'string' } },
      'application/json': { schema: { $ref: getSchemaPath(MetricsSnapshot) } },
    },
  })
  @ApiFails({ 401: ['metrics_token_missing', 'metrics_token_invalid'] })
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | MetricsSnapshot> {
    const refusal = metricsRefusal(this.config.values.TALLY_METRICS_TOKEN, authorization);
    if (refusal === 'metrics_token_missing')
      throw new AuthenticationError(refusal, 'Send `Authorization: Bearer <TALLY_METRICS_TOKEN>`.');
    if (refusal) throw new AuthenticationError(refusal, 'Invalid metrics token.');
    if (wantsJson(accept)) return metricsSnapshot(await apiRegistry.getMetricsAsJSON());
    void reply.type(apiRegistry.contentType);
    return apiRegistry.metrics();
  }
}
