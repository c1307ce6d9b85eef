import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppModule } from './app.module.js';
import { ROUTE_TABLE } from './common/http/error.filter.js';
import { createApiDocument } from './common/http/openapi/api-document.js';
import { RouteTable } from './common/http/route-table.js';
import { createValidationPipe } from './common/http/validation.pipe.js';
import { createRootLogger, PinoNestLogger, requestIdFor } from './common/logging/logger.js';
import type { TallyConfig } from './config/config.js';
import { recordHttpMetrics } from './observability/http-metrics.js';
import { traceRequests } from './observability/request-tracing.js';
import { tracingEnabled } from './observability/tracing.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The OpenAPI document at /openapi.json and its interactive page at /docs. The page's static
 * assets load through @fastify/static, which Jest on Node 20 cannot import (it needs
 * require(esm)), so in-process tests turn the page off (API_DOCS_PAGE=false) and serve the
 * document alone; the CI smoke test checks /docs.
 */
function describeApi(app: NestFastifyApplication, withPage: boolean): void {
  SwaggerModule.setup('docs', app, createApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    swaggerUiEnabled: withPage,
  });
}

const UNLOGGED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The request id goes back to the caller as `Request-Id`, so a support request can name the log lines. */
function echoRequestId(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('request-id', request.id);
    });
}

/** Collects every route as it is registered, for the 405 answer (see ErrorEnvelopeFilter). */
function recordRoutes(app: NestFastifyApplication): void {
  const routes = new RouteTable();
  const instance = app.getHttpAdapter().getInstance();
  instance.decorate(ROUTE_TABLE, routes);
  instance.addHook('onRoute', (route) => routes.add(route.method, route.url));
}

/** The API application, configured the same way for `src/main.ts` and the end-to-end tests. */
export async function createHttpApp(config: TallyConfig): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config, 'api');
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: MAX_BODY_BYTES,
    genReqId: requestIdFor,
    // Fastify logs each request (with its id) except the probes that would drown the rest.
    logController: new LogController({ disableRequestLogging: (request) => UNLOGGED_PATHS.has(request.url) }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
  });
  echoRequestId(app);
  recordRoutes(app);
  const instance = app.getHttpAdapter().getInstance();
  recordHttpMetrics(instance);
  // Spans only when main.ts registered a tracer provider (src/observability/tracing.ts).
  if (tracingEnabled(config)) traceRequests(instance);
  app.useGlobalPipes(createValidationPipe());
  describeApi(app, config.API_DOCS_PAGE);
  app.enableShutdownHooks();
  return app;
}
