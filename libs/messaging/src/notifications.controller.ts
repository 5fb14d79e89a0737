import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { NotificationQueryDto } from './dto/outbox.dto.js';
import { Inbox } from './inbox.js';
import type { MessagingAnswer } from './routes.js';

@ApiTags('站内通知')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly inbox: Inbox) {}

  @Get()
  @RequirePermission('identity.me')
  @ApiOperation({ summary: '我的通知' })
  list(@CurrentActor() actor: Actor, @Query() q: NotificationQueryDto): Promise<MessagingAnswer<'GET /api/v1/notifications'>> {
    return this.inbox.listMine(actor, q);
  }

  @Post(':id/read')
  @RequirePermission('identity.me')
  @HttpCode(204)
  @ApiOperation({ summary: '标记已读' })
  async markRead(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<MessagingAnswer<'POST /api/v1/notifications/:id/read'>> {
    await this.inbox.markRead(actor, id);
  }
}
