import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { toErrorResponse } from './common/http/error-response.js';
import { createValidationPipe } from './common/http/validation.pipe.js';
import type { TallyConfig } from './config/config.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The OpenAPI document at /openapi.json and its interactive page at /docs. The page's static
 * assets load through @fastify/static, which Jest on Node 20 cannot import (it needs
 * require(esm)), so in-process tests serve the document alone; the CI smoke test checks /docs.
 */
function describeApi(app: NestFastifyApplication, withPage: boolean): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tally API')
      .setDescription(
        'Usage metering and usage billing. Authenticate with `Authorization: Bearer sk_...`; ' +
          'errors are `{ "error": { "type", "code", "message", "param"? } }`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    swaggerUiEnabled: withPage,
  });
}

/** The API application, configured the same way for `src/main.ts` and the end-to-end tests. */
export async function createHttpApp(config: TallyConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  // Errors raised by Fastify before Nest sees the request (bad JSON, body too large) get the same envelope.
  app
    .getHttpAdapter()
    .getInstance()
    .setErrorHandler((error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(error);
      void reply.status(status).send(body);
    });
  describeApi(app, config.TALLY_ENV !== 'test');
  app.enableShutdownHooks();
  return app;
}
