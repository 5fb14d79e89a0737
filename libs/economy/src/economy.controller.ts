import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Injectable,
  Param,
  Patch,
  type PipeTransform,
  Post,
  Put,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, BodyLimit, CommonErrors, CurrentActor, IdPipe, RequirePermission, attachmentDisposition } from '#platform';
import { CompaniesService } from './companies.service.js';
import {
  AllianceDto,
  CompanyCreateDto,
  CompanyFiguresDto,
  CompanyQueryDto,
  CompanyUpdateDto,
  ExportQueryDto,
  ImportDto,
  LocksQueryDto,
  MemberAddDto,
  MemberRepresentativeElectDto,
  MemberRepresentativeEndDto,
  MemberSharesDto,
  OfficersDto,
  OrgCreateDto,
  OrgFiguresDto,
  OrgQueryDto,
  OrgUpdateDto,
  ShareholdersDto,
  StatsQueryDto,
  WeakThresholdDto,
  YearLockDto,
  YearUnlockDto,
} from './dto/economy.dto.js';
import { ExportService } from './export.service.js';
import { ImportService } from './import.service.js';
import { OrgsService } from './orgs.service.js';
import { EconomyStatsService } from './stats.service.js';
import type { EconomyAnswer } from './routes.js';
import { YearLocksService } from './year-locks.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Path years must be plausible; anything else names no record. */
@Injectable()
class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{4}$/.test(value)) throw CommonErrors.notFound();
    const y = Number(value);
    if (y < 2000 || y > 2100) throw CommonErrors.notFound();
    return y;
  }
}

@ApiTags('集体经济')
@ApiBearerAuth()
@Controller('api/v1/economy')
export class EconomyController {
  constructor(
    private readonly orgs: OrgsService,
    private readonly companies: CompaniesService,
    private readonly locks: YearLocksService,
    private readonly stats: EconomyStatsService,
    private readonly importer: ImportService,
    private readonly exporter: ExportService,
  ) {}

  // ----- collective economic organizations -----

