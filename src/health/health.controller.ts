import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ApiAnswers } from '../common/http/openapi/api-contract.js';
import { PublicRoute } from '../identity/auth.decorators.js';
import { TallyConfigService } from '../config/config.module.js';
import { reachTemporal } from '../temporal/handoff.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { RollupService } from '../usage/rollup.service.js';
import { Health, Readiness } from './dto/health-resource.dto.js';

type Check = { ok: true } | { ok: false; error: string };

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@PublicRoute()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly rollup: RollupService,
    private readonly config: TallyConfigService,
  ) {}

  /** The process is up. */
  @Get('healthz')
  @HttpCode(200)
  @ApiAnswers(200, Health)
  healthz(): Health {
    return { status: 'ok' };
  }

  /**
   * PostgreSQL and Temporal are reachable: 200 when both are, 503 otherwise. Also tells how
   * far the event rollup has come (events folded, the last one, and the lag of the oldest
   * waiting event); a lagging rollup does not make the API unready, since ingestion still works.
   */
  @Get('readyz')
  @ApiAnswers(200, Readiness, 'Ready: PostgreSQL and Temporal answer.')
  @ApiResponse({ status: 503, type: Readiness, description: 'Not ready: a check failed (the same body).' })
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    // The rollup's state is read alongside the checks, so that a Temporal that is down costs one wait.
    const [database, temporal, rollup] = await Promise.all([
      check(() => this.db.query('SELECT 1')),
      check(() =>
        reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
          this.temporal.workflowService.getSystemInfo({}),
        ),
      ),
      this.rollup.status().catch(() => null),
    ]);
    const ready = database.ok && temporal.ok;
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks: { database, temporal }, rollup };
  }
}
