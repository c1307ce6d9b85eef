import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../common/http/openapi/api-contract.js';
import { AdminRoute } from '../identity/auth.decorators.js';
import { RoundTripDto } from './dto/round-trip.dto.js';
import { DiagnosticsService } from './diagnostics.service.js';
import { DiagnosticsRoundTrip } from './dto/round-trip-resource.dto.js';

@ApiTags('admin')
@AdminRoute()
@Controller('admin/diagnostics')
export class DiagnosticsController {
  constructor(private readonly diagnostics: DiagnosticsService) {}

  /** Runs a workflow that reads PostgreSQL on a worker, proving the whole pipeline works. Read-only. */
  @Post('round_trip')
  @HttpCode(200)
  @ApiAnswers(200, DiagnosticsRoundTrip)
  roundTrip(@Body() body: RoundTripDto) {
    return this.diagnostics.roundTrip(body.merchant_id);
  }
}
