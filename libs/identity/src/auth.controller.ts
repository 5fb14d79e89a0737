import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type Actor, AUTHENTICATED, CurrentActor, KeepsReadCache, Meta, Public, type RequestMeta, RequirePermission } from '#platform';
import { AuthService } from './auth.service.js';
import { ActivateDto, ChangePasswordDto, LoginDto, RefreshDto } from './dto/auth.dto.js';
import { PeopleService } from './people.service.js';
import type { IdentityAnswer } from './routes.js';

@ApiTags('登录与账号')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @KeepsReadCache()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '手机号 + 密码登录' })
  login(@Body() dto: LoginDto, @Meta() meta: RequestMeta): Promise<IdentityAnswer<'POST /api/v1/auth/login'>> {
    return this.auth.login(dto.phone, dto.password, meta);
  }

  @Post('refresh')
  @KeepsReadCache()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '轮换刷新凭证' })
  refresh(@Body() dto: RefreshDto, @Meta() meta: RequestMeta): Promise<IdentityAnswer<'POST /api/v1/auth/refresh'>> {
    return this.auth.refresh(dto.refreshToken, meta);
  }

  @Post('activate')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '用激活码设置初始密码' })
  activate(@Body() dto: ActivateDto, @Meta() meta: RequestMeta): Promise<IdentityAnswer<'POST /api/v1/auth/activate'>> {
    return this.auth.activate(dto.phone, dto.activationCode, dto.password, meta);
  }

  @Post('logout')
  @ApiBearerAuth()
  @RequirePermission(AUTHENTICATED)
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录（注销本次会话）' })
  async logout(@CurrentActor() actor: Actor, @Req() req: FastifyRequest): Promise<IdentityAnswer<'POST /api/v1/auth/logout'>> {
    const sid = (req as unknown as { user: { sid: string } }).user.sid;
    await this.auth.logout(actor, sid);
  }

  @Post('password')
  @ApiBearerAuth()
  @RequirePermission(AUTHENTICATED)
  @HttpCode(204)
  @ApiOperation({ summary: '修改密码（其他会话全部注销）' })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
  ): Promise<IdentityAnswer<'POST /api/v1/auth/password'>> {
    await this.auth.changePassword(actor, dto.oldPassword, dto.newPassword);
  }
}

@ApiTags('登录与账号')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @RequirePermission(AUTHENTICATED)
  @ApiOperation({ summary: '我的资料、角色与辖区' })
  me(@CurrentActor() actor: Actor): Promise<IdentityAnswer<'GET /api/v1/me'>> {
    return this.people.me(actor);
  }
}
