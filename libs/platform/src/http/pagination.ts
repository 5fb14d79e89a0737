import type { Page } from './contract.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Deeper than this a list is filtered, not paged (and OFFSET stays far inside bigint). */
export const MAX_PAGE = 100_000;

export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '页码应为 1–100000 的整数' })
  @Min(1, { message: '页码应为 1–100000 的整数' })
  @Max(MAX_PAGE, { message: '页码应为 1–100000 的整数' })
  page: number = 1;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每页条数应为 1–100 的整数' })
  @Min(1, { message: '每页条数应为 1–100 的整数' })
  @Max(100, { message: '每页条数应为 1–100 的整数' })
  pageSize: number = 20;
}

export type { Page } from './contract.js';

export const pageOffset = (q: { page: number; pageSize: number }): number => (q.page - 1) * q.pageSize;

export function pageOf<T>(items: T[], total: number, q: { page: number; pageSize: number }): Page<T> {
  return { items, total, page: q.page, pageSize: q.pageSize };
}
