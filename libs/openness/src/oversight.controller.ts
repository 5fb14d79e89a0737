import { Body, Controller, Get, Header, Param, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequirePermission, attachmentDisposition } from '#platform';
import { OversightQueryDto, VillageSettingDto } from './dto/oversight.dto.js';
import { OversightService } from './oversight.service.js';
import type { OpennessAnswer } from './routes.js';

@ApiTags('村务共管')
@ApiBearerAuth()
/** The schedule and the township's watch: roll-ups of due, overdue and published disclosures, a village's schedule, its cadence. */
@Controller('api/v1/openness')
export class OversightController {
  constructor(private readonly oversight: OversightService) {}

  @Get('oversight')
  @RequirePermission('openness.oversight.read')
  @ApiOperation({ summary: '村务公开督查：下级各单位到期、逾期、已公开的情况' })
  overview(@CurrentActor() actor: Actor, @Query() q: OversightQueryDto): Promise<OpennessAnswer<'GET /api/v1/openness/oversight'>> {
    return this.oversight.overview(actor, q);
  }

  @Get('oversight/export')
  @RequirePermission('openness.oversight.read')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', attachmentDisposition('村务公开督查.xlsx', 'openness-oversight.xlsx'))
  @ApiOperation({ summary: '导出村务公开督查表（Excel）' })
  async export(@CurrentActor() actor: Actor, @Query() q: OversightQueryDto): Promise<StreamableFile> {
    return new StreamableFile(await this.oversight.export(actor, q));
  }

  @Get('villages/:code/schedule')
  @RequirePermission('openness.oversight.read')
  @ApiOperation({ summary: '某村的公开日程：各期应公开事项的状态和乡镇的责令公开' })
  schedule(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Query() q: OversightQueryDto,
  ): Promise<OpennessAnswer<'GET /api/v1/openness/villages/:code/schedule'>> {
    return this.oversight.schedule(actor, code, q.asOf);
  }

  @Put('villages/:code/setting')
  @RequirePermission('openness.oversee')
  @ApiOperation({ summary: '设置某村是否按月公开财务（乡镇）' })
  setting(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() dto: VillageSettingDto,
  ): Promise<OpennessAnswer<'PUT /api/v1/openness/villages/:code/setting'>> {
    return this.oversight.setFinanceMonthly(actor, code, dto.financeMonthly);
  }
}
