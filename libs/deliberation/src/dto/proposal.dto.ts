import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
  MaxLength,
  Min,
} from 'class-validator';
import { MultilineText, OpaqueText, PageQueryDto } from '#platform';
import {
  APPROVAL_AUTHORITIES,
  APPROVAL_DECISIONS,
  type ApprovalAuthority,
  type ApprovalDecision,
  CATEGORIES,
  type Category,
  DECIDING_BODIES,
  JOINT_CONVENES,
  type JointConvenes,
  PROPOSAL_STATES,
  REPORT_KIND_NAMES,
  REPORT_KINDS,
  type ReportKind,
} from '../names.js';
import type {
  AttachmentBody,
  CommentBody,
  CreateProposalBody,
  JointQuery,
  JointRequestBody,
  MeetingRecordBody,
  NoticeTextBody,
  OpenVoteBody,
  OverdueQuery,
  PartyReviewBody,
  ProposalQuery,
  ReasonBody,
  RecordApprovalBody,
  ReviewBody,
  TextBody,
  UpdateProposalBody,
} from '../proposal-routes.js';
import type { AuthorisationBody, AuthorisationQuery, BallotBody, NoticeQuery, ProxyBody, VotePurposeQuery } from '../voting-routes.js';

// The categories and their names live in names.ts (shared with the web UI).
export { CATEGORIES, CATEGORY_NAMES, type Category } from '../names.js';

/** The 12-digit code of a village (村、社区); the UI picks it, a hand-typed one is explained. */
const VILLAGE_CODE_MSG = '村级区划代码应为 12 位数字，例如 140428101200';

/** Money in integer fen: a JSON number must be a safe integer; a string of digits is accepted too. */
const toFen = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);

export class CreateProposalDto implements CreateProposalBody {
  @ApiProperty({ example: '140428101200', description: '村（社区）区划代码' })
  @Matches(/^\d{12}$/, { message: VILLAGE_CODE_MSG })
  villageCode: string;

  @ApiProperty({ example: '村东道路硬化' })
  @IsString({ message: '标题应为文字' })
  @Length(1, 200, { message: '标题应为 1–200 个字符' })
  title: string;

  @ApiProperty()
  @MultilineText()
  @IsString({ message: '正文应为文字' })
  @Length(1, 20000, { message: '正文应为 1–20000 个字符' })
  body: string;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES, { message: '事项类别无效' })
  category: Category;

  @ApiPropertyOptional({ description: '涉及金额（分，整数）', example: 12000000 })
  @IsOptional()
  @Transform(toFen)
  @IsInt({ message: '金额应为以"分"计的非负整数' })
  @Min(0, { message: '金额应为以"分"计的非负整数' })
  @Max(Number.MAX_SAFE_INTEGER, { message: '金额过大' })
  amountFen?: number;

  @ApiProperty({ enum: DECIDING_BODIES })
  @IsIn(DECIDING_BODIES, { message: '决策机构无效' })
  decidingBody: (typeof DECIDING_BODIES)[number];

  @ApiProperty({ enum: ['open', 'secret'] })
  @IsIn(['open', 'secret'], { message: '投票方式应为记名或无记名' })
  ballotType: 'open' | 'secret';

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean({ message: '“允许改票”应为“是”或“否”' })
  allowBallotChange?: boolean;

  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt({ message: '讨论期应为 1–90 天' })
  @Min(1, { message: '讨论期应为 1–90 天' })
  @Max(90, { message: '讨论期应为 1–90 天' })
  deliberationDays?: number;

  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt({ message: '公示期应为 1–90 天' })
  @Min(1, { message: '公示期应为 1–90 天' })
  @Max(90, { message: '公示期应为 1–90 天' })
  publicityDays?: number;
  @ApiPropertyOptional({ description: '会议地点（写入会议通知；网上表决另在本平台进行）', example: '村委会议室' })
  @IsOptional()
  @IsString({ message: '会议地点应为文字' })
  @Length(1, 200, { message: '会议地点应为 1–200 个字符' })
  meetingPlace?: string;
}

