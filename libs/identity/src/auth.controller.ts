import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { type Actor, AUTHENTICATED, CurrentActor, Meta, Public, type RequestMeta, RequirePermission } from '#platform';
import { AuthService } from './auth.service.js';
import { ActivateDto, ChangePasswordDto, LoginDto, RefreshDto } from './dto/auth.dto.js';
import { permissionsOf } from './permissions.js';
import { ROLE_NAMES, type Role } from './roles.js';

@ApiTags('登录与账号')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly db: DataSource,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '手机号 + 密码登录' })
  login(@Body() dto: LoginDto, @Meta() meta: RequestMeta) {
    return this.auth.login(dto.phone, dto.password, meta);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '轮换刷新凭证' })
  refresh(@Body() dto: RefreshDto, @Meta() meta: RequestMeta) {
    return this.auth.refresh(dto.refreshToken, meta);
  }

  @Post('activate')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '用激活码设置初始密码' })
  activate(@Body() dto: ActivateDto, @Meta() meta: RequestMeta) {
    return this.auth.activate(dto.phone, dto.activationCode, dto.password, meta);
  }

  @Post('logout')
  @ApiBearerAuth()
  @RequirePermission(AUTHENTICATED)
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录（注销本次会话）' })
  async logout(@CurrentActor() actor: Actor, @Req() req: FastifyRequest) {
    const sid = (req as unknown as { user: { sid: string } }).user.sid;
    await this.auth.logout(actor, sid);
  }

  @Post('password')
  @ApiBearerAuth()
  @RequirePermission(AUTHENTICATED)
  @HttpCode(204)
  @ApiOperation({ summary: '修改密码（其他会话全部注销）' })
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(actor, dto.oldPassword, dto.newPassword);
  }
}

@ApiTags('登录与账号')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @RequirePermission(AUTHENTICATED)
  @ApiOperation({ summary: '我的资料、角色与辖区' })
  async me(@CurrentActor() actor: Actor) {
    const [p] = await this.db.query(
      `SELECT p.real_name AS "realName", p.id_number_masked AS "idNumberMasked", p.phone_masked AS "phoneMasked",
              p.home_division_code AS "homeDivisionCode", d.name AS "homeDivisionName"
         FROM person p JOIN division d ON d.code = p.home_division_code WHERE p.id = $1`,
      [actor.personId],
    );
    const names: { code: string; name: string; full: string }[] = await this.db.query(
      `SELECT d.code, d.name, (SELECT string_agg(a.name, ' / ' ORDER BY length(a.code)) FROM division a WHERE d.code LIKE a.code || '%') AS full
         FROM division d WHERE d.code = ANY($1::varchar[])`,
      [actor.grants.map((g) => g.divisionCode)],
    );
    const byCode = new Map(names.map((n) => [n.code, n]));
    return {
      accountId: actor.accountId,
      personId: actor.personId,
      ...p,
      grants: actor.grants.map((g) => ({
        role: g.role,
        roleName: ROLE_NAMES[g.role as Role],
        divisionCode: g.divisionCode,
        divisionName: byCode.get(g.divisionCode)?.name ?? g.divisionCode,
        divisionFullName: byCode.get(g.divisionCode)?.full ?? g.divisionCode,
        permissions: permissionsOf(g.role as Role),
      })),
    };
  }
}
