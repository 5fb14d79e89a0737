import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '#platform';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) action?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'accountId 应为 UUID' }) accountId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) targetId?: string;
  @ApiPropertyOptional({ enum: ['success', 'denied', 'failure'] })
  @IsOptional()
  @IsIn(['success', 'denied', 'failure'])
  result?: string;
  @ApiPropertyOptional({ description: 'ISO 8601' }) @IsOptional() @IsISO8601({}, { message: 'from 应为 ISO 8601 时间' }) from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601' }) @IsOptional() @IsISO8601({}, { message: 'to 应为 ISO 8601 时间' }) to?: string;
}
