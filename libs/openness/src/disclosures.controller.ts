import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, attachmentDisposition, BodyLimit, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { DisclosuresService } from './disclosures.service.js';
import {
  CreateDisclosureDto,
  DisclosureAttachmentDto,
  DisclosureQueryDto,
  EditDisclosureDto,
  FinanceEntryDto,
  DisclosureReasonDto,
} from './dto/disclosure.dto.js';
import type { OpennessAnswer } from './routes.js';

@ApiTags('村务共管：公开事项')
@ApiBearerAuth()
@Controller('api/v1/disclosures')
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Get()
  @RequirePermission('disclosure.read')
  @ApiOperation({ summary: '公开事项列表（村民只看已公开的；村两委、监委会、乡镇及以上看全部）' })
  list(@CurrentActor() actor: Actor, @Query() q: DisclosureQueryDto): Promise<OpennessAnswer<'GET /api/v1/disclosures'>> {
    return this.disclosures.list(actor, q);
  }

  @Post()
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '新建公开事项（草稿）' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDisclosureDto): Promise<OpennessAnswer<'POST /api/v1/disclosures'>> {
    return this.disclosures.create(actor, dto);
  }

  @Get(':id')
  @RequirePermission('disclosure.read')
  @ApiOperation({ summary: '公开事项详情（财务公开含收支明细、余额核对）' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<OpennessAnswer<'GET /api/v1/disclosures/:id'>> {
    return this.disclosures.detail(actor, id);
  }

  @Patch(':id')
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '修改草稿或退回的公开事项' })
  edit(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: EditDisclosureDto,
  ): Promise<OpennessAnswer<'PATCH /api/v1/disclosures/:id'>> {
    return this.disclosures.edit(actor, id, dto);
  }

  @Post(':id/submit')
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '提交村务监督委员会审核（财务公开须收支平衡）' })
  submit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/submit'>> {
    return this.disclosures.step(actor, id, 'submit');
  }

  @Post(':id/return')
  @RequirePermission('disclosure.review')
  @ApiOperation({ summary: '监委会退回修改（须写明理由）' })
  giveBack(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: DisclosureReasonDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/return'>> {
    return this.disclosures.step(actor, id, 'return', dto.reason);
  }

  @Post(':id/sign-off')
  @RequirePermission('disclosure.review')
  @ApiOperation({ summary: '监委会审核通过' })
  signOff(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/sign-off'>> {
    return this.disclosures.step(actor, id, 'sign_off');
  }

  @Post(':id/publish')
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '公开（须经监委会审核）' })
  publish(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/publish'>> {
    return this.disclosures.step(actor, id, 'publish');
  }

  @Post(':id/entries')
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '添加一笔收支明细' })
  addEntry(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: FinanceEntryDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/entries'>> {
    return this.disclosures.addEntry(actor, id, dto);
  }

  @Delete(':id/entries/:entryId')
  @HttpCode(204)
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '删除一笔收支明细' })
  async deleteEntry(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('entryId', IdPipe) entryId: string,
  ): Promise<OpennessAnswer<'DELETE /api/v1/disclosures/:id/entries/:entryId'>> {
    await this.disclosures.deleteEntry(actor, id, entryId);
  }

  @Post(':id/attachments')
  @RequirePermission('disclosure.write')
  @BodyLimit(4 * 1024 * 1024) // a file of up to 2 MB in base64
  @ApiOperation({ summary: '添加附件（凭证照片、公开栏照片、报告）' })
  addAttachment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: DisclosureAttachmentDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/attachments'>> {
    return this.disclosures.addAttachment(actor, id, dto);
  }

  @Get(':id/attachments/:attachmentId')
  @RequirePermission('disclosure.read')
  @ApiOperation({ summary: '下载附件' })
  async attachment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('attachmentId', IdPipe) attachmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const a = await this.disclosures.attachment(actor, id, attachmentId);
    void reply.header('content-type', a.contentType);
    void reply.header('content-disposition', attachmentDisposition(a.name, `attachment-${attachmentId.slice(0, 8)}`));
    void reply.header('x-content-type-options', 'nosniff');
    return a.content;
  }
}
