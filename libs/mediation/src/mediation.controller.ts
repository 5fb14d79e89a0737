import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, PageQueryDto, RequirePermission, attachmentDisposition } from '#platform';
import { CaseIntakeService } from './case-intake.service.js';
import { CaseReadsService } from './case-reads.service.js';
import { CaseWorkflowService } from './case-workflow.service.js';
import {
  AcceptDto,
  AgreementDto,
  ConfirmationDto,
  ConfirmationOutcomeDto,
  ExtensionDto,
  IdNumberDto,
  ApplyDto,
  AssignDto,
  CaseListQueryDto,
  DeadlineQueryDto,
  FollowUpDto,
  ReasonDto,
  RegisterCaseDto,
  PartyRevealDto,
  RiskDto,
  SessionDto,
  MediationStatsQueryDto,
  TerminateDto,
} from './dto/case.dto.js';
import { agreementPage, confirmationApplicationPage } from './print-pages.js';
import type { MediationAnswer } from './routes.js';
import { StatsService } from './stats.service.js';

@ApiTags('人民调解')
@ApiBearerAuth()
/** 人民调解's routes: each answers its type in routes.ts (printable pages and the Excel file are files). */
@Controller('api/v1/mediation')
export class MediationController {
  constructor(
    private readonly intake: CaseIntakeService,
    private readonly workflow: CaseWorkflowService,
    private readonly reads: CaseReadsService,
    private readonly stats: StatsService,
  ) {}

  @Post('applications')
  @RequirePermission('mediation.case.apply')
  @ApiOperation({ summary: '村民在线申请调解（申请人为本人）' })
  apply(@CurrentActor() actor: Actor, @Body() dto: ApplyDto): Promise<MediationAnswer<'POST /api/v1/mediation/applications'>> {
    return this.intake.apply(actor, dto);
  }

  @Get('my-cases')
  @RequirePermission('mediation.case.apply')
  @ApiOperation({ summary: '我作为当事人的调解案件' })
  myCases(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<MediationAnswer<'GET /api/v1/mediation/my-cases'>> {
    return this.reads.myCases(actor, q);
  }

  @Get('my-cases/:id')
  @RequirePermission('mediation.case.apply')
  @ApiOperation({ summary: '我作为当事人的调解案件详情' })
  myCase(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<MediationAnswer<'GET /api/v1/mediation/my-cases/:id'>> {
    return this.reads.myCase(actor, id);
  }

  @Post('cases')
  @RequirePermission('mediation.case.write')
  @ApiOperation({ summary: '登记调解案件（申请、主动调解或移送）' })
  register(@CurrentActor() actor: Actor, @Body() dto: RegisterCaseDto): Promise<MediationAnswer<'POST /api/v1/mediation/cases'>> {
    return this.intake.register(actor, dto);
  }

  @Get('cases')
  @RequirePermission('mediation.case.read')
  @ApiOperation({ summary: '调解案件列表（按角色脱敏）' })
  list(@CurrentActor() actor: Actor, @Query() q: CaseListQueryDto): Promise<MediationAnswer<'GET /api/v1/mediation/cases'>> {
    return this.reads.list(actor, q);
  }

  @Get('cases/:id')
  @RequirePermission('mediation.case.read')
  @ApiOperation({ summary: '调解案件详情（按角色脱敏）' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<MediationAnswer<'GET /api/v1/mediation/cases/:id'>> {
    return this.reads.get(actor, id);
  }

  @Post('cases/:id/accept')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '受理（可同时补充本案需要的当事人身份证号）' })
  accept(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AcceptDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/accept'>> {
    return this.workflow.accept(actor, id, dto.identifiers ?? []);
  }

  @Post('cases/:id/parties/:partyId/id-number')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '补充当事人身份证号（申请时未填的）' })
  identify(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('partyId', IdPipe) partyId: string,
    @Body() dto: IdNumberDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/parties/:partyId/id-number'>> {
    return this.workflow.identify(actor, id, partyId, dto.idNumber);
  }

