import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '#platform';
import type { AuditQuery } from '../routes.js';
import type { AuditResult } from '../views.js';

export class AuditQueryDto extends PageQueryDto implements AuditQuery {
  @ApiPropertyOptional({ description: '按中文操作名称（如「查看 身份证」）、对象类型、操作人姓名，或对象编号、请求编号查找' })
  @IsOptional()
  @IsString({ message: '查找内容应为文字' })
  @Length(1, 50, { message: '查找内容应为 1–50 个字' })
  q?: string;
  @ApiPropertyOptional({ description: '操作代码（精确匹配）' })
  @IsOptional()
  @IsString({ message: '操作代码应为文字' })
  @Length(1, 80, { message: '操作代码应为 1–80 个字符' })
  action?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: '账号编号格式错误' }) accountId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '对象类型应为文字' })
  @Length(1, 40, { message: '对象类型应为 1–40 个字符' })
  targetType?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '对象编号应为文字' })
  @Length(1, 80, { message: '对象编号应为 1–80 个字符' })
  targetId?: string;
  @ApiPropertyOptional({ enum: ['success', 'denied', 'failure'] })
  @IsOptional()
  @IsIn(['success', 'denied', 'failure'], { message: '结果应为成功、被拒绝或失败' })
  result?: AuditResult;
  @ApiPropertyOptional({ description: '起始时间（含），ISO 8601，如 2026-12-01 或 2026-12-01T08:00:00+08:00' })
  @IsOptional()
  @IsISO8601({}, { message: '起始时间格式错误，应为日期，如 2026-12-01' })
  from?: string;
  @ApiPropertyOptional({ description: '截止时间（不含），ISO 8601' })
  @IsOptional()
  @IsISO8601({}, { message: '截止时间格式错误，应为日期，如 2026-12-01' })
  to?: string;
}
