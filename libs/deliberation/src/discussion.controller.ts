import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { CommentDto, HideDto, TextDto } from './dto/proposal.dto.js';
import { DiscussionService } from './discussion.service.js';
import type { DeliberationAnswer } from './routes.js';

@ApiTags('村事共议：讨论')
@ApiBearerAuth()
@Controller('api/v1/proposals')
export class DiscussionController {
  constructor(private readonly discussion: DiscussionService) {}

  @Get(':id/comments')
  @RequirePermission('proposal.read')
  @ApiOperation({ summary: '意见、提问与官方答复' })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<DeliberationAnswer<'GET /api/v1/proposals/:id/comments'>> {
    return this.discussion.list(actor, id);
  }

  @Post(':id/comments')
  @RequirePermission('proposal.comment')
  @ApiOperation({ summary: '发表意见或提问（公开讨论与表决期间）' })
  comment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: CommentDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/comments'>> {
    return this.discussion.comment(actor, id, dto.kind ?? 'comment', dto.body);
  }

  @Post(':id/comments/:commentId/answer')
  @RequirePermission('proposal.answer')
  @ApiOperation({ summary: '村委会官方答复' })
  answer(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('commentId', IdPipe) commentId: string,
    @Body() dto: TextDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/comments/:commentId/answer'>> {
    return this.discussion.answer(actor, id, commentId, dto.body);
  }

  @Post(':id/comments/:commentId/hide')
  @RequirePermission('proposal.moderate')
  @HttpCode(204)
  @ApiOperation({ summary: '隐藏意见（须填写理由，保留原文并记录审计）' })
  async hide(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('commentId', IdPipe) commentId: string,
    @Body() dto: HideDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/comments/:commentId/hide'>> {
    await this.discussion.hide(actor, id, commentId, dto.reason);
  }

  @Post(':id/objections')
  @RequirePermission('proposal.object')
  @ApiOperation({ summary: '村务监督委员会提出异议（乡镇可见）' })
  object(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: TextDto,
  ): Promise<DeliberationAnswer<'POST /api/v1/proposals/:id/objections'>> {
    return this.discussion.object(actor, id, dto.body);
  }
}
