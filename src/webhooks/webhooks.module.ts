import { Module } from '@nestjs/common';
import { UrlPolicy } from './url-policy.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEmitter } from './webhook-emitter.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookEventsController } from './webhook-events.controller.js';
import { WebhookEventsRepository } from './webhook-events.repository.js';
import { WebhookEventsService } from './webhook-events.service.js';
import { WebhookSecretReencryption } from './webhook-secret-reencryption.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookSender } from './webhook-sender.js';

@Module({
  controllers: [WebhookEndpointsController, WebhookEventsController],
  providers: [
    UrlPolicy,
    WebhookSecrets,
    WebhookSecretReencryption,
    WebhookSender,
    WebhookEndpointsRepository,
    WebhookEventsRepository,
    WebhookEndpointsService,
    WebhookEventsService,
    WebhookDispatcher,
    WebhookDeliveryService,
    WebhookEmitter,
  ],
  exports: [WebhookEmitter, WebhookDispatcher, WebhookDeliveryService, WebhookSecretReencryption],
})
export class WebhooksModule {}
