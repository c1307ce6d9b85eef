import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorEnvelope } from './error-envelope.dto.js';
import { finishDocument } from './finish-document.js';

/** The OpenAPI document of `app`: what its routes, DTOs and decorators say, finished by the shared rules. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  return finishDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Tally API')
        .setDescription(
          'Usage metering and usage billing. Authenticate with `Authorization: Bearer sk_...` (a secret ' +
            'key) or `rk_...` (a restricted key, read or ingest only: each operation states what it needs ' +
            'as `x-tally-permission`); errors are `{ "error": { "type", "code", "message", "param"? } }`.',
        )
        .setVersion('1')
        .addBearerAuth(
          {
            type: 'http',
            scheme: 'bearer',
            description: 'A secret key (sk_test_…) or a restricted key (rk_test_…)',
          },
          'bearer',
        )
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'TALLY_ADMIN_TOKEN' }, 'admin')
        .addBearerAuth(
          {
            type: 'http',
            scheme: 'bearer',
            description: "A customer portal session's token (pst_…), from its URL's fragment",
          },
          'portal',
        )
        .build(),
      { extraModels: [ErrorEnvelope] },
    ),
  );
}
