import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { JointQueryDto, JointRequestDto, OverdueQueryDto } from './dto/proposal.dto.js';
import { JointRequestsService } from './joint-requests.service.js';
import type { DeliberationAnswer } from './routes.js';

@ApiTags('村事共议：联名提议')
@ApiBearerAuth()
@Controller('api/v1/joint-requests')
export class JointRequestsController {
  constructor(private readonly joint: JointRequestsService) {}

  @Post()
  @RequirePermission('proposal.cosign')
  @ApiOperation({ summary: '发起联名提议（发起人即第一位签名人）' })
  file(@CurrentActor() actor: Actor, @Body() dto: JointRequestDto): Promise<DeliberationAnswer<'POST /api/v1/joint-requests'>> {
    return this.joint.file(actor, dto);
  }

  @Post(':id/signatures')
  @RequirePermission('proposal.cosign')
  @ApiOperation({ summary: '联名签名；达到法定人数即转为村委会待办议题' })
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'POST /api/v1/joint-requests/:id/signatures'>> {
    return this.joint.sign(actor, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequirePermission('proposal.cosign')
  @ApiOperation({ summary: '发起人撤回尚在征集签名的联名提议；已达法定人数的不得撤回（应当召集）' })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'POST /api/v1/joint-requests/:id/withdraw'>> {
    return this.joint.withdraw(actor, id);
  }

  @Get('overdue')
  @RequirePermission('proposal.review')
  @ApiOperation({ summary: '乡镇：已达法定人数、逾期仍未召集表决的联名提议（JOINT_REQUEST_OVERDUE_DAYS）' })
  overdue(@CurrentActor() actor: Actor, @Query() q: OverdueQueryDto): Promise<DeliberationAnswer<'GET /api/v1/joint-requests/overdue'>> {
    return this.joint.overdue(actor, q);
  }

  @Get()
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '联名提议列表（pending=true：已达法定人数、尚未召集表决的待办，含已等待天数）' })
  list(@CurrentActor() actor: Actor, @Query() q: JointQueryDto): Promise<DeliberationAnswer<'GET /api/v1/joint-requests'>> {
    return this.joint.list(actor, q);
  }

  @Get(':id')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '联名提议详情' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'GET /api/v1/joint-requests/:id'>> {
    return this.joint.get(actor, id);
  }
}
