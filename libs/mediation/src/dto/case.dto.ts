import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCreditCode, IsMobile, IsResidentId, MAX_PAGE, MultilineText, namedChoice, PageQueryDto } from '#platform';
import {
  AGREEMENT_FORMS,
  type AgreementForm,
  CASE_SOURCES,
  CASE_STATUSES,
  CONFIRMATION_OUTCOMES,
  type ConfirmationOutcome,
  EXECUTION_MODES,
  type ExecutionMode,
  type CaseSource,
  DISPUTE_TYPE_NAMES,
  DISPUTE_TYPES,
  type DisputeType,
  OTHER_CHANNELS,
  PARTY_ROLES,
  type PartyRole,
  PERFORMANCE,
  RISK_LEVEL_NAMES,
  RISK_LEVELS,
  type RiskLevel,
  STATUS_NAMES,
} from '../names.js';

// The codes and their names live in names.ts (shared with the web UI).
export {
  CASE_SOURCES,
  type CaseSource,
  DISPUTE_TYPE_NAMES,
  DISPUTE_TYPES,
  type DisputeType,
  OTHER_CHANNEL_NAMES,
  OTHER_CHANNELS,
  PARTY_ROLE_NAMES,
  PARTY_ROLES,
  type PartyRole,
  PERFORMANCE,
  PERFORMANCE_NAMES,
  RISK_LEVELS,
  SOURCE_NAMES,
} from '../names.js';