  @Get('orgs')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '集体经济组织名录（本辖区）' })
  listOrgs(@CurrentActor() actor: Actor, @Query() q: OrgQueryDto): Promise<EconomyAnswer<'GET /api/v1/economy/orgs'>> {
    return this.orgs.list(actor, q);
  }

  @Post('orgs')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '登记集体经济组织' })
  createOrg(@CurrentActor() actor: Actor, @Body() dto: OrgCreateDto): Promise<EconomyAnswer<'POST /api/v1/economy/orgs'>> {
    return this.orgs.create(actor, dto);
  }

  @Get('orgs/:id')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '集体经济组织详情（含理事、监事和修改历史）' })
  getOrg(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id'>> {
    return this.orgs.get(actor, id);
  }

  @Patch('orgs/:id')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '修改集体经济组织登记信息' })
  updateOrg(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OrgUpdateDto,
  ): Promise<EconomyAnswer<'PATCH /api/v1/economy/orgs/:id'>> {
    return this.orgs.update(actor, id, dto);
  }

  @Get('orgs/:id/history')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '集体经济组织修改历史' })
  orgHistory(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id/history'>> {
    return this.orgs.history(actor, id);
  }

  @Put('orgs/:id/officers')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '设置理事会（含理事长）和监事（监事不得兼任理事）' })
  setOfficers(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OfficersDto,
  ): Promise<EconomyAnswer<'PUT /api/v1/economy/orgs/:id/officers'>> {
    return this.orgs.setOfficers(actor, id, dto);
  }

  @Get('orgs/:id/members')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '成员及份额' })
  members(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id/members'>> {
    return this.orgs.members(actor, id);
  }

  @Post('orgs/:id/members')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '增加成员（须在村民登记中）' })
  addMember(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: MemberAddDto,
  ): Promise<EconomyAnswer<'POST /api/v1/economy/orgs/:id/members'>> {
    return this.orgs.addMember(actor, id, dto);
  }

  @Get('orgs/:id/member-representatives')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '成员代表名册（当选日期、五年任期）及提示' })
  memberRepresentatives(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id/member-representatives'>> {
    return this.orgs.memberRepresentatives(actor, id);
  }

  @Post('orgs/:id/member-representatives')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '登记当选的成员代表（须为本组织现有成员）' })
  electMemberRepresentative(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: MemberRepresentativeElectDto,
  ): Promise<EconomyAnswer<'POST /api/v1/economy/orgs/:id/member-representatives'>> {
    return this.orgs.electMemberRepresentative(actor, id, dto);
  }

  @Post('orgs/:id/member-representatives/:representativeId/end')
  @RequirePermission('economy.org.write')
  @HttpCode(200)
  @ApiOperation({ summary: '成员代表任期提前终止' })
  endMemberRepresentative(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('representativeId', IdPipe) representativeId: string,
    @Body() dto: MemberRepresentativeEndDto,
  ): Promise<EconomyAnswer<'POST /api/v1/economy/orgs/:id/member-representatives/:representativeId/end'>> {
    return this.orgs.endMemberRepresentative(actor, id, representativeId, dto);
  }

  @Post('orgs/:id/members/:memberId/shares')
  @RequirePermission('economy.org.write')
  @HttpCode(200)
  @ApiOperation({ summary: '份额变更（记录在份额变更历史中，不覆盖）' })
  changeShares(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('memberId', IdPipe) memberId: string,
    @Body() dto: MemberSharesDto,
  ): Promise<EconomyAnswer<'POST /api/v1/economy/orgs/:id/members/:memberId/shares'>> {
    return this.orgs.changeShares(actor, id, memberId, dto);
  }

  @Get('orgs/:id/share-changes')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '份额变更历史' })
  shareChanges(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id/share-changes'>> {
    return this.orgs.shareHistory(actor, id);
  }

  @Get('orgs/:id/figures')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '年度数据' })
  orgFigures(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id/figures'>> {
    return this.orgs.figures(actor, id);
  }

  @Put('orgs/:id/figures/:year')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '填报或修改某年度数据（年度已确认锁定时拒绝）' })
  putOrgFigures(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('year', YearPipe) year: number,
    @Body() dto: OrgFiguresDto,
  ): Promise<EconomyAnswer<'PUT /api/v1/economy/orgs/:id/figures/:year'>> {
    return this.orgs.putFigures(actor, id, year, dto);
  }

  @Get('orgs/:id/report/:year')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '年度财务公开报告（民主理财）' })
  report(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('year', YearPipe) year: number,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/orgs/:id/report/:year'>> {
    return this.orgs.yearReport(actor, id, year);
  }

  // ----- platform companies -----

  @Get('companies')
  @RequirePermission('economy.company.read')
  @ApiOperation({ summary: '平台公司名录（本辖区）' })
  listCompanies(@CurrentActor() actor: Actor, @Query() q: CompanyQueryDto): Promise<EconomyAnswer<'GET /api/v1/economy/companies'>> {
    return this.companies.list(actor, q);
  }

  @Post('companies')
  @RequirePermission('economy.company.write')
  @ApiOperation({ summary: '登记平台公司' })
  createCompany(@CurrentActor() actor: Actor, @Body() dto: CompanyCreateDto): Promise<EconomyAnswer<'POST /api/v1/economy/companies'>> {
    return this.companies.create(actor, { ...dto, foundedOn: dto.foundedOn ?? null, businessScope: dto.businessScope ?? null });
  }

  @Get('companies/:id')
  @RequirePermission('economy.company.read')
  @ApiOperation({ summary: '平台公司详情（含股东、产业联盟和修改历史）' })
  getCompany(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<EconomyAnswer<'GET /api/v1/economy/companies/:id'>> {
    return this.companies.get(actor, id);
  }

  @Patch('companies/:id')
  @RequirePermission('economy.company.write')
  @ApiOperation({ summary: '修改平台公司登记信息' })
  updateCompany(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: CompanyUpdateDto,
  ): Promise<EconomyAnswer<'PATCH /api/v1/economy/companies/:id'>> {
    return this.companies.update(actor, id, dto);
  }

  @Get('companies/:id/history')
  @RequirePermission('economy.company.read')
  @ApiOperation({ summary: '平台公司修改历史' })
  companyHistory(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/companies/:id/history'>> {
    return this.companies.history(actor, id);
  }

  @Put('companies/:id/shareholders')
  @RequirePermission('economy.company.write')
  @ApiOperation({ summary: '设置股东名单（持股比例合计不得超过 100%）' })
  putShareholders(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: ShareholdersDto,
  ): Promise<EconomyAnswer<'PUT /api/v1/economy/companies/:id/shareholders'>> {
    return this.companies.putShareholders(actor, id, dto.shareholders);
  }

  @Put('companies/:id/alliance')
  @RequirePermission('economy.company.write')
  @ApiOperation({ summary: '设置产业联盟成员' })
  putAlliance(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AllianceDto,
  ): Promise<EconomyAnswer<'PUT /api/v1/economy/companies/:id/alliance'>> {
    return this.companies.putAlliance(actor, id, dto.members);
  }

  @Get('companies/:id/figures')
  @RequirePermission('economy.company.read')
  @ApiOperation({ summary: '平台公司年度数据和分红' })
  companyFigures(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<EconomyAnswer<'GET /api/v1/economy/companies/:id/figures'>> {
    return this.companies.figures(actor, id);
  }

  @Put('companies/:id/figures/:year')
  @RequirePermission('economy.company.write')
  @ApiOperation({ summary: '填报平台公司某年度营业收入、利润和对各股东组织的分红' })
  putCompanyFigures(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('year', YearPipe) year: number,
    @Body() dto: CompanyFiguresDto,
  ): Promise<EconomyAnswer<'PUT /api/v1/economy/companies/:id/figures/:year'>> {
    return this.companies.putFigures(actor, id, year, dto);
  }

  // ----- year confirmation -----

  @Get('year-locks')
  @RequirePermission('economy.org.read')
  @ApiOperation({ summary: '年度确认（锁定）记录' })
  listLocks(@CurrentActor() actor: Actor, @Query() q: LocksQueryDto): Promise<EconomyAnswer<'GET /api/v1/economy/year-locks'>> {
    return this.locks.list(actor, q.year);
  }

  @Post('year-locks')
  @RequirePermission('economy.figures.confirm')
  @ApiOperation({ summary: '乡镇（县）确认某年度数据并锁定' })
  confirmYear(@CurrentActor() actor: Actor, @Body() dto: YearLockDto): Promise<EconomyAnswer<'POST /api/v1/economy/year-locks'>> {
    return this.locks.confirm(actor, dto.divisionCode, dto.year);
  }

  @Post('year-locks/unlock')
  @RequirePermission('economy.figures.confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '解锁某年度数据（须说明理由，记录审计）' })
  unlockYear(@CurrentActor() actor: Actor, @Body() dto: YearUnlockDto): Promise<EconomyAnswer<'POST /api/v1/economy/year-locks/unlock'>> {
    return this.locks.unlock(actor, dto.divisionCode, dto.year, dto.reason);
  }

  // ----- roll-ups -----

  @Get('stats')
  @RequirePermission('economy.stats.read')
  @ApiOperation({ summary: '按乡镇、县、市汇总某年度数据' })
  rollup(@CurrentActor() actor: Actor, @Query() q: StatsQueryDto): Promise<EconomyAnswer<'GET /api/v1/economy/stats'>> {
    return this.stats.rollup(actor, q.year, q.divisionCode);
  }

  @Get('stats.xlsx')
  @RequirePermission('economy.stats.read')
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', attachmentDisposition('集体经济汇总.xlsx', 'economy-rollup.xlsx'))
  @ApiOperation({ summary: '导出汇总（Excel）' })
  async rollupExcel(@CurrentActor() actor: Actor, @Query() q: StatsQueryDto): Promise<StreamableFile> {
    return new StreamableFile(await this.exporter.rollup(actor, q.year, q.divisionCode));
  }

  @Get('settings')
  @RequirePermission('economy.stats.read')
  @ApiOperation({ summary: '集体经济设置（薄弱村标准）' })
  async settings(): Promise<EconomyAnswer<'GET /api/v1/economy/settings'>> {
    return { weakThresholdFen: await this.stats.weakThresholdFen() };
  }

  @Put('settings')
  @RequirePermission('economy.settings.write')
  @ApiOperation({ summary: '修改薄弱村标准（仅市级管理员）' })
  setSettings(@CurrentActor() actor: Actor, @Body() dto: WeakThresholdDto): Promise<EconomyAnswer<'PUT /api/v1/economy/settings'>> {
    return this.stats.setWeakThreshold(actor, dto.weakThresholdFen);
  }

  // ----- Excel in and out -----

  @Get('export.xlsx')
  @RequirePermission('economy.org.read')
  @Header('Content-Type', XLSX)
  @Header('Content-Disposition', attachmentDisposition('集体经济台账.xlsx', 'economy-registry.xlsx'))
  @ApiOperation({ summary: '导出登记册（每张表一个工作表，中文表头，可再导入）' })
  async exportRegistry(@CurrentActor() actor: Actor, @Query() q: ExportQueryDto): Promise<StreamableFile> {
    return new StreamableFile(await this.exporter.registry(actor, q.divisionCode));
  }

  @Post('imports')
  @BodyLimit(21 * 1024 * 1024) // ImportDto: up to 20,000,000 base64 characters
  @RequirePermission('economy.org.write')
  @HttpCode(202)
  @ApiOperation({ summary: '导入 .xlsx / .csv（先预览；全部成功或全部不写入；返回任务，轮询进度）' })
  startImport(@CurrentActor() actor: Actor, @Body() dto: ImportDto): Promise<EconomyAnswer<'POST /api/v1/economy/imports'>> {
    return this.importer.start(actor, {
      fileName: dto.fileName,
      content: Buffer.from(dto.contentBase64, 'base64'),
      kind: dto.kind,
      dryRun: dto.dryRun ?? false,
    });
  }

  @Get('imports/:id')
  @RequirePermission('economy.org.write')
  @ApiOperation({ summary: '导入任务进度与错误报告' })
  importJob(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<EconomyAnswer<'GET /api/v1/economy/imports/:id'>> {
    return this.importer.job(actor, id);
  }
}
