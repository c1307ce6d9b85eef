import { type DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { ulid } from 'ulid';
import type { TallyConfig } from '../../config/config.js';

const INCOMING_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** A caller's `X-Request-Id` when it is sane, else a new one; echoed back as `Request-Id`. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : `req_${ulid().toLowerCase()}`;
  res.setHeader('Request-Id', id);
  return id;
}

/** Structured JSON logs (pino); every line logged while serving a request carries its `reqId`. */
export function loggingModule(config: Pick<TallyConfig, 'LOG_LEVEL'>, service: 'api' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.LOG_LEVEL,
      base: { service },
      genReqId: requestIdFor,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    },
  });
}
