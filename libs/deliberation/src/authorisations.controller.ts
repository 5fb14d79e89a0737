import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { AuthorisationsService } from './authorisations.service.js';
import { AuthorisationDto, AuthorisationQueryDto } from './dto/proposal.dto.js';
import type { DeliberationAnswer } from './routes.js';

@ApiTags('村事共议：村民会议授权')
@ApiBearerAuth()
@Controller('api/v1/representatives-authorisations')
export class AuthorisationsController {
  constructor(private readonly authorisations: AuthorisationsService) {}

  @Post()
  @RequirePermission('proposal.authorisation.write')
  @ApiOperation({ summary: '登记村民会议对村民代表会议的授权（事项、期限、授权依据）' })
  record(
    @CurrentActor() actor: Actor,
    @Body() dto: AuthorisationDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/representatives-authorisations'>> {
    return this.authorisations.record(actor, dto);
  }

  @Get()
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '村民会议授权列表' })
  list(
    @CurrentActor() actor: Actor,
    @Query() q: AuthorisationQueryDto,
  ): Promise<DeliberationAnswer<'GET /api/v1/representatives-authorisations'>> {
    return this.authorisations.list(actor, q);
  }

  @Get(':id')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '村民会议授权详情' })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
  ): Promise<DeliberationAnswer<'GET /api/v1/representatives-authorisations/:id'>> {
    return this.authorisations.get(actor, id);
  }
}
