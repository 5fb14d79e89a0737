import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { namedChoice, PageQueryDto } from '#platform';
import { OUTBOX_STATE_NAMES, OUTBOX_STATES, type OutboxState } from '../names.js';
import type { NotificationQuery, OutboxQuery } from '../routes.js';

export class OutboxQueryDto extends PageQueryDto implements OutboxQuery {
  @ApiPropertyOptional({ description: '区划（含下级）' })
  @IsOptional()
  @Matches(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/, { message: '区划代码无效' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: OUTBOX_STATES, description: '待发送、发送中、已发送、发送失败' })
  @IsOptional()
  @IsIn(OUTBOX_STATES, namedChoice('状态', OUTBOX_STATE_NAMES))
  state?: OutboxState;

  @ApiPropertyOptional({ description: '议题编号' })
  @IsOptional()
  @IsUUID('all', { message: '议题编号格式错误' })
  proposalId?: string;
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class NotificationQueryDto extends PageQueryDto implements NotificationQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: '“只看未读”应为“是”或“否”' }) unreadOnly?: boolean;
}
