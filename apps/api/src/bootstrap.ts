import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { NOTICE_PRINT_STYLE } from '#deliberation';
import { MEDIATION_PRINT_STYLE } from '#mediation';
import {
  addSecurityHeaders,
  AllExceptionsFilter,
  type AppConfig,
  type Clock,
  createLogger,
  createValidationPipe,
  installRequestLimits,
  requestLimitOptions,
} from '#platform';
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
export async function createApp(
  config: AppConfig & { databaseUrl: string },
  opts: { clock?: Clock; log?: Logger } = {},
): Promise<NestFastifyApplication> {
  const log = opts.log ?? createLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: log,
    trustProxy: config.trustProxy,
    ...requestLimitOptions(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, log, opts.clock), adapter, {
    logger: nestLogger(log),
    bufferLogs: false,
    bodyParser: false, // JSON only, registered by installRequestLimits
  });
  installRequestLimits(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(log));
  // The printable pages open from memory under the UI's policy: their stylesheets are allowed by hash.
  addSecurityHeaders(app.getHttpAdapter().getInstance(), { inlineStyles: [NOTICE_PRINT_STYLE, MEDIATION_PRINT_STYLE] });
  // Off in production unless API_DOCS=true: the full route map helps an attacker more than a villager.
  if (config.apiDocs) {
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
  }
  await serveWeb(app, config);
  try {
    await app.init();
  } catch (err) {
    // A refused start (say, production on a database with demo data) must not leave pools open.
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}