import type {
  AcceptBody,
  AgreementBody,
  ApplyBody,
  AssignBody,
  CaseBody,
  CaseListQuery,
  ConfirmationBody,
  ConfirmationOutcomeBody,
  DeadlineQuery,
  ExtensionBody,
  FollowUpBody,
  IdNumberBody,
  IdentifierBody,
  PartyBody,
  PartyExecutionBody,
  ReasonBody,
  RegisterCaseBody,
  RevealBody,
  RiskBody,
  SessionBody,
  StatsQuery,
  TerminateBody,
} from '../routes.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class PartyDto implements PartyBody {
  @ApiProperty({ enum: PARTY_ROLES })
  @IsIn(PARTY_ROLES, { message: '当事人身份应为申请人、被申请人、第三人或代理人' })
  role: PartyRole;

  @ApiProperty({ enum: ['person', 'organization'] })
  @IsIn(['person', 'organization'], { message: '当事人类型应为自然人或组织' })
  kind: 'person' | 'organization';

  @ApiProperty()
  @IsString()
  @Length(1, 100, { message: '姓名或名称应为 1–100 个字符' })
  name: string;

  @ApiPropertyOptional({ description: '自然人身份证号（校验位）。可不填：未填的须留联系电话或住址，受理后需要时再补充' })
  @IsOptional()
  @IsResidentId()
  idNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsMobile()
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: '地址应为 1–200 个字符' })
  address?: string;

  @ApiPropertyOptional({ description: '组织的统一社会信用代码' })
  @IsOptional()
  @IsCreditCode()
  creditCode?: string;

  @ApiPropertyOptional({ description: '代理人所代理的当事人在列表中的序号（从 0 起）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(29)
  represents?: number;
}

export class CaseBodyDto implements CaseBody {
  @ApiProperty({ enum: DISPUTE_TYPES })
  @IsIn(DISPUTE_TYPES, { message: '纠纷类型不在列表中' })
  disputeType: DisputeType;

  @ApiProperty()
  @MultilineText()
  @IsString()
  @Length(1, 4000, { message: '纠纷简要情况应为 1–4000 个字符' })
  summary: string;

  @ApiProperty()
  @MultilineText()
  @IsString()
  @Length(1, 4000, { message: '请求事项应为 1–4000 个字符' })
  claims: string;

  @ApiPropertyOptional({ description: '争议金额（分）' })
  @IsOptional()
  @IsInt({ message: '争议金额应为以分计的整数' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountFen?: number;

  @ApiPropertyOptional({ description: '当事人要求不公开调解（人民调解法第二十三条）' })
  @IsOptional()
  @IsBoolean()
  nonPublic?: boolean;
}

export class RegisterCaseDto extends CaseBodyDto implements RegisterCaseBody {
  @ApiProperty({ description: '受理的调解委员会（村、乡镇或县的区划代码）' })
  @Matches(/^\d{6}(\d{3}(\d{3})?)?$/, { message: '调解委员会应为县、乡镇或村的区划代码' })
  committeeCode: string;

  @ApiProperty({ enum: CASE_SOURCES })
  @IsIn(CASE_SOURCES, { message: '案件来源不在列表中' })
  source: CaseSource;

  @ApiPropertyOptional({ description: '移送单位（法院、公安、信访移送时必填）' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  referringBody?: string;

  @ApiPropertyOptional({ enum: RISK_LEVELS })
  @IsOptional()
  @IsIn(RISK_LEVELS, namedChoice('风险等级', RISK_LEVEL_NAMES))
  riskLevel?: RiskLevel;

  @ApiProperty({ type: [PartyDto] })
  @IsArray()
  @ArrayMinSize(2, { message: '至少需要一名申请人和一名被申请人' })
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties: PartyDto[];
}

/** A resident's own application: the applicant is the caller, taken from the village register. */
export class ApplyDto extends CaseBodyDto implements ApplyBody {
  @ApiProperty({ type: [PartyDto], description: '被申请人和第三人' })
  @IsArray()
  @ArrayMinSize(1, { message: '至少需要一名被申请人' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  otherParties: PartyDto[];
}

export class ReasonDto implements ReasonBody {
  @ApiProperty()
  @MultilineText()
  @IsString()
  @Length(1, 1000, { message: '理由应为 1–1000 个字符' })
  reason: string;
}

export class AssignDto implements AssignBody {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true, message: '调解员编号无效' })
  mediatorPersonIds: string[];
}

export class SessionDto implements SessionBody {
  @ApiProperty({ example: '2026-03-02' })
  @Matches(DATE, { message: '日期应为有效日期，如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  heldOn: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  place: string;

  @ApiProperty({ type: [String], description: '主持调解的调解员（须为本案指派的调解员）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true })
  mediatorPersonIds: string[];

  @ApiProperty()
  @MultilineText()
  @IsString()
  @Length(1, 1000)
  attendees: string;

  @ApiProperty()
  @MultilineText()
  @IsString()
  @Length(1, 8000)
  record: string;
}

export class PartyExecutionDto implements PartyExecutionBody {
  @ApiProperty({ description: '当事人在列表中的序号（ord）' })
  @IsInt()
  @Min(0)
  @Max(29)
  ord: number;

  @ApiProperty({ enum: EXECUTION_MODES, description: '签名、盖章或者按指印（人民调解法第二十九条）' })
  @IsIn(EXECUTION_MODES, { message: '签署方式应为签名、盖章或按指印' })
  mode: ExecutionMode;
}

export class AgreementDto implements AgreementBody {
  @ApiPropertyOptional({ enum: AGREEMENT_FORMS, default: 'written', description: '书面协议或口头协议（人民调解法第二十八条）' })
  @IsOptional()
  @IsIn(AGREEMENT_FORMS, { message: '协议形式应为书面或口头' })
  form?: AgreementForm;

  @ApiPropertyOptional({ description: '纠纷的主要事实（书面协议必填）' })
  @IsOptional()
  @MultilineText()
  @IsString()
  @Length(1, 8000)
  facts?: string;

  @ApiPropertyOptional({ description: '争议事项（书面协议必填）' })
  @IsOptional()
  @MultilineText()
  @IsString()
  @Length(1, 4000)
  disputePoints?: string;

  @ApiPropertyOptional({ description: '各方当事人的责任（书面协议必填）' })
  @IsOptional()
  @MultilineText()
  @IsString()
  @Length(1, 4000)
  responsibilities?: string;

  @ApiProperty({ description: '达成协议的内容（口头协议即调解员记录的协议内容）' })
  @MultilineText()
  @IsString()
  @Length(1, 8000)
  terms: string;

  @ApiProperty({ description: '履行方式' })
  @MultilineText()
  @IsString()
  @Length(1, 1000)
  performanceMethod: string;

  @ApiProperty({ description: '履行期限' })
  @Matches(DATE, { message: '日期应为有效日期，如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  performBy: string;

  @ApiPropertyOptional({
    description: '书面协议：各方当事人签署完毕、调解员签名并加盖委员会印章之日；口头协议：达成协议之日。默认今天',
  })
  @IsOptional()
  @Matches(DATE, { message: '日期应为有效日期，如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  effectiveOn?: string;

  @ApiPropertyOptional({ type: [PartyExecutionDto], description: '书面协议：每位当事人（代理人除外）如何签署' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PartyExecutionDto)
  partyExecutions?: PartyExecutionDto[];

  @ApiPropertyOptional({ type: [String], description: '书面协议：签名的调解员（默认本案全部指派的调解员）' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true, message: '调解员编号无效' })
  mediatorPersonIds?: string[];

  @ApiPropertyOptional({ description: '书面协议：已加盖人民调解委员会印章' })
  @IsOptional()
  @IsBoolean()
  committeeSealed?: boolean;

  @ApiPropertyOptional({ description: '口头协议：记录协议内容的调解员（默认本人或第一位指派的调解员）' })
  @IsOptional()
  @IsUUID('all', { message: '调解员编号无效' })
  recordedBy?: string;
}

export class IdentifierDto implements IdentifierBody {
  @ApiProperty() @IsUUID('all', { message: '当事人编号无效' }) partyId: string;

  @ApiProperty({ description: '身份证号（校验位）' })
  @IsResidentId()
  idNumber: string;
}

export class AcceptDto implements AcceptBody {
  @ApiPropertyOptional({ type: [IdentifierDto], description: '受理时补充的当事人身份证号（本案需要时）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => IdentifierDto)
  identifiers?: IdentifierDto[];
}

export class IdNumberDto implements IdNumberBody {
  @ApiProperty({ description: '身份证号（校验位）' })
  @IsResidentId()
  idNumber: string;
}

export class ExtensionDto implements ExtensionBody {
  @ApiProperty({ description: '延长后的调解期限（当日 24 时届满）' })
  @Matches(DATE, { message: '“延长至”格式不对，例如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  newDueOn: string;

  @ApiProperty({ description: '各方当事人同意延长之日' })
  @Matches(DATE, { message: '当事人同意日格式不对，例如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  consentedOn: string;

  @ApiProperty({ description: '延长的理由' })
  @MultilineText()
  @IsString()
  @Length(1, 1000, { message: '理由应为 1–1000 个字符' })
  reason: string;
}

export class ConfirmationDto implements ConfirmationBody {
  @ApiProperty({ description: '当事人共同向人民法院申请司法确认之日' })
  @Matches(DATE, { message: '申请日期格式不对，例如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  appliedOn: string;

  @ApiProperty({ description: '受理申请的人民法院' })
  @IsString()
  @Length(2, 100, { message: '法院名称应为 2–100 个字符' })
  court: string;
}

export class ConfirmationOutcomeDto implements ConfirmationOutcomeBody {
  @ApiProperty({ enum: CONFIRMATION_OUTCOMES })
  @IsIn(CONFIRMATION_OUTCOMES, { message: '结果应为确认有效或驳回申请' })
  outcome: ConfirmationOutcome;

  @ApiProperty({ description: '人民法院作出裁定之日' })
  @Matches(DATE, { message: '裁定日期格式不对，例如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  decidedOn: string;
}

export class TerminateDto extends ReasonDto implements TerminateBody {
  @ApiProperty({ enum: OTHER_CHANNELS, isArray: true, description: '已告知当事人的其他途径（人民调解法第二十六条）' })
  @IsArray()
  @ArrayMinSize(1, { message: '须告知当事人至少一种其他解决途径' })
  @ArrayMaxSize(OTHER_CHANNELS.length)
  @IsIn(OTHER_CHANNELS, { each: true, message: '其他途径应为仲裁、诉讼或行政途径' })
  otherChannels: (typeof OTHER_CHANNELS)[number][];
}

export class FollowUpDto implements FollowUpBody {
  @ApiProperty()
  @Matches(DATE, { message: '日期应为有效日期，如 2026-03-15' })
  @IsDateString({ strict: true }, { message: '日期无效' })
  visitedOn: string;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  visitor: string;

  @ApiProperty({ enum: PERFORMANCE })
  @IsIn(PERFORMANCE, { message: '履行情况应为已履行、部分履行或未履行' })
  performance: (typeof PERFORMANCE)[number];

  @ApiPropertyOptional()
  @MultilineText()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class RiskDto implements RiskBody {
  @ApiProperty({ description: '激化风险的情况' })
  @MultilineText()
  @IsString()
  @Length(1, 2000)
  description: string;

  @ApiProperty({ description: '报告公安机关的时间' })
  @IsDateString({ strict: true }, { message: '时间无效' })
  policeNotifiedAt: string;

  @ApiProperty({ description: '接报的公安机关及联系人' })
  @IsString()
  @Length(1, 200)
  policeContact: string;
}

export class PartyRevealDto implements RevealBody {
  @ApiProperty({ enum: ['idNumber', 'phone'] })
  @IsIn(['idNumber', 'phone'], { message: '只能查看身份证号或手机号' })
  field: 'idNumber' | 'phone';
}

export class CaseListQueryDto extends PageQueryDto implements CaseListQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES, namedChoice('状态', STATUS_NAMES))
  status?: (typeof CASE_STATUSES)[number];

  @ApiPropertyOptional({ description: '调解委员会或其上级区划（含下级）' })
  @IsOptional()
  @Matches(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/, { message: '区划代码无效' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: DISPUTE_TYPES })
  @IsOptional()
  @IsIn(DISPUTE_TYPES, namedChoice('纠纷类型', DISPUTE_TYPE_NAMES))
  disputeType?: DisputeType;
}

export class DeadlineQueryDto implements DeadlineQuery {
  @ApiProperty({ description: '调解委员会（村、乡镇、县）或乡镇（含其下各村）的区划代码' })
  @Matches(/^\d{6}(\d{3}(\d{3})?)?$/, { message: '区划代码无效' })
  divisionCode: string;

  @ApiProperty({ enum: ['committee', 'township'], description: 'committee：仅本委员会；township：乡镇及其下各村' })
  @IsIn(['committee', 'township'], { message: '范围应为本委员会或乡镇及其下各村' })
  scope: 'committee' | 'township';

  @ApiProperty({ enum: ['due_soon', 'overdue'] })
  @IsIn(['due_soon', 'overdue'], { message: '期限状态应为即将到期或已超期' })
  state: 'due_soon' | 'overdue';
}

export class MediationStatsQueryDto implements StatsQuery {
  @ApiPropertyOptional({ description: '统计范围（市、县、乡镇或村），默认本人辖区' })
  @IsOptional()
  @Matches(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/, { message: '区划代码无效' })
  divisionCode?: string;

  @ApiProperty({ enum: ['committee', 'township', 'county', 'month'] })
  @IsIn(['committee', 'township', 'county', 'month'], { message: '分组应为调委会、乡镇、县区或月份' })
  groupBy: 'committee' | 'township' | 'county' | 'month';

  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2999)
  year: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  month?: number;

  @ApiPropertyOptional({ description: '单位列表分页：第几页（合计行始终覆盖全部单位）', default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '页码应为 1–100000 的整数' })
  @Min(1, { message: '页码应为 1–100000 的整数' })
  @Max(MAX_PAGE, { message: '页码应为 1–100000 的整数' })
  page?: number;

  @ApiPropertyOptional({ description: '单位列表每页条数（1–1000）', default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每页条数应为 1–1000 的整数' })
  @Min(1, { message: '每页条数应为 1–1000 的整数' })
  @Max(1000, { message: '每页条数应为 1–1000 的整数' })
  pageSize?: number;
}
