import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { JointQueryDto, JointRequestDto, NoticeQueryDto, NotificationQueryDto } from './dto/proposal.dto.js';
import { JointRequestsService } from './joint-requests.service.js';
import { NoticesService } from './notices.service.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('村务公开栏')
@ApiBearerAuth()
@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @RequirePermission('notice.read')
  @ApiOperation({ summary: '村务公开栏（乡镇可看辖区各村）' })
  list(@CurrentActor() actor: Actor, @Query() q: NoticeQueryDto) {
    return this.notices.list(actor, q);
  }

  @Get(':id')
  @RequirePermission('notice.read')
  @ApiOperation({ summary: '公开事项详情' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.notices.get(actor, id);
  }

  @Get(':id/print')
  @RequirePermission('notice.read')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '打印版（A4）' })
  print(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.notices.printable(actor, id);
  }
}

@ApiTags('村事共议：联名提议')
@ApiBearerAuth()
@Controller('api/v1/joint-requests')
export class JointRequestsController {
  constructor(private readonly joint: JointRequestsService) {}

  @Post()
  @RequirePermission('proposal.cosign')
  @ApiOperation({ summary: '发起联名提议（发起人即第一位签名人）' })
  file(@CurrentActor() actor: Actor, @Body() dto: JointRequestDto) {
    return this.joint.file(actor, dto);
  }

  @Post(':id/signatures')
  @RequirePermission('proposal.cosign')
  @ApiOperation({ summary: '联名签名；达到法定人数即转为村委会待办议题' })
  sign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.joint.sign(actor, id);
  }

  @Get()
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '联名提议列表' })
  list(@CurrentActor() actor: Actor, @Query() q: JointQueryDto) {
    return this.joint.list(actor, q);
  }

  @Get(':id')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '联名提议详情' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.joint.get(actor, id);
  }
}

@ApiTags('站内通知')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @RequirePermission('identity.me')
  @ApiOperation({ summary: '我的通知' })
  list(@CurrentActor() actor: Actor, @Query() q: NotificationQueryDto) {
    return this.notifications.listMine(actor, q);
  }

  @Post(':id/read')
  @RequirePermission('identity.me')
  @HttpCode(204)
  @ApiOperation({ summary: '标记已读' })
  async markRead(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    await this.notifications.markRead(actor, id);
  }
}
