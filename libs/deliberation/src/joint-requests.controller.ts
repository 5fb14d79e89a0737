import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { JointQueryDto, JointRequestDto } from './dto/proposal.dto.js';
import { JointRequestsService } from './joint-requests.service.js';

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
