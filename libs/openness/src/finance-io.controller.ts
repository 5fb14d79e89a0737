import { Body, Controller, Get, Header, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, attachmentDisposition, BodyLimit, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { FinanceImportDto } from './dto/finance-io.dto.js';
import { FinanceExportService } from './finance-export.service.js';
import { FinanceImportService } from './finance-import.service.js';
import { MAX_IMPORT_BASE64 } from './finance-sheet.js';
import type { OpennessAnswer } from './routes.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 财务公开's sheets in and out, and the page for the 村务公开栏. */
@ApiTags('村务共管')
@ApiBearerAuth()
@Controller('api/v1/disclosures')
export class FinanceIoController {
  constructor(
    private readonly importer: FinanceImportService,
    private readonly exporter: FinanceExportService,
  ) {}

  @Post(':id/import')
  @BodyLimit(MAX_IMPORT_BASE64 + 64 * 1024) // FinanceImportDto: a base64 .xlsx of up to 5 MB
  @RequirePermission('disclosure.write')
  @HttpCode(200)
  @ApiOperation({ summary: '导入本期收支明细（.xlsx 模板；先预览；全部无误才替换全部明细）' })
  import(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: FinanceImportDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/import'>> {
    return this.importer.import(actor, id, dto);
  }

  @Get('finance-template')
  @RequirePermission('disclosure.write')
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', attachmentDisposition('财务公开收支明细模板.xlsx', 'finance-template.xlsx'))
  @ApiOperation({ summary: '下载收支明细模板（Excel）' })
  async template(): Promise<StreamableFile> {
    return new StreamableFile(await this.exporter.template());
  }

  @Get(':id/export')
  @RequirePermission('disclosure.read')
  @ApiOperation({ summary: '导出本期收支明细和汇总（Excel，可再导入）' })
  async export(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.exporter.workbook(actor, id);
    void reply.header('content-type', XLSX);
    void reply.header('content-disposition', attachmentDisposition(file.fileName, file.asciiName));
    return new StreamableFile(file.content);
  }

  @Get(':id/print')
  @RequirePermission('disclosure.read')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '财务公开栏打印版（A4）' })
  // A file answer (FileAnswer in routes.ts): the printable HTML page itself.
  print(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<string> {
    return this.exporter.board(actor, id);
  }
}
