import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { MultilineText, namedChoice, PageQueryDto } from '#platform';
import { QUERY_STATE_NAMES, QUERY_STATES, type QueryState } from '../names.js';
import type { AnswerBody, QueryBody, QueryListQuery, ReasonBody } from '../routes.js';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class QueryDto implements QueryBody {
  @ApiProperty({ description: '质询的内容' })
  @MultilineText()
  @IsString({ message: '请填写质询的内容' })
  @Length(1, 2000, { message: '质询内容应为 1–2000 个字符' })
  question: string;

  @ApiPropertyOptional({ description: '针对的收支明细（财务公开）；不填则针对整个公开事项' })
  @IsOptional()
  @IsUUID('all', { message: '所质询的收支明细编号无效，请从明细中选择' })
  entryId?: string;
}

export class QueryListQueryDto extends PageQueryDto implements QueryListQuery {
  @ApiPropertyOptional({ description: '区划代码（本辖区内）' })
  @IsOptional()
  @Matches(/^\d{4,12}$/, { message: '区划代码无效' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: QUERY_STATES })
  @IsOptional()
  @IsIn(QUERY_STATES, namedChoice('状态', QUERY_STATE_NAMES))
  state?: QueryState;

  @ApiPropertyOptional({ description: 'true：逾期未答复的质询（乡镇督办）；false：其余的' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: '“只看逾期未答复”应为“是”或“否”' })
  overdue?: boolean;
}

export class AnswerDto implements AnswerBody {
  @ApiProperty({ description: '答复（村委会答复质询，或乡镇办结时的答复）' })
  @MultilineText()
  @IsString({ message: '请填写答复' })
  @Length(1, 5000, { message: '答复应为 1–5000 个字符' })
  answer: string;
}

export class EscalationDto implements ReasonBody {
  @ApiProperty({ description: '向乡镇反映的理由（如答复不属实、逾期未答复）' })
  @MultilineText()
  @IsString({ message: '请填写向乡镇反映的理由' })
  @Length(1, 2000, { message: '理由应为 1–2000 个字符' })
  reason: string;
}
