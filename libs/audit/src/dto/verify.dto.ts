import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches, ValidateNested } from 'class-validator';
import { ANCHOR_HASH, ANCHOR_SEQ } from '../anchors.js';
import type { AnchorBody, VerifyBody } from '../routes.js';

export class AnchorDto implements AnchorBody {
  @ApiProperty({ description: '审计行序号', example: '12345' })
  @Matches(ANCHOR_SEQ, { message: '锚点序号应为正整数，例如 12345' })
  seq!: string;

  @ApiProperty({ description: '该行哈希（64 位小写十六进制）' })
  @Matches(ANCHOR_HASH, { message: '锚点哈希值应为 64 位十六进制字符（0–9、a–f）' })
  hash!: string;
}

export class VerifyDto implements VerifyBody {
  @ApiPropertyOptional({ type: [AnchorDto], description: '此前公布的链头（锚点），逐一核对' })
  @IsOptional()
  @IsArray({ message: '锚点应为列表' })
  @ArrayMaxSize(10000, { message: '锚点一次最多 10000 个' })
  @ValidateNested({ each: true })
  @Type(() => AnchorDto)
  anchors?: AnchorDto[];
}
