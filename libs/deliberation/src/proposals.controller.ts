import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor, BodyLimit, CurrentActor, IdPipe, RequirePermission } from '#platform';
import {
  AttachmentDto,
  CreateProposalDto,
  ImplementationReportDto,
  MeetingRecordDto,
  NoticeBodyDto,
  OpenVoteDto,
  PartyReviewDto,
  ProposalQueryDto,
  RecordApprovalDto,
  ReturnDto,
  ReviewDto,
  UpdateProposalDto,
  WithdrawDto,
} from './dto/proposal.dto.js';
import { ApprovalsService } from './approvals.service.js';
import { NoticesService } from './notices.service.js';
import { ProposalsService } from './proposals.service.js';
import type { DeliberationAnswer } from './routes.js';
import type { AttachmentLink } from './views.js';

@ApiTags('村事共议')
@ApiBearerAuth()
@Controller('api/v1/proposals')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly notices: NoticesService,
    private readonly approvals: ApprovalsService,
  ) {}

  @Post()
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '村委会新建议题（草稿）' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProposalDto): Promise<DeliberationAnswer<'POST /api/v1/proposals'>> {
    return this.proposals.create(actor, dto);
  }

  @Get()
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '议题列表：按区划、状态、类别、决策机构、日期筛选，全文检索，待我投票，待我审核' })
  list(@CurrentActor() actor: Actor, @Query() q: ProposalQueryDto): Promise<DeliberationAnswer<'GET /api/v1/proposals'>> {
    return this.proposals.list(actor, q);
  }

  @Get(':id')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '议题详情与全部历史' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id'>> {
    return this.proposals.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '修改草稿（含退回后修改）' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: UpdateProposalDto,
  ): Promise<DeliberationAnswer<'PATCH /api/v1/proposals/:id'>> {
    return this.proposals.update(actor, id, dto);
  }

  @Post(':id/proposal-meeting')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录村党组织提议（日期、参会人员）' })
  proposalMeeting(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: MeetingRecordDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/proposal-meeting'>> {
    return this.proposals.recordProposalMeeting(actor, id, dto, false);
  }

  @Post(':id/merged-meeting')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录提议与商议合并召开（书记、主任"一肩挑"）' })
  mergedMeeting(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: MeetingRecordDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/merged-meeting'>> {
    return this.proposals.recordProposalMeeting(actor, id, dto, true);
  }

  @Post(':id/consultation')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录村"两委"商议（日期、参会人员、结果）' })
  consultation(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: MeetingRecordDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/consultation'>> {
    return this.proposals.recordConsultation(actor, id, dto);
  }

  @Post(':id/party-review')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录党员大会审议（到会人数、赞成与反对票，按三分之二到会、过半数同意核验）' })
  partyReview(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: PartyReviewDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/party-review'>> {
    return this.proposals.recordPartyReview(actor, id, dto);
  }

  @Post(':id/party-vote')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '发起党员网上审议投票' })
  partyVote(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OpenVoteDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/party-vote'>> {
    return this.proposals.openPartyVote(actor, id, new Date(dto.closesAt));
  }

  @Post(':id/approve')
  @RequirePermission('proposal.review')
  @HttpCode(200)
  @ApiOperation({ summary: '乡镇审核通过，进入公开讨论' })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ReviewDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/approve'>> {
    return this.proposals.approve(actor, id, dto.comment);
  }

  @Post(':id/return')
  @RequirePermission('proposal.review')
  @HttpCode(200)
  @ApiOperation({ summary: '乡镇退回修改（须填写理由）' })
  returnForRevision(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ReturnDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/return'>> {
    return this.proposals.returnForRevision(actor, id, dto.reason);
  }

  @Post(':id/withdraw')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '表决开始前撤回议题' })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: WithdrawDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/withdraw'>> {
    return this.proposals.withdraw(actor, id, dto.reason);
  }

  @Post(':id/voting')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '讨论期满后开始表决（冻结表决人名单）' })
  openVoting(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OpenVoteDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/voting'>> {
    return this.proposals.openVoting(actor, id, new Date(dto.closesAt));
  }

  @Post(':id/resolution')
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '决议公开（含计票结果与公示期）' })
  resolution(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: NoticeBodyDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/resolution'>> {
    return this.notices.publishResolution(actor, id, dto.body);
  }

  @Post(':id/implementation-reports')
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '实施结果公开（可多次）' })
  implementation(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ImplementationReportDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/implementation-reports'>> {
    return this.notices.reportImplementation(actor, id, dto.body);
  }

  @Post(':id/close')
  @RequirePermission('proposal.write')
  @HttpCode(200)
  @ApiOperation({ summary: '办结' })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/close'>> {
    return this.notices.close(actor, id);
  }

  @Post(':id/approvals')
  @RequirePermission('proposal.approval.record')
  @ApiOperation({ summary: '乡镇干部登记决议的批准结果（乡镇人民政府、县级农业农村主管部门；农村土地承包法第二十八条、第五十二条）' })
  recordApproval(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: RecordApprovalDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/approvals'>> {
    return this.approvals.record(actor, id, dto);
  }

  @Post(':id/attachments')
  @BodyLimit(4 * 1024 * 1024) // AttachmentDto: a file of up to 2 MB in base64
  @RequirePermission('proposal.write')
  @ApiOperation({ summary: '添加附件（链接，或 2MB 以内的文件）' })
  addAttachment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AttachmentDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/attachments'>> {
    return this.proposals.addAttachment(actor, id, dto);
  }

  @Get(':id/meeting-notice/print')
  @RequirePermission('proposal.read')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '会议通知打印版（A4，村务公开栏）' })
  // A file answer (FileAnswer in proposal-routes.ts): the printable HTML page itself.
  meetingNoticePrint(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<string> {
    return this.proposals.meetingNoticePrint(actor, id);
  }

  @Get(':id/attachments/:attachmentId')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '下载附件（文件）或取得链接' })
  async attachment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('attachmentId', IdPipe) attachmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AttachmentLink | Buffer> {
    // The route's contract is a file (FileAnswer); a link attachment answers its name and link instead.
    const a = await this.proposals.attachment(actor, id, attachmentId);
    if (!a.content) return { name: a.name, url: a.url };
    void reply.header('content-type', a.contentType ?? 'application/octet-stream');
    void reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`);
    void reply.header('x-content-type-options', 'nosniff');
    return a.content;
  }
}
