import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { NoticeQueryDto } from './dto/proposal.dto.js';
import { NoticesService } from './notices.service.js';
import type { DeliberationAnswer } from './routes.js';

@ApiTags('村务公开栏')
@ApiBearerAuth()
@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @RequirePermission('notice.read')
  @ApiOperation({ summary: '村务公开栏（乡镇可看辖区各村）' })
  list(@CurrentActor() actor: Actor, @Query() q: NoticeQueryDto): Promise<DeliberationAnswer<'GET /api/v1/notices'>> {
    return this.notices.list(actor, q);
  }

  @Get(':id')
  @RequirePermission('notice.read')
  @ApiOperation({ summary: '公开事项详情' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'GET /api/v1/notices/:id'>> {
    return this.notices.get(actor, id);
  }

  @Get(':id/print')
  @RequirePermission('notice.read')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: '打印版（A4）' })
  // A file answer (FileAnswer in voting-routes.ts): the printable HTML page itself.
  print(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<string> {
    return this.notices.printable(actor, id);
  }
}
