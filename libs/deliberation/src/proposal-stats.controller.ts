import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { type Actor, CurrentActor, RequirePermission, attachmentDisposition } from '#platform';
import { ProposalStatsService } from './proposal-stats.service.js';
import type { ProposalStatsQuery } from './proposal-routes.js';
import type { DeliberationAnswer } from './routes.js';

export class ProposalStatsQueryDto implements ProposalStatsQuery {
  @ApiPropertyOptional({ description: '统计范围（市、县、乡镇或村），默认本人辖区' })
  @IsOptional()
  @Matches(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, { message: '区划代码格式错误' })
  divisionCode?: string;
}

@ApiTags('村事共议')
@ApiBearerAuth()
@Controller('api/v1/proposal-stats')
export class ProposalStatsController {
  constructor(private readonly stats: ProposalStatsService) {}

  @Get()
  @RequirePermission('proposal.stats.read')
  @ApiOperation({ summary: '议事统计：议题按状态、按下级区划，表决参与率' })
  report(@CurrentActor() actor: Actor, @Query() q: ProposalStatsQueryDto): Promise<DeliberationAnswer<'GET /api/v1/proposal-stats'>> {
    return this.stats.report(actor, q.divisionCode);
  }

  @Get('xlsx')
  @RequirePermission('proposal.stats.read')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', attachmentDisposition('村事共议统计.xlsx', 'proposal-stats.xlsx'))
  @ApiOperation({ summary: '议事统计 Excel' })
  async excel(@CurrentActor() actor: Actor, @Query() q: ProposalStatsQueryDto): Promise<StreamableFile> {
    return new StreamableFile(await this.stats.excel(actor, q.divisionCode));
  }
}
