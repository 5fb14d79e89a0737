import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { DivisionSearchQuery } from '../routes.js';
import type { DivisionLevel } from '../views.js';

export class DivisionSearchDto implements DivisionSearchQuery {
  @ApiProperty({ description: '名称关键字' })
  @IsString()
  @Length(1, 30, { message: '关键字长度应为 1–30 个字符' })
  q: string;

  @ApiPropertyOptional({ description: '只在此区划内搜索' })
  @IsOptional()
  @Matches(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, { message: '区划代码格式错误' })
  within?: string;

  @ApiPropertyOptional({ enum: ['city', 'county', 'township', 'village'] })
  @IsOptional()
  @IsIn(['city', 'county', 'township', 'village'], { message: '级别应为市、县（区）、乡镇（街道）或村（社区）' })
  level?: DivisionLevel;

  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
