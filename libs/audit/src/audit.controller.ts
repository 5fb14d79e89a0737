import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequirePermission } from '#platform';
import { AuditService } from './audit.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiTags('审计日志')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit.read')
  @ApiOperation({ summary: '审计日志（本辖区，分页筛选）' })
  list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto) {
    return this.audit.list(actor.scopesFor('audit.read'), {
      ...q,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
  }

  @Post('verify')
  @HttpCode(200)
  @RequirePermission('audit.verify')
  @ApiOperation({ summary: '重新计算哈希链并报告第一处断裂' })
  async verify() {
    await this.audit.seal();
    return this.audit.verify();
  }
}
