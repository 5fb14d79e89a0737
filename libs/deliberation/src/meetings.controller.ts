import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, BodyLimit, CurrentActor, IdPipe, KeepsReadCache, RequirePermission } from '#platform';
import {
  AssistedBallotDto,
  MeetingDto,
  OnsiteChoiceDto,
  PaperTotalsDto,
  SignInDto,
  SignInQueryDto,
  TallySheetDto,
} from './dto/meeting.dto.js';
import { MeetingsService } from './meetings.service.js';
import type { DeliberationAnswer } from './routes.js';

/**
 * The decision vote's meeting. Every route needs `proposal.read` over the village; the service then
 * asks for the duty the step needs (the committee's staff, a teller, a scrutineer) — a meeting's
 * officers are people named for it, not a role.
 */
@ApiTags('村事共议：表决会议（现场与网上）')
@ApiBearerAuth()
@Controller('api/v1/proposals')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Get(':id/meeting')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '表决会议：时间、地点、主持人、计票人、监票人、参加方式，以及本人现在可办的事项' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/meeting'>> {
    return this.meetings.get(actor, id);
  }

  @Put(':id/meeting')
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '安排表决会议（乡镇审核通过后、表决结束前）' })
  arrange(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: MeetingDto,
  ): Promise<DeliberationAnswer<'PUT /api/v1/proposals/:id/meeting'>> {
    return this.meetings.arrange(actor, id, dto);
  }

  @Get(':id/meeting/sign-in-sheet')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '签到表（打印用）：冻结的参会名单，含户号、身份证后四位、无智能手机标记' })
  sheet(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/meeting/sign-in-sheet'>> {
    return this.meetings.sheet(actor, id);
  }

  @Get(':id/meeting/electors')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '签到查找：按姓名或户号（最多 30 人）' })
  electors(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Query() q: SignInQueryDto,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/meeting/electors'>> {
    return this.meetings.electors(actor, id, q.q);
  }

  @Post(':id/meeting/sign-ins')
  @KeepsReadCache()
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '现场签到（已在线投票者不能签到；签到后不能再网上投票）' })
  signIn(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: SignInDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/meeting/sign-ins'>> {
    return this.meetings.signIn(actor, id, dto.personId);
  }

  @Post(':id/meeting/choices')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '记名表决：计票人登记签到村民的现场表决意见' })
  choice(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OnsiteChoiceDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/meeting/choices'>> {
    return this.meetings.recordChoice(actor, id, dto);
  }

  @Post(':id/meeting/paper-totals')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '无记名投票：计票人录入纸质票数（两名计票人分别录入，一致才采纳）' })
  paper(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: PaperTotalsDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/meeting/paper-totals'>> {
    return this.meetings.enterPaper(actor, id, dto);
  }

  @Post(':id/meeting/tally-sheet')
  @RequirePermission('proposal.read')
  @BodyLimit(4 * 1024 * 1024) // a photo of up to 2 MB in base64
  @ApiOperation({ summary: '上传签字的计票单照片' })
  sheetPhoto(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: TallySheetDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/meeting/tally-sheet'>> {
    return this.meetings.attachSheet(actor, id, dto);
  }

  @Post(':id/meeting/confirmation')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '监票人确认现场表决结果（确认后方可计票）' })
  confirm(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/meeting/confirmation'>> {
    return this.meetings.confirm(actor, id);
  }

  @Get(':id/meeting/turnout')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '实时到会情况：签到、网上投票、还差多少人达到法定人数（不显示票数）' })
  turnout(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/meeting/turnout'>> {
    return this.meetings.turnout(actor, id);
  }

  @Post(':id/assisted-ballots')
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '代投：村民在村委会用工作人员的设备投票（记录协助人，不记录无记名投票的选择）' })
  assist(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AssistedBallotDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/assisted-ballots'>> {
    return this.meetings.assist(actor, id, dto);
  }

  @Get(':id/assisted-ballots')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '代投名单（供监票人核查）' })
  assisted(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/assisted-ballots'>> {
    return this.meetings.assisted(actor, id);
  }
}