  @Post('cases/:id/extensions')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '经当事人同意延长调解期限（《人民调解工作若干规定》第三十三条）' })
  extend(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ExtensionDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/extensions'>> {
    return this.workflow.extend(actor, id, dto);
  }

  @Post('cases/:id/confirmation')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录当事人共同申请司法确认（人民调解法第三十三条）' })
  applyForConfirmation(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ConfirmationDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/confirmation'>> {
    return this.workflow.applyForConfirmation(actor, id, dto);
  }

  @Post('cases/:id/confirmation/outcome')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录人民法院的司法确认裁定' })
  recordConfirmationOutcome(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ConfirmationOutcomeDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/confirmation/outcome'>> {
    return this.workflow.recordConfirmationOutcome(actor, id, dto);
  }

  @Post('cases/:id/decline')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '不予受理（如一方当事人拒绝调解，人民调解法第十七条）' })
  decline(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ReasonDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/decline'>> {
    return this.workflow.decline(actor, id, dto.reason);
  }

  @Post('cases/:id/mediators')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '指派调解员' })
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AssignDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/mediators'>> {
    return this.workflow.assign(actor, id, dto.mediatorPersonIds);
  }

  @Post('cases/:id/sessions')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '记录一次调解（人民调解法第二十七条）' })
  session(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: SessionDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/sessions'>> {
    return this.workflow.recordSession(actor, id, dto);
  }

  @Post('cases/:id/agreement')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '达成调解协议（人民调解法第二十九条）' })
  agree(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AgreementDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/agreement'>> {
    return this.workflow.agree(actor, id, dto);
  }

  @Post('cases/:id/terminate')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '终止调解并告知其他途径（人民调解法第二十六条）' })
  terminate(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: TerminateDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/terminate'>> {
    return this.workflow.terminate(actor, id, dto);
  }

  @Post('cases/:id/follow-ups')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '回访：协议履行情况' })
  followUp(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: FollowUpDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/follow-ups'>> {
    return this.workflow.followUp(actor, id, dto);
  }

  @Post('cases/:id/close')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '结案' })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/close'>> {
    return this.workflow.close(actor, id);
  }

  @Post('cases/:id/escalate')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '上报上一级调解委员会（村→乡镇→县）' })
  escalate(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ReasonDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/escalate'>> {
    return this.workflow.escalate(actor, id, dto.reason);
  }

  @Post('cases/:id/risk')
  @RequirePermission('mediation.case.write')
  @HttpCode(200)
  @ApiOperation({ summary: '标记激化风险：即时预警乡镇，记录已报告公安机关（人民调解法第二十五条）' })
  risk(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: RiskDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/risk'>> {
    return this.workflow.flagRisk(actor, id, dto);
  }

  @Post('cases/:id/parties/:partyId/reveal')
  @RequirePermission('mediation.case.reveal')
  @HttpCode(200)
  @ApiOperation({ summary: '查看当事人完整身份证号或手机号（记录审计）' })
  reveal(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('partyId', IdPipe) partyId: string,
    @Body() dto: PartyRevealDto,
  ): Promise<MediationAnswer<'POST /api/v1/mediation/cases/:id/parties/:partyId/reveal'>> {
    return this.reads.reveal(actor, id, partyId, dto.field);
  }

  @Get('cases/:id/agreement.html')
  @RequirePermission('mediation.case.read_parties')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '打印调解协议书或口头协议记录（A4，身份证号和手机号脱敏）' })
  async agreementHtml(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<string> {
    const { c, parties, agreement, mediators } = await this.reads.forPrint(actor, id, 'agreement');
    return agreementPage(c, parties, agreement, mediators);
  }

  @Get('cases/:id/confirmation-application.html')
  @RequirePermission('mediation.case.reveal')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '打印司法确认申请书（A4，含当事人完整身份证号和手机号，记录审计）' })
  async confirmationHtml(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<string> {
    const { c, parties, agreement } = await this.reads.forPrint(actor, id, 'confirmation_application');
    return confirmationApplicationPage(c, parties, agreement);
  }

  @Get('deadlines')
  @RequirePermission('mediation.case.read')
  @ApiOperation({ summary: '临期与逾期案件（按委员会或乡镇）' })
  deadlines(@CurrentActor() actor: Actor, @Query() q: DeadlineQueryDto): Promise<MediationAnswer<'GET /api/v1/mediation/deadlines'>> {
    return this.reads.deadlines(actor, q.divisionCode, q.scope, q.state);
  }

  @Get('alerts')
  @RequirePermission('mediation.case.read')
  @ApiOperation({ summary: '激化风险预警（本辖区乡镇）' })
  alerts(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<MediationAnswer<'GET /api/v1/mediation/alerts'>> {
    return this.reads.alerts(actor, q);
  }

  @Get('stats')
  @RequirePermission('mediation.stats.read')
  @ApiOperation({ summary: '调解统计（按委员会、乡镇、县或月份）' })
  statistics(@CurrentActor() actor: Actor, @Query() q: MediationStatsQueryDto): Promise<MediationAnswer<'GET /api/v1/mediation/stats'>> {
    return this.stats.report(actor, q);
  }

  @Get('stats.xlsx')
  @RequirePermission('mediation.stats.read')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', attachmentDisposition('人民调解统计.xlsx', 'mediation-stats.xlsx'))
  @ApiOperation({ summary: '导出调解统计（Excel）' })
  async statisticsExcel(@CurrentActor() actor: Actor, @Query() q: MediationStatsQueryDto): Promise<StreamableFile> {
    return new StreamableFile(await this.stats.excel(actor, q));
  }
}
