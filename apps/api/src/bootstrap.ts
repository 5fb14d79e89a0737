import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { NOTICE_PRINT_STYLE } from '#deliberation';
import { MEDIATION_PRINT_STYLE } from '#mediation';
import { addSecurityHeaders, AllExceptionsFilter, type AppConfig, type Clock, createLogger, createValidationPipe } from '#platform';
import { AppModule } from './app.module.js';
import { serveWeb } from './web-static.js';

function nestLogger(log: Logger): LoggerService {
  return {
    log: (m: unknown, ctx?: string) => log.debug({ ctx }, String(m)),
    error: (m: unknown, trace?: string, ctx?: string) => log.error({ ctx, trace }, String(m)),
    warn: (m: unknown, ctx?: string) => log.warn({ ctx }, String(m)),
    debug: (m: unknown, ctx?: string) => log.debug({ ctx }, String(m)),
    verbose: (m: unknown, ctx?: string) => log.trace({ ctx }, String(m)),
  };
}

/** Builds the whole application (API, docs, web pages) without listening: main.ts and the tests share it. */
export async function createApp(config: AppConfig & { databaseUrl: string }, opts: { clock?: Clock; log?: Logger } = {}): Promise<NestFastifyApplication> {
  const log = opts.log ?? createLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: log,
    trustProxy: config.trustProxy,
    bodyLimit: 20 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, log, opts.clock), adapter, {
    logger: nestLogger(log),
    bufferLogs: false,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(log));
  // The printable pages open from memory under the UI's policy: their stylesheets are allowed by hash.
  addSecurityHeaders(app.getHttpAdapter().getInstance(), { inlineStyles: [NOTICE_PRINT_STYLE, MEDIATION_PRINT_STYLE] });
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('三共 Sangong API')
      .setDescription('长治村务共议、集体经济、人民调解平台 API。错误统一为 { code, message, details? }。')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });
  await serveWeb(app, config);
  await app.init();
  return app;
}
