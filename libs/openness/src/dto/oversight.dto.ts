import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, registerDecorator } from 'class-validator';
import { MultilineText } from '#platform';
import { SCHEDULE_SERIES, type ScheduleSeries } from '../names.js';
import { parseDay } from '../periods.js';
import type { FollowUpBody, OrderBody, OversightQuery, VillageSettingBody } from '../routes.js';

/** A real calendar day written YYYY-MM-DD (2026-02-30 is refused here, not by the database). */
function IsDay(what: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDay',
      target: target.constructor,
      propertyName,
      options: { message: `${what}应为有效日期，例如 2026-03-15` },
      validator: { validate: (v: unknown) => typeof v === 'string' && parseDay(v) !== null },
    });
}

export class OversightQueryDto implements OversightQuery {
  @ApiPropertyOptional({ description: '行政区划代码（默认：本人的管辖范围）' })
  @IsOptional()
  @Matches(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/, { message: '区划代码应为 4、6、9 或 12 位数字（市、县、乡镇或村）' })
  divisionCode?: string;
  @ApiPropertyOptional({ description: '统计截至日（默认今天）', example: '2026-04-11' })
  @IsOptional()
  @IsDay('统计截至日')
  asOf?: string;
}

export class VillageSettingDto implements VillageSettingBody {
  @ApiProperty({ description: '是否按月公开财务（集体财务往来较多的村）' })
  @IsBoolean({ message: '“财务每月公开”应为“是”或“否”' })
  financeMonthly: boolean;
}

export class TownshipOrderDto implements OrderBody {
  @ApiProperty() @Matches(/^\d{12}$/, { message: '村级区划代码应为 12 位数字，例如 140428101200' }) villageCode: string;
  @ApiPropertyOptional({ enum: SCHEDULE_SERIES })
  @IsOptional()
  @IsIn(SCHEDULE_SERIES, { message: '请选择公开类别（村务、村财务或集体经济组织财务）' })
  series?: ScheduleSeries;
  @ApiPropertyOptional({ example: '2026-01-01', description: '未按时公开的期间的第一天' })
  @IsOptional()
  @IsDay('期间起始日')
  periodStart?: string;
  @ApiPropertyOptional({ description: '向乡镇反映的村民质询' })
  @IsOptional()
  @IsUUID('all', { message: '所反映的村民质询编号无效' })
  queryId?: string;
  @ApiProperty()
  @IsString({ message: '应为文本' })
  @MultilineText()
  @Length(1, 2000, { message: '责令内容应为 1–2000 个字符' })
  text: string;
  @ApiProperty({ example: '2026-04-30' }) @IsDay('限期') dueOn: string;
}

export class OrderFollowUpDto implements FollowUpBody {
  @ApiProperty()
  @IsString({ message: '应为文本' })
  @MultilineText()
  @Length(1, 2000, { message: '跟进情况应为 1–2000 个字符' })
  followUp: string;
}