export class UpdateProposalDto implements UpdateProposalBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '标题应为文字' })
  @Length(1, 200, { message: '标题应为 1–200 个字符' })
  title?: string;
  @ApiPropertyOptional()
  @MultilineText()
  @IsOptional()
  @IsString({ message: '正文应为文字' })
  @Length(1, 20000, { message: '正文应为 1–20000 个字符' })
  body?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES, { message: '事项类别无效' }) category?: Category;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toFen)
  @IsInt({ message: '金额应为以"分"计的非负整数' })
  @Min(0, { message: '金额应为以"分"计的非负整数' })
  @Max(Number.MAX_SAFE_INTEGER, { message: '金额过大' })
  amountFen?: number;
  @ApiPropertyOptional({ enum: DECIDING_BODIES })
  @IsOptional()
  @IsIn(DECIDING_BODIES, { message: '决策机构无效' })
  decidingBody?: (typeof DECIDING_BODIES)[number];
  @ApiPropertyOptional({ enum: ['open', 'secret'] }) @IsOptional() @IsIn(['open', 'secret'], { message: '投票方式无效' }) ballotType?:
    'open' | 'secret';
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: '“允许改票”应为“是”或“否”' }) allowBallotChange?: boolean;
  @ApiPropertyOptional({ minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt({ message: '讨论期应为 1–90 天' })
  @Min(1, { message: '讨论期应为 1–90 天' })
  @Max(90, { message: '讨论期应为 1–90 天' })
  deliberationDays?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt({ message: '公示期应为 1–90 天' })
  @Min(1, { message: '公示期应为 1–90 天' })
  @Max(90, { message: '公示期应为 1–90 天' })
  publicityDays?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '会议地点应为文字' })
  @Length(1, 200, { message: '会议地点应为 1–200 个字符' })
  meetingPlace?: string;
}

export class MeetingRecordDto implements MeetingRecordBody {
  @ApiProperty({ example: '2026-11-20', description: '会议日期' })
  @IsDateString({ strict: true }, { message: '会议日期应为有效日期，如 2026-03-15' })
  date: string;

  @ApiProperty({ type: [String], description: '参会人员姓名' })
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @ArrayMinSize(1, { message: '至少一名参会人员' })
  @ArrayMaxSize(500)
  attendees: string[];

  @ApiProperty({ description: '提议内容或商议结果' })
  @MultilineText()
  @IsString()
  @Length(1, 5000, { message: '会议内容应为 1–5000 个字符' })
  summary: string;
}

export class PartyReviewDto implements PartyReviewBody {
  @ApiProperty({ example: '2026-11-22' })
  @IsDateString({ strict: true }, { message: '会议日期应为有效日期，如 2026-03-15' })
  date: string;

  @ApiProperty({ description: '到会党员人数' }) @IsInt() @Min(0) @Max(100000) attendees: number;
  @ApiProperty({ description: '赞成票' }) @IsInt() @Min(0) @Max(100000) yes: number;
  @ApiProperty({ description: '反对票' }) @IsInt() @Min(0) @Max(100000) no: number;
  @ApiPropertyOptional({ description: '会议纪要' })
  @MultilineText()
  @IsOptional()
  @IsString({ message: '会议纪要应为文字' })
  @MaxLength(5000, { message: '会议纪要不超过 5000 个字符' })
  summary?: string;
}

export class OpenVoteDto implements OpenVoteBody {
  @ApiProperty({ description: '表决截止时间（ISO 8601）' })
  @IsDateString({}, { message: '截止时间格式不对，例如 2026-12-01T20:00:00+08:00' })
  closesAt: string;
}

export class ReviewDto implements ReviewBody {
  @ApiPropertyOptional({ description: '审核意见' })
  @MultilineText()
  @IsOptional()
  @IsString({ message: '审核意见应为文字' })
  @MaxLength(2000, { message: '审核意见不超过 2000 个字符' })
  comment?: string;
}

export class ReturnDto implements ReasonBody {
  @ApiProperty({ description: '退回理由' })
  @MultilineText()
  @IsString()
  @Length(1, 2000, { message: '请填写退回理由' })
  reason: string;
}

export class WithdrawDto implements ReasonBody {
  @ApiProperty({ description: '撤回理由' })
  @MultilineText()
  @IsString()
  @Length(1, 2000, { message: '请填写撤回理由' })
  reason: string;
}

export class NoticeBodyDto implements NoticeTextBody {
  @ApiPropertyOptional({ description: '公告正文（决议公开可省略，自动生成）' })
  @MultilineText()
  @IsOptional()
  @IsString()
  @Length(1, 20000)
  body?: string;
}

export class ImplementationReportDto implements TextBody {
  @ApiProperty({ description: '实施结果' })
  @MultilineText()
  @IsString()
  @Length(1, 20000, { message: '实施结果应为 1–20000 个字符' })
  body: string;
}

