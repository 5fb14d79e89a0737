import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { AnswerDto, EscalationDto, QueryDto, QueryListQueryDto } from './dto/query.dto.js';
import { QueriesService } from './queries.service.js';
import type { OpennessAnswer } from './routes.js';

@ApiTags('村务共管：村民质询')
@ApiBearerAuth()
/** Villagers' queries (质询) of published disclosures: HTTP only; who may do what is QueriesService's and query-actions.ts's. */
@Controller('api/v1')
export class QueriesController {
  constructor(private readonly queries: QueriesService) {}

  @Post('disclosures/:id/queries')
  @RequirePermission('disclosure.query')
  @ApiOperation({ summary: '村民对已公开事项（或其中一笔收支）提出质询；村委会应在期限内答复' })
  ask(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: QueryDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosures/:id/queries'>> {
    return this.queries.ask(actor, id, dto);
  }

  @Get('disclosures/:id/queries')
  @RequirePermission('disclosure.read')
  @ApiOperation({ summary: '公开事项的质询与答复（对村民隐去他人姓名）' })
  ofDisclosure(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<OpennessAnswer<'GET /api/v1/disclosures/:id/queries'>> {
    return this.queries.ofDisclosure(actor, id);
  }

  @Get('disclosure-queries')
  @RequirePermission('disclosure.read')
  @ApiOperation({ summary: '质询列表：村委会、监委会、乡镇及以上看辖区内全部（overdue=true：逾期未答复），村民看本人的' })
  list(@CurrentActor() actor: Actor, @Query() q: QueryListQueryDto): Promise<OpennessAnswer<'GET /api/v1/disclosure-queries'>> {
    return this.queries.list(actor, q);
  }

  @Post('disclosure-queries/:id/answer')
  @HttpCode(200)
  @RequirePermission('disclosure.write')
  @ApiOperation({ summary: '村委会答复质询（尚未向乡镇反映前可更正答复）' })
  answer(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AnswerDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosure-queries/:id/answer'>> {
    return this.queries.answer(actor, id, dto.answer);
  }

  @Post('disclosure-queries/:id/escalate')
  @HttpCode(200)
  @RequirePermission('disclosure.query')
  @ApiOperation({ summary: '质询人认为答复不属实，或逾期未答复，向乡镇反映（村民委员会组织法第三十一条）' })
  escalate(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: EscalationDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosure-queries/:id/escalate'>> {
    return this.queries.escalate(actor, id, dto.reason);
  }

  @Post('disclosure-queries/:id/close')
  @HttpCode(200)
  @RequirePermission('openness.oversee')
  @ApiOperation({ summary: '乡镇办结村民反映的质询，并作出答复' })
  close(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AnswerDto,
  ): Promise<OpennessAnswer<'POST /api/v1/disclosure-queries/:id/close'>> {
    return this.queries.close(actor, id, dto.answer);
  }
}
