import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
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
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { MultilineText, namedChoice, OpaqueText, PageQueryDto } from '#platform';
import {
  ALLIANCE_KIND_NAMES,
  ALLIANCE_KINDS,
  COMPANY_LEVEL_NAMES,
  COMPANY_LEVELS,
  COMPANY_STATUS_NAMES,
  COMPANY_STATUSES,
  ORG_LEVEL_NAMES,
  ORG_LEVELS,
  ORG_STATUS_NAMES,
  ORG_STATUSES,
  SHEET_TITLES,
} from '../names.js';
import { IMPORT_ORDER, type ImportKind } from '../sheets.js';
import type {
  AllianceListInput,
  CompanyFigures,
  CompanyInput,
  CompanyPatch,
  CompanyQuery,
  ExportQuery,
  ImportInput,
  LocksQuery,
  MemberAddInput,
  MemberRepresentativeElectInput,
  MemberRepresentativeEndInput,
  MemberSharesInput,
  OfficersInput,
  OrgFigures,
  OrgInput,
  OrgPatch,
  OrgQuery,
  ShareholdersInput,
  StatsQuery,
  WeakThreshold,
  YearLockInput,
  YearUnlockInput,
} from '../views.js';

/** A real calendar date written YYYY-MM-DD (2024-02-30 is refused here, not by the database). */
function IsCalendarDate() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: '日期应为有效日期，如 2026-03-15' },
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
          const d = new Date(`${v}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
        },
      },
    });
}
const FEN = /^\d{1,17}$/;
const FEN_MSG = { message: '金额应为以“分”计的非负整数（字符串）' };
const SIGNED_FEN = /^-?\d{1,17}$/;
const SIGNED_FEN_MSG = { message: '金额应为以“分”计的整数（字符串）' };
const SHARES = /^\d{1,15}$/;
const SHARES_MSG = { message: '份额应为非负整数（字符串）' };
const DIVISION = /^(\d{6}|\d{9}|\d{12})$/;
const DIVISION_MSG = { message: '区划代码应为 6、9 或 12 位数字（县、乡镇或村）' };

export class OrgUpdateDto implements OrgPatch {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(6, 100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 30) creditCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) registrationNo?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() registeredOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() charterFiledOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) chairName?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) memberCount?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(SHARES, SHARES_MSG) totalShares?: string;
  @ApiPropertyOptional({ enum: ['active', 'cancelled'] }) @IsOptional() @IsIn(ORG_STATUSES, namedChoice('状态', ORG_STATUS_NAMES)) status?:
    'active' | 'cancelled';
}

export class OrgCreateDto implements OrgInput {
  @ApiProperty({ enum: ['group', 'village', 'township'] }) @IsIn(ORG_LEVELS, namedChoice('层级', ORG_LEVEL_NAMES)) level:
    'group' | 'village' | 'township';
  @ApiProperty() @Matches(DIVISION, DIVISION_MSG) divisionCode: string;
  @ApiProperty() @IsString() @Length(6, 100) name: string;
  @ApiProperty() @IsString() @Length(1, 30) creditCode: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) registrationNo?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() registeredOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() charterFiledOn?: string;
  @ApiProperty() @IsString() @Length(1, 50) chairName: string;
  @ApiProperty() @IsInt() @Min(0) @Max(1_000_000) memberCount: number;
  @ApiProperty() @Matches(SHARES, SHARES_MSG) totalShares: string;
  @ApiPropertyOptional({ enum: ['active', 'cancelled'] }) @IsOptional() @IsIn(ORG_STATUSES, namedChoice('状态', ORG_STATUS_NAMES)) status?:
    'active' | 'cancelled';
}

export class OrgQueryDto extends PageQueryDto implements OrgQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(DIVISION, DIVISION_MSG) divisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(ORG_LEVELS, namedChoice('层级', ORG_LEVEL_NAMES)) level?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(ORG_STATUSES, namedChoice('状态', ORG_STATUS_NAMES)) status?: string;
}

export class OfficersDto implements OfficersInput {
  @ApiProperty() @IsUUID() chairPersonId: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(30) @IsUUID('all', { each: true }) directorPersonIds: string[];
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(30) @IsUUID('all', { each: true }) supervisorPersonIds: string[];
}

export class MemberAddDto implements MemberAddInput {
  @ApiPropertyOptional() @IsOptional() @IsUUID() personId?: string;
  @ApiPropertyOptional({ description: '按身份证号在村民登记中查找' }) @IsOptional() @IsString() @Length(15, 18) idNumber?: string;
  @ApiProperty() @Matches(SHARES, SHARES_MSG) shares: string;
  @ApiProperty() @IsCalendarDate() joinedOn: string;
}

export class MemberRepresentativeElectDto implements MemberRepresentativeElectInput {
  @ApiProperty({ description: '成员登记记录的 id' })
  @IsUUID('all', { message: '成员应为有效的成员编号，请从成员名单中选择' })
  memberId: string;
  @ApiProperty({ description: '当选日期（任期五年）' }) @IsCalendarDate() electedOn: string;
}

export class MemberRepresentativeEndDto implements MemberRepresentativeEndInput {
  @ApiProperty({ description: '任期提前终止的日期（辞职、罢免、不再是成员）' }) @IsCalendarDate() endedOn: string;
}

export class MemberSharesDto implements MemberSharesInput {
  @ApiProperty() @Matches(SHARES, SHARES_MSG) shares: string;
  @ApiProperty()
  @MultilineText()
  @IsString({ message: '请填写调整份额的理由' })
  @Length(1, 200, { message: '调整份额的理由应为 1–200 个字' })
  reason: string;
  @ApiPropertyOptional({ description: '退出日期（退出时份额归零）' }) @IsOptional() @IsCalendarDate() leftOn?: string;
}

export class OrgFiguresDto implements OrgFigures {
  @ApiProperty() @Matches(FEN, FEN_MSG) operatingIncomeFen: string;
  @ApiProperty() @Matches(SIGNED_FEN, SIGNED_FEN_MSG) totalIncomeFen: string;
  @ApiProperty() @Matches(FEN, FEN_MSG) reserveFundFen: string;
  @ApiProperty() @Matches(FEN, FEN_MSG) distributedFen: string;
}

export class CompanyUpdateDto implements CompanyPatch {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 30) creditCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) legalRep?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(FEN, FEN_MSG) registeredCapitalFen?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(FEN, FEN_MSG) paidInCapitalFen?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() foundedOn?: string;
  @ApiPropertyOptional() @MultilineText() @IsOptional() @IsString() @MaxLength(2000) businessScope?: string;
  @ApiPropertyOptional({ enum: ['preparing', 'operating', 'suspended', 'deregistered'] })
  @IsOptional()
  @IsIn(COMPANY_STATUSES, namedChoice('状态', COMPANY_STATUS_NAMES))
  status?: 'preparing' | 'operating' | 'suspended' | 'deregistered';
}

export class CompanyCreateDto implements CompanyInput {
  @ApiProperty({ enum: ['county', 'township'] }) @IsIn(COMPANY_LEVELS, namedChoice('层级', COMPANY_LEVEL_NAMES)) level:
    'county' | 'township';
  @ApiProperty() @Matches(DIVISION, DIVISION_MSG) divisionCode: string;
  @ApiProperty() @IsString() @Length(2, 100) name: string;
  @ApiProperty() @IsString() @Length(1, 30) creditCode: string;
  @ApiProperty() @IsString() @Length(1, 50) legalRep: string;
  @ApiProperty() @Matches(FEN, FEN_MSG) registeredCapitalFen: string;
  @ApiProperty() @Matches(FEN, FEN_MSG) paidInCapitalFen: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() foundedOn?: string;
  @ApiPropertyOptional() @MultilineText() @IsOptional() @IsString() @MaxLength(2000) businessScope?: string;
  @ApiProperty({ enum: ['preparing', 'operating', 'suspended', 'deregistered'] })
  @IsIn(COMPANY_STATUSES, namedChoice('状态', COMPANY_STATUS_NAMES))
  status: 'preparing' | 'operating' | 'suspended' | 'deregistered';
}

export class CompanyQueryDto extends PageQueryDto implements CompanyQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(DIVISION, DIVISION_MSG) divisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(COMPANY_STATUSES, namedChoice('状态', COMPANY_STATUS_NAMES)) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(COMPANY_LEVELS, namedChoice('层级', COMPANY_LEVEL_NAMES)) level?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) q?: string;
}

export class ShareholderDto {
  @ApiPropertyOptional({ description: '集体经济组织股东的 id；其他股东留空并填写名称' }) @IsOptional() @IsUUID() orgId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) holderName?: string;
  @ApiProperty() @Matches(FEN, FEN_MSG) contributionFen: string;
  @ApiProperty({ description: '持股比例，万分之一（基点）：3550 = 35.50%' }) @IsInt() @Min(0) @Max(10000) shareBp: number;
}

export class ShareholdersDto implements ShareholdersInput {
  @ApiProperty({ type: [ShareholderDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ShareholderDto)
  shareholders: ShareholderDto[];
}

export class AllianceMemberDto {
  @ApiProperty({ enum: ['enterprise', 'cooperative', 'collective_org'] })
  @IsIn(ALLIANCE_KINDS, namedChoice('类型', ALLIANCE_KIND_NAMES))
  kind: 'enterprise' | 'cooperative' | 'collective_org';
  @ApiPropertyOptional() @IsOptional() @IsUUID() orgId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiProperty() @IsCalendarDate() joinedOn: string;
  @ApiProperty() @IsString() @Length(1, 40) role: string;
}

export class AllianceDto implements AllianceListInput {
  @ApiProperty({ type: [AllianceMemberDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AllianceMemberDto)
  members: AllianceMemberDto[];
}

export class DividendDto {
  @ApiProperty() @IsUUID() orgId: string;
  @ApiProperty() @Matches(FEN, FEN_MSG) amountFen: string;
}

export class CompanyFiguresDto implements CompanyFigures {
  @ApiProperty() @Matches(FEN, FEN_MSG) revenueFen: string;
  @ApiProperty() @Matches(SIGNED_FEN, SIGNED_FEN_MSG) profitFen: string;
  @ApiProperty({ type: [DividendDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => DividendDto)
  dividends: DividendDto[];
}

export class YearLockDto implements YearLockInput {
  @ApiProperty() @Matches(/^(\d{6}|\d{9})$/, { message: '年度确认只能按乡镇或县进行' }) divisionCode: string;
  @ApiProperty() @IsInt() @Min(2000) @Max(2100) year: number;
}

export class YearUnlockDto extends YearLockDto implements YearUnlockInput {
  @ApiProperty()
  @MultilineText()
  @IsString({ message: '请填写解锁理由' })
  @Length(2, 200, { message: '解锁理由应为 2–200 个字' })
  reason: string;
}

export class StatsQueryDto implements StatsQuery {
  @ApiProperty() @Type(() => Number) @IsInt({ message: '年度应为年份，例如 2025' }) @Min(2000) @Max(2100) year: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^(\d{4}|\d{6}|\d{9})$/, { message: '区划代码应为 4、6 或 9 位数字（市、县或乡镇）' })
  divisionCode?: string;
}

export class ExportQueryDto implements ExportQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, { message: '区划代码应为 4、6、9 或 12 位数字（市、县、乡镇或村）' })
  divisionCode?: string;
}

export class LocksQueryDto implements LocksQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

export class ImportDto implements ImportInput {
  @ApiProperty({ description: '文件名，须以 .xlsx 或 .csv 结尾' })
  @IsString()
  @Length(5, 200)
  @Matches(/\.(xlsx|csv)$/i, { message: '只接受 Excel（.xlsx）或 CSV 文件' })
  fileName: string;
  @ApiProperty({ description: '文件内容（base64）', format: 'byte', maxLength: 20_000_000 })
  @OpaqueText()
  @IsString()
  @MaxLength(20_000_000)
  contentBase64: string;
  @ApiPropertyOptional({ enum: IMPORT_ORDER, description: 'CSV 必填：导入哪张表' })
  @IsOptional()
  @IsIn(IMPORT_ORDER, namedChoice('CSV 内容', SHEET_TITLES, IMPORT_ORDER))
  kind?: ImportKind;
  @ApiPropertyOptional({ description: '预览：只检查、不写入' }) @IsOptional() @IsBoolean() dryRun?: boolean;
}

export class WeakThresholdDto implements WeakThreshold {
  @ApiProperty({ description: '薄弱村标准：年经营收入低于此数（分）' }) @Matches(FEN, FEN_MSG) weakThresholdFen: string;
}