export class AttachmentDto implements AttachmentBody {
  @ApiProperty() @IsString() @Length(1, 200, { message: '附件名称应为 1–200 个字符' }) name: string;
  @ApiPropertyOptional({ description: '链接（与文件二选一）' })
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: '链接应为完整的网址，请从浏览器地址栏整段复制' })
  @MaxLength(2000)
  url?: string;
  @ApiPropertyOptional({ description: '文件内容（base64，≤2MB）', format: 'byte', maxLength: 2_900_000 })
  @OpaqueText()
  @IsOptional()
  @IsString()
  @MaxLength(2_900_000)
  contentBase64?: string;
  @ApiPropertyOptional({ example: 'application/pdf' })
  @IsOptional()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: '文件类型无效' })
  @MaxLength(100, { message: '文件类型无效' })
  contentType?: string;
  @ApiPropertyOptional({ enum: REPORT_KINDS, description: '成员大会须提交成员查阅的报告（农村集体经济组织法第四十六条）' })
  @IsOptional()
  @IsIn(REPORT_KINDS, { message: `成员查阅报告应为${Object.values(REPORT_KIND_NAMES).join('、')}之一` })
  reportKind?: ReportKind;
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ProposalQueryDto extends PageQueryDto implements ProposalQuery {
  @ApiPropertyOptional({ description: '区划代码（本辖区内）' })
  @IsOptional()
  @Matches(/^\d{4,12}$/, { message: '区划代码无效' })
  divisionCode?: string;
  @ApiPropertyOptional({ enum: PROPOSAL_STATES })
  @IsOptional()
  @IsIn(PROPOSAL_STATES, { message: '状态无效' })
  status?: (typeof PROPOSAL_STATES)[number];
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES, { message: '事项类别无效' }) category?: Category;
  @ApiPropertyOptional({ enum: DECIDING_BODIES })
  @IsOptional()
  @IsIn(DECIDING_BODIES, { message: '决策机构无效' })
  decidingBody?: (typeof DECIDING_BODIES)[number];
  @ApiPropertyOptional({ description: '创建日期起（含）' })
  @IsOptional()
  @IsDateString({}, { message: '起始日期格式不对，例如 2026-03-15' })
  from?: string;
  @ApiPropertyOptional({ description: '创建日期止（不含）' })
  @IsOptional()
  @IsDateString({}, { message: '截止日期格式不对，例如 2026-03-15' })
  to?: string;
  @ApiPropertyOptional({ description: '标题与正文全文检索' })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: '检索词应为 1–100 个字符' })
  q?: string;
  @ApiPropertyOptional({ description: '只看待我投票的' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: '“待我投票”应为“是”或“否”' })
  needsMyVote?: boolean;
  @ApiPropertyOptional({ description: '只看待我审核的' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: '“待我审核”应为“是”或“否”' })
  awaitingMyReview?: boolean;
}

export class BallotDto implements BallotBody {
  @ApiProperty({ enum: ['yes', 'no', 'abstain'] })
  @IsIn(['yes', 'no', 'abstain'], { message: '请选择赞成、反对或弃权' })
  choice: 'yes' | 'no' | 'abstain';

  @ApiPropertyOptional({ description: '成员大会：代同户委托人投票时，委托人的人员 id' })
  @IsOptional()
  @IsUUID('all', { message: '委托人应为有效的人员编号' })
  onBehalfOf?: string;

  @ApiPropertyOptional({ description: '修改无记名投票时提供原回执码' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{12}$/, { message: '回执码应为 12 位字母数字' })
  receiptCode?: string;
}

export class ProxyDto implements ProxyBody {
  @ApiProperty({ description: '委托人（成员）人员 id' }) @IsUUID('all', { message: '委托人应为有效的人员编号' }) grantorPersonId: string;
  @ApiProperty({ description: '受托人（同户成员）人员 id' }) @IsUUID('all', { message: '受托人应为有效的人员编号' }) proxyPersonId: string;
}

export class VotePurposeQueryDto implements VotePurposeQuery {
  @ApiPropertyOptional({ enum: ['party_review', 'decision'] })
  @IsOptional()
  @IsIn(['party_review', 'decision'], { message: '表决类别应为党员大会审议或正式表决' })
  purpose?: 'party_review' | 'decision';
}

export class CommentDto implements CommentBody {
  @ApiPropertyOptional({ enum: ['comment', 'question'], default: 'comment' })
  @IsOptional()
  @IsIn(['comment', 'question'], { message: '类型应为意见或提问' })
  kind?: 'comment' | 'question';
  @ApiProperty() @MultilineText() @IsString() @Length(1, 5000, { message: '内容应为 1–5000 个字符' }) body: string;
}

export class TextDto implements TextBody {
  @ApiProperty() @MultilineText() @IsString() @Length(1, 5000, { message: '内容应为 1–5000 个字符' }) body: string;
}

export class HideDto implements ReasonBody {
  @ApiProperty() @MultilineText() @IsString() @Length(1, 500, { message: '请填写隐藏理由' }) reason: string;
}

export class JointRequestDto implements JointRequestBody {
  @ApiProperty() @Matches(/^\d{12}$/, { message: VILLAGE_CODE_MSG }) villageCode: string;
  @ApiProperty({ enum: ['residents', 'representatives'] })
  @IsIn(['residents', 'representatives'], { message: '联名方式应为村民联名或村民代表联名' })
  kind: 'residents' | 'representatives';
  @ApiPropertyOptional({
    enum: JOINT_CONVENES,
    description: '提议召开的会议：村民会议（默认）或村民代表会议（五分之一以上村民代表，第二十六条）',
  })
  @IsOptional()
  @IsIn(JOINT_CONVENES, { message: '提议召开的会议应为村民会议或村民代表会议' })
  convenes?: JointConvenes;
  @ApiProperty() @IsString() @Length(1, 200, { message: '标题应为 1–200 个字符' }) title: string;
  @ApiProperty() @MultilineText() @IsString() @Length(1, 20000, { message: '正文应为 1–20000 个字符' }) body: string;
}

export class JointQueryDto extends PageQueryDto implements JointQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{4,12}$/, { message: '区划代码无效' }) divisionCode?: string;
  @ApiPropertyOptional({ description: '只看已达法定人数、尚未召集表决的' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: '“只看待召集”应为“是”或“否”' })
  pending?: boolean;
}

