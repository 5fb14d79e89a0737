import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, KeepsReadCache, RequirePermission } from '#platform';
import { BallotBox } from './ballot-box.service.js';
import { BallotDto, ProxyDto, VotePurposeQueryDto } from './dto/proposal.dto.js';
import { DeliberationErrors } from './deliberation.errors.js';
import type { DeliberationAnswer } from './routes.js';
import { VoteResults } from './vote-results.service.js';

@ApiTags('村事共议：表决')
@ApiBearerAuth()
@Controller('api/v1/proposals')
export class VotingController {
  constructor(
    private readonly box: BallotBox,
    private readonly results: VoteResults,
  ) {}

  @Post(':id/ballots')
  @KeepsReadCache()
  @RequirePermission('ballot.cast')
  @ApiOperation({ summary: '投票（赞成、反对、弃权），返回一次性回执码' })
  cast(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: BallotDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/ballots'>> {
    return this.box.cast(actor, id, dto.choice, dto.receiptCode, dto.onBehalfOf);
  }

  @Post(':id/proxies')
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '成员大会：登记书面委托（委托同户成员代为投票）' })
  proxy(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ProxyDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/proxies'>> {
    return this.box.recordProxy(actor, id, dto.grantorPersonId, dto.proxyPersonId);
  }

  @Get(':id/turnout')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '参与情况（应参加与已投票人数；截止前不显示票数）' })
  turnout(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/turnout'>> {
    return this.results.turnout(actor, id);
  }

  @Get(':id/results')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '计票结果（截止前任何人不得查看）' })
  result(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Query() q: VotePurposeQueryDto,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/results'>> {
    return this.results.results(actor, id, q.purpose);
  }

  @Get(':id/ballots')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '截止后公开选票：无记名为回执码与选择，记名为姓名与选择' })
  ballots(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Query() q: VotePurposeQueryDto,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/ballots'>> {
    return this.results.ballots(actor, id, q.purpose);
  }

  @Get(':id/receipts/:code')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '凭回执码核对本人选票已按所投计入' })
  receipt(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('code') code: string,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/receipts/:code'>> {
    if (!/^[0-9A-Za-z]{12}$/.test(code)) throw DeliberationErrors.receiptUnknown();
    return this.results.checkReceipt(actor, id, code);
  }
}
