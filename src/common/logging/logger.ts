import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { pino, type Logger } from 'pino';
import type { TallyConfig } from '../../config/config.js';
import { newRequestId } from '../ids/ids.js';

/** The process's root logger: structured JSON lines (pino), tagged with the service. */
export function createRootLogger(
  config: Pick<TallyConfig, 'LOG_LEVEL'>,
  service: 'api' | 'worker' | 'launcher',
): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
}

const INCOMING_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** A caller's `X-Request-Id` when it is sane, else a new one. Fastify puts it on every request log line. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}

/** Nest's own messages (startup, lifecycle) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
