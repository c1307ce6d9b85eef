import { Module } from '@nestjs/common';
import { DiagnosticsController } from './diagnostics.controller.js';
import { DiagnosticsRepository } from './diagnostics.repository.js';
import { DiagnosticsService } from './diagnostics.service.js';

@Module({
  controllers: [DiagnosticsController],
  providers: [DiagnosticsRepository, DiagnosticsService],
  exports: [DiagnosticsService],
})
export class DiagnosticsModule {}
