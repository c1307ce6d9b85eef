import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
import { projectRoot } from './config/project-root.js';
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

/**
 * What a dashboard page may do: run its own scripts and styles, call this origin's API, show
 * its own and inline (chart) images; never be framed, never send a referrer.
 */
export const DASHBOARD_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;

/**
 * The dashboard single-page app (`dashboard/`, built into dist/dashboard) at /dashboard/, its
 * unknown paths answering index.html so the app's own routes survive a reload, and the customer
 * portal page (portal.html, the same build) at /portal, where portal session URLs point.
 * @fastify/static is imported only here, dynamically, so in-process Jest tests (DASHBOARD=false)
 * never load it. `/dashboard/config.json` is a Nest route (src/dashboard), not a file.
 */
async function serveDashboard(app: NestFastifyApplication): Promise<void> {
  const root = join(projectRoot(), 'dist', 'dashboard');
  for (const page of ['index.html', 'portal.html'])
    if (!existsSync(join(root, page)))
      throw new Error(`${root}/${page} is missing: run npm run build (or set DASHBOARD=false)`);
  const { default: fastifyStatic } = await import('@fastify/static');
  const instance = app.getHttpAdapter().getInstance();
  await instance.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      void reply.headers(DASHBOARD_SECURITY_HEADERS);
    });
    // wildcard: false registers one route per built file, so the fallback below owns the rest.
    await scope.register(fastifyStatic, { root, prefix: '/dashboard/', wildcard: false, index: false });
    // A page names its hashed assets, so it must be revalidated; @fastify/static would otherwise
    // replace the no-cache with its own `public, max-age=0`.
    const htmlPage = (file: string) => (_request: FastifyRequest, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').sendFile(file, { cacheControl: false });
    scope.get('/dashboard/', htmlPage('index.html'));
    scope.get('/dashboard/*', htmlPage('index.html'));
    scope.get('/dashboard', (_request, reply) => reply.redirect('/dashboard/'));
    // The token is in the URL's fragment, which never reaches this route (nor its request log).
    scope.get('/portal', htmlPage('portal.html'));
    scope.get('/portal/', htmlPage('portal.html'));
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
  if (config.DASHBOARD) await serveDashboard(app);
  app.enableShutdownHooks();
  return app;
}