export class OverdueQueryDto extends PageQueryDto implements OverdueQuery {
  @ApiPropertyOptional({ description: '区划代码（本辖区内）' })
  @IsOptional()
  @Matches(/^\d{4,12}$/, { message: '区划代码无效' })
  divisionCode?: string;
}

export class AuthorisationDto implements AuthorisationBody {
  @ApiProperty({ example: '140428101200', description: '村（社区）区划代码' })
  @Matches(/^\d{12}$/, { message: VILLAGE_CODE_MSG })
  villageCode: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true, description: '授权村民代表会议决定的事项（村民委员会组织法第二十四条所列）' })
  @ArrayMinSize(1, { message: '请至少选择一类授权事项' })
  @ArrayMaxSize(20)
  @IsIn(CATEGORIES, { each: true, message: '事项类别无效' })
  categories: Category[];
  @ApiProperty({ example: '2026-01-01' })
  @IsDateString({ strict: true }, { message: '起始日期格式不对，例如 2026-01-01' })
  validFrom: string;
  @ApiProperty({ example: '2028-12-31' }) @IsDateString({ strict: true }, { message: '截止日期格式不对，例如 2028-12-31' }) validTo: string;
  @ApiPropertyOptional({ description: '作出授权的村民会议议题（已通过）；与章程条款二选一' })
  @IsOptional()
  @IsUUID('all', { message: '议题编号无效，请从议题页复制' })
  grantedByProposalId?: string;
  @ApiPropertyOptional({ description: '村民自治章程中授权的条款原文；与村民会议决定二选一' })
  @MultilineText()
  @IsOptional()
  @IsString()
  @Length(1, 2000, { message: '章程条款应为 1–2000 个字符' })
  charterClause?: string;
  @ApiPropertyOptional({ description: '备注' }) @MultilineText() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class AuthorisationQueryDto extends PageQueryDto implements AuthorisationQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{4,12}$/, { message: '区划代码无效' }) divisionCode?: string;
}

export class NoticeQueryDto extends PageQueryDto implements NoticeQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{4,12}$/, { message: '区划代码无效' }) divisionCode?: string;
  @ApiPropertyOptional({ enum: ['resolution', 'implementation'] })
  @IsOptional()
  @IsIn(['resolution', 'implementation'], { message: '公告类别应为决议公开或实施结果公开' })
  kind?: 'resolution' | 'implementation';
  @ApiPropertyOptional({ description: '只看公示期内的' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: '“只看公示期内的”应为“是”或“否”' })
  current?: boolean;
}

/** An authority's decision on a resolution after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1), as township staff record it. */
export class RecordApprovalDto implements RecordApprovalBody {
  @ApiProperty({ enum: APPROVAL_AUTHORITIES, description: '批准机关：乡（镇）人民政府 / 县级人民政府农业农村等主管部门' })
  @IsIn(APPROVAL_AUTHORITIES, { message: '批准机关无效' })
  authority: ApprovalAuthority;
  @ApiProperty({ enum: APPROVAL_DECISIONS, description: '批准 / 不予批准' })
  @IsIn(APPROVAL_DECISIONS, { message: '请选择批准或不予批准' })
  decision: ApprovalDecision;
  @ApiProperty({ example: '2026-12-01', description: '批准机关作出决定的日期' })
  @IsDateString({ strict: true }, { message: '批准日期应为有效日期，如 2026-03-15' })
  decidedOn: string;
  @ApiProperty({ example: '某政批〔2026〕12号', description: '批准文件文号' })
  @IsString({ message: '文号应为文字' })
  @Length(1, 100, { message: '文号应为 1–100 个字符' })
  @Matches(/\S/, { message: '文号不能为空白' })
  documentNumber: string;
  @ApiPropertyOptional({ description: '备注（如批准附带的条件、不予批准的理由）' })
  @MultilineText()
  @IsOptional()
  @IsString()
  @Length(1, 2000, { message: '备注应为 1–2000 个字符' })
  note?: string;
}
