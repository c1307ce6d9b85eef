import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { createApiDocument } from './common/http/openapi/api-document.js';
import { loadConfig } from './config/config.js';

/**
 * Writes the OpenAPI document of the compiled app to the given file (or stdout) without
 * connecting to anything: the module graph in preview mode is enough to describe the routes.
 * `npm run build` writes dist/openapi.json this way, which the tests check answers against.
 */
const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), new FastifyAdapter(), {
  preview: true,
  logger: false,
});
const text = `${JSON.stringify(createApiDocument(app), null, 2)}\n`;
const target = process.argv[2];
if (target) writeFileSync(target, text);
else process.stdout.write(text);
await app.close();
