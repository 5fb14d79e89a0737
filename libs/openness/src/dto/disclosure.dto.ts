import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { MultilineText, namedChoice, OpaqueText, PageQueryDto } from '#platform';
import {
  DISCLOSURE_KINDS,
  DISCLOSURE_STATES,
  type DisclosureKind,
  type DisclosureState,
  FINANCE_CATEGORIES,
  type FinanceCategory,
  PERIOD_KINDS,
  type PeriodKind,
  SUBJECT_NAMES,
  SUBJECTS,
  type Subject,
} from '../names.js';
import type {
  CreateDisclosureBody,
  DisclosureAttachmentBody,
  DisclosureQuery,
  EditDisclosureBody,
  FinanceEntryBody,
  ReasonBody,
} from '../routes.js';

const FEN = /^-?\d{1,16}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class CreateDisclosureDto implements CreateDisclosureBody {
  @ApiProperty() @Matches(/^\d{12}$/, { message: '村级区划代码应为 12 位数字，例如 140428101200' }) villageCode: string;
  @ApiProperty({ enum: SUBJECTS }) @IsIn(SUBJECTS, namedChoice('公开主体', SUBJECT_NAMES)) subject: Subject;
  @ApiProperty({ enum: DISCLOSURE_KINDS }) @IsIn(DISCLOSURE_KINDS, { message: '请选择公开类别' }) kind: DisclosureKind;
  @ApiProperty() @IsString({ message: '应为文本' }) @Length(1, 200, { message: '标题应为 1–200 个字符' }) title: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '应为文本' })
  @MultilineText()
  @MaxLength(20000, { message: '正文最多 20000 个字符' })
  body?: string;
  @ApiProperty({ enum: PERIOD_KINDS })
  @IsIn(PERIOD_KINDS, { message: '请选择公开期间类型（月度、季度、年度、即时）' })
  periodKind: PeriodKind;
  @ApiProperty({ example: '2026-10-01' }) @Matches(DAY, { message: '期间的第一天格式不对，例如 2026-10-01' }) periodStart: string;
  @ApiPropertyOptional({ description: '期初余额（分）' })
  @IsOptional()
  @Matches(FEN, { message: '期初余额应为以分为单位的整数' })
  openingBalanceFen?: string;
  @ApiPropertyOptional({ default: 30 })
  @IsOptional()
  @IsInt({ message: '公示天数应为整数' })
  @Min(1, { message: '公示天数至少 1 天' })
  @Max(366, { message: '公示天数最多 366 天' })
  publicityDays?: number;
}

export class EditDisclosureDto implements EditDisclosureBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '应为文本' })
  @Length(1, 200, { message: '标题应为 1–200 个字符' })
  title?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '应为文本' })
  @MultilineText()
  @MaxLength(20000, { message: '正文最多 20000 个字符' })
  body?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(FEN, { message: '期初余额应为以分为单位的整数' }) openingBalanceFen?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(FEN, { message: '期末余额应为以分为单位的整数' }) closingBalanceFen?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt({ message: '公示天数应为整数' })
  @Min(1, { message: '公示天数至少 1 天' })
  @Max(366, { message: '公示天数最多 366 天' })
  publicityDays?: number;
}

export class DisclosureReasonDto implements ReasonBody {
  @ApiProperty()
  @IsString({ message: '应为文本' })
  @MultilineText()
  @Length(1, 2000, { message: '请填写理由（1–2000 个字符）' })
  reason: string;
}

export class FinanceEntryDto implements FinanceEntryBody {
  @ApiProperty({ example: '2026-10-08' }) @Matches(DAY, { message: '日期格式不对，例如 2026-10-08' }) entryDate: string;
  @ApiProperty() @IsString({ message: '应为文本' }) @Length(1, 30, { message: '凭证号应为 1–30 个字符' }) voucherNo: string;
  @ApiProperty() @IsString({ message: '应为文本' }) @Length(1, 200, { message: '摘要应为 1–200 个字符' }) item: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '应为文本' })
  @Length(1, 100, { message: '对方单位或个人应为 1–100 个字符' })
  counterpart?: string;
  @ApiProperty({ enum: FINANCE_CATEGORIES }) @IsIn(FINANCE_CATEGORIES, { message: '请选择收支类别' }) category: FinanceCategory;
  @ApiProperty({ description: '金额（分，正整数）' }) @Matches(/^\d{1,16}$/, { message: '金额应为以分为单位的正整数' }) amountFen: string;
}

export class DisclosureAttachmentDto implements DisclosureAttachmentBody {
  @ApiProperty({ enum: ['voucher', 'board', 'report', 'other'] })
  @IsIn(['voucher', 'board', 'report', 'other'], { message: '附件用途应为凭证、公开栏照片、报告或其他' })
  purpose: 'voucher' | 'board' | 'report' | 'other';
  @ApiProperty() @IsString({ message: '应为文本' }) @Length(1, 200, { message: '附件名称应为 1–200 个字符' }) name: string;
  @ApiProperty({ format: 'byte', maxLength: 2_900_000 })
  @OpaqueText()
  @IsString({ message: '应为文本' })
  @MaxLength(2_900_000, { message: '附件不能超过 2 MB' })
  contentBase64: string;
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'application/pdf'] })
  @IsIn(['image/jpeg', 'image/png', 'application/pdf'], { message: '附件须为 JPG、PNG 图片或 PDF 文件' })
  contentType: string;
}

export class DisclosureQueryDto extends PageQueryDto implements DisclosureQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{2,12}$/, { message: '区划代码应为 2–12 位数字' }) divisionCode?: string;
  @ApiPropertyOptional({ enum: DISCLOSURE_KINDS }) @IsOptional() @IsIn(DISCLOSURE_KINDS, { message: '公开类别无效' }) kind?: DisclosureKind;
  @ApiPropertyOptional({ enum: DISCLOSURE_STATES }) @IsOptional() @IsIn(DISCLOSURE_STATES, { message: '状态无效' }) state?: DisclosureState;
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '年份应为整数，例如 2026' })
  @Min(2000, { message: '年份应在 2000–2100 之间' })
  @Max(2100, { message: '年份应在 2000–2100 之间' })
  year?: number;
  @ApiPropertyOptional() @IsOptional() @IsString({ message: '应为文本' }) @MaxLength(50, { message: '搜索内容最多 50 个字符' }) q?: string;
}
