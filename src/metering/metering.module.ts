import { Module } from '@nestjs/common';
import { PayersModule } from '../payers/payers.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { CorrectionsRepository } from './corrections.repository.js';
import { CorrectionsService } from './corrections.service.js';
import { EventWriter } from './event-writer.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';
import { IngestionService } from './ingestion.service.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';

@Module({
  imports: [PayersModule, WebhooksModule],
  controllers: [MetricsController, EventsController],
  providers: [
    MetricsRepository,
    MetricsService,
    EventsRepository,
    EventsService,
    EventWriter,
    IngestionService,
    CorrectionsRepository,
    CorrectionsService,
  ],
  exports: [MetricsService, EventsService],
})
export class MeteringModule {}
