import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { OpaqueText } from '#platform';
import type {
  AssistedBallotBody,
  MeetingBody,
  OnsiteChoiceBody,
  PaperTotalsBody,
  SignInBody,
  SignInQuery,
  TallySheetBody,
} from '../meeting-routes.js';
import type { Choice } from '../names.js';

const CHOICES: Choice[] = ['yes', 'no', 'abstain'];
/** No village holds more electors than this; a larger count is a typing error. */
const MAX_BALLOTS = 100_000;

export class MeetingDto implements MeetingBody {
  @ApiProperty({ description: '现场会议时间（ISO 8601）' })
  @IsDateString({ strict: true }, { message: '会议时间格式不对，例如 2026-12-20T09:00:00+08:00' })
  heldAt: string;

  @ApiProperty({ example: '村委会大院' })
  @IsString({ message: '应为文本' })
  @Length(1, 100, { message: '会议地点应为 1–100 个字符' })
  place: string;

  @ApiProperty({ description: '主持人（人员 id）' })
  @IsUUID('all', { message: '主持人应为有效的人员编号' })
  chairPersonId: string;

  @ApiProperty({ type: [String], description: '计票人（人员 id）' })
  @IsArray({ message: '计票人应为列表' })
  @ArrayMaxSize(9, { message: '计票人最多 9 名' })
  @IsUUID('all', { each: true, message: '计票人应为有效的人员编号' })
  tellerPersonIds: string[];

  @ApiProperty({ type: [String], description: '监票人（人员 id）' })
  @IsArray({ message: '监票人应为列表' })
  @ArrayMaxSize(9, { message: '监票人最多 9 名' })
  @IsUUID('all', { each: true, message: '监票人应为有效的人员编号' })
  scrutineerPersonIds: string[];

  @ApiProperty() @IsBoolean({ message: '“线上投票”应为开或关' }) onlinePart: boolean;
  @ApiProperty() @IsBoolean({ message: '“现场会议”应为开或关' }) onsitePart: boolean;
}

export class SignInDto implements SignInBody {
  @ApiProperty() @IsUUID('all', { message: '签到人应为有效的人员编号' }) personId: string;
}

export class SignInQueryDto implements SignInQuery {
  @ApiPropertyOptional({ description: '姓名或户号' })
  @IsOptional()
  @IsString({ message: '应为文本' })
  @MaxLength(30, { message: '搜索内容最多 30 个字符' })
  q?: string;
}

export class OnsiteChoiceDto implements OnsiteChoiceBody {
  @ApiProperty() @IsUUID('all', { message: '表决人应为有效的人员编号' }) personId: string;
  @ApiProperty({ enum: CHOICES }) @IsIn(CHOICES, { message: '请选择赞成、反对或弃权' }) choice: Choice;
}

const count = (label: string) => [
  IsInt({ message: `${label}应为整数` }),
  Min(0, { message: `${label}不能为负数` }),
  Max(MAX_BALLOTS, { message: `${label}不能超过 ${MAX_BALLOTS}` }),
];
const Count =
  (label: string): PropertyDecorator =>
  (target, key) => {
    for (const d of count(label)) d(target, key);
  };

export class PaperTotalsDto implements PaperTotalsBody {
  @ApiProperty({ description: '发出选票数（应等于签到人数）' }) @Count('发出选票数') issued: number;
  @ApiProperty({ description: '收回选票数' }) @Count('收回选票数') returned: number;
  @ApiProperty() @Count('赞成票数') yes: number;
  @ApiProperty() @Count('反对票数') no: number;
  @ApiProperty() @Count('弃权票数') abstain: number;
  @ApiProperty({ description: '废票数' }) @Count('废票数') spoiled: number;
  @ApiPropertyOptional({ description: '其中村民代表的赞成票（按全体村民代表三分之二计的事项）' })
  @IsOptional()
  @Count('村民代表赞成票数')
  representativesYes?: number;
}

export class TallySheetDto implements TallySheetBody {
  @ApiProperty({ description: '计票单照片（base64，≤2MB）', format: 'byte', maxLength: 2_900_000 })
  @OpaqueText()
  @IsString({ message: '应为文本' })
  @MaxLength(2_900_000, { message: '照片不能超过 2 MB' })
  contentBase64: string;

  @ApiProperty({ enum: ['image/jpeg', 'image/png'] })
  @IsIn(['image/jpeg', 'image/png'], { message: '计票单照片须为 JPG 或 PNG 图片' })
  contentType: string;
}

export class AssistedBallotDto implements AssistedBallotBody {
  @ApiProperty({ description: '投票村民（人员 id）' }) @IsUUID('all', { message: '投票村民应为有效的人员编号' }) personId: string;
  @ApiProperty({ enum: CHOICES }) @IsIn(CHOICES, { message: '请选择赞成、反对或弃权' }) choice: Choice;
}
