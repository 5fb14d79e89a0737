import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#platform';
import { DivisionsService } from './divisions.service.js';
import { DivisionSearchDto } from './dto/division-search.dto.js';
import type { DivisionAnswer } from './routes.js';

/** Administrative divisions are public reference data (NBS 统计用区划代码). */
@ApiTags('行政区划')
@Controller('api/v1/divisions')
export class DivisionsController {
  constructor(private readonly divisions: DivisionsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: '顶级区划（长治市）' })
  roots(): Promise<DivisionAnswer<'GET /api/v1/divisions'>> {
    return this.divisions.roots();
  }

  @Get('search')
  @Public()
  @ApiOperation({ summary: '按名称搜索区划' })
  search(@Query() q: DivisionSearchDto): Promise<DivisionAnswer<'GET /api/v1/divisions/search'>> {
    return this.divisions.search(q.q, { within: q.within, level: q.level, limit: q.limit });
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: '区划详情及上级路径' })
  get(@Param('code') code: string): Promise<DivisionAnswer<'GET /api/v1/divisions/:code'>> {
    return this.divisions.get(code);
  }

  @Get(':code/children')
  @Public()
  @ApiOperation({ summary: '下级区划' })
  children(@Param('code') code: string): Promise<DivisionAnswer<'GET /api/v1/divisions/:code/children'>> {
    return this.divisions.children(code);
  }
}
