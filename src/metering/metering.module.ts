import { Module } from '@nestjs/common';
import { PayersModule } from '../payers/payers.module.js';
import { EventWriter } from './event-writer.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';
import { IngestionService } from './ingestion.service.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';

@Module({
  imports: [PayersModule],
  controllers: [MetricsController, EventsController],
  providers: [
    MetricsRepository,
    MetricsService,
    EventsRepository,
    EventsService,
    EventWriter,
    IngestionService,
  ],
  exports: [MetricsService, EventsService],
})
export class MeteringModule {}
