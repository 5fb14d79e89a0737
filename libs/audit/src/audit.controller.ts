import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, BodyLimit, CurrentActor, RequirePermission } from '#platform';
import { AuditService } from './audit.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';
import { VerifyDto } from './dto/verify.dto.js';
import type { AuditAnswer } from './routes.js';

@ApiTags('审计日志')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit.read')
  @ApiOperation({ summary: '审计日志（本辖区，分页筛选）' })
  list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto): Promise<AuditAnswer<'GET /api/v1/audit'>> {
    return this.audit.list(
      actor.scopesFor('audit.read'),
      {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      actor.scopesFor('audit.read_restricted'),
    );
  }

  @Get('head')
  @RequirePermission('audit.verify')
  @ApiOperation({ summary: '审计链当前链头（序号与哈希），供在库外留存、公布作为锚点' })
  async head(): Promise<AuditAnswer<'GET /api/v1/audit/head'>> {
    await this.audit.seal();
    return { head: await this.audit.head() };
  }

  @Post('verify')
  @BodyLimit(2 * 1024 * 1024) // VerifyDto: up to 10,000 anchors
  @HttpCode(200)
  @RequirePermission('audit.verify')
  @ApiOperation({ summary: '重新计算哈希链并报告第一处断裂；同时核对给出的锚点与 AUDIT_ANCHOR_FILE 中的锚点' })
  async verify(@Body() dto: VerifyDto): Promise<AuditAnswer<'POST /api/v1/audit/verify'>> {
    await this.audit.seal();
    return this.audit.verify(dto.anchors ?? []);
  }
}
