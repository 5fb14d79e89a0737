import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { OutboxQueryDto } from './dto/outbox.dto.js';
import { OutboxService } from './outbox.service.js';
import type { MessagingAnswer } from './routes.js';

@ApiTags('短信发送记录')
@ApiBearerAuth()
@Controller('api/v1/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @RequirePermission('outbox.read')
  @ApiOperation({ summary: '短信发送记录（本辖区）' })
  list(@CurrentActor() actor: Actor, @Query() q: OutboxQueryDto): Promise<MessagingAnswer<'GET /api/v1/outbox'>> {
    return this.outbox.list(actor, q);
  }

  @Post(':id/retry')
  @RequirePermission('outbox.retry')
  @HttpCode(204)
  @ApiOperation({ summary: '重发一条发送失败的短信' })
  async retry(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<MessagingAnswer<'POST /api/v1/outbox/:id/retry'>> {
    await this.outbox.retry(actor, id);
  }
}
