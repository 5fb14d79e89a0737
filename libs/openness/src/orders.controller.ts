import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { OrderFollowUpDto, TownshipOrderDto } from './dto/oversight.dto.js';
import { OrdersService } from './orders.service.js';
import type { OpennessAnswer } from './routes.js';

@ApiTags('村务共管')
@ApiBearerAuth()
/** The township's orders to publish (村民委员会组织法 Art. 31) and their follow-up. */
@Controller('api/v1/openness/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @RequirePermission('openness.oversee')
  @ApiOperation({ summary: '乡镇责令村委会公开（第三十一条）' })
  record(@CurrentActor() actor: Actor, @Body() dto: TownshipOrderDto): Promise<OpennessAnswer<'POST /api/v1/openness/orders'>> {
    return this.orders.record(actor, dto);
  }

  @Post(':id/follow-up')
  @HttpCode(200)
  @RequirePermission('openness.oversee')
  @ApiOperation({ summary: '登记责令公开的跟进情况' })
  followUp(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OrderFollowUpDto,
  ): Promise<OpennessAnswer<'POST /api/v1/openness/orders/:id/follow-up'>> {
    return this.orders.followUp(actor, id, dto.followUp);
  }
}
