import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, BodyLimit, CurrentActor, IdPipe, RequirePermission } from '#platform';
import { AccountsService } from './accounts.service.js';
import {
  AccountStatusDto,
  GrantDto,
  GrantsQueryDto,
  ImportRegisterDto,
  OfflineDto,
  PeopleQueryDto,
  RegisterResidentDto,
  RevealDto,
} from './dto/people.dto.js';
import { GrantsService } from './grants.service.js';
import { PeopleService } from './people.service.js';
import { RegisterImportService } from './register-import.service.js';
import type { IdentityAnswer } from './routes.js';

@ApiTags('村民登记')
@ApiBearerAuth()
@Controller('api/v1')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly importer: RegisterImportService,
    private readonly grants: GrantsService,
    private readonly accounts: AccountsService,
  ) {}

  @Get('people')
  @RequirePermission('identity.person.read')
  @ApiOperation({ summary: '人员名册（脱敏，分页搜索）' })
  list(@CurrentActor() actor: Actor, @Query() q: PeopleQueryDto): Promise<IdentityAnswer<'GET /api/v1/people'>> {
    return this.people.list(actor, q);
  }

  @Get('people/:id')
  @RequirePermission('identity.person.read')
  @ApiOperation({ summary: '人员详情（脱敏）' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<IdentityAnswer<'GET /api/v1/people/:id'>> {
    return this.people.get(actor, id);
  }

  @Post('people/:id/reveal')
  @RequirePermission('identity.person.reveal')
  @HttpCode(200)
  @ApiOperation({ summary: '查看完整身份证号或手机号（记录审计）' })
  reveal(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: RevealDto,
  ): Promise<IdentityAnswer<'POST /api/v1/people/:id/reveal'>> {
    return this.people.reveal(actor, id, dto.field);
  }

  @Put('people/:id/offline')
  @RequirePermission('identity.register.write')
  @ApiOperation({ summary: '设置无智能手机标记和帮助人（记录审计）' })
  setOffline(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: OfflineDto,
  ): Promise<IdentityAnswer<'PUT /api/v1/people/:id/offline'>> {
    return this.people.setOffline(actor, id, { noSmartphone: dto.noSmartphone, helperPersonId: dto.helperPersonId ?? null });
  }

  @Post('villages/:code/residents')
  @RequirePermission('identity.register.write')
  @ApiOperation({ summary: '登记一名村民' })
  register(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() dto: RegisterResidentDto,
  ): Promise<IdentityAnswer<'POST /api/v1/villages/:code/residents'>> {
    return this.people.register(actor, code, dto);
  }

  @Post('villages/:code/residents/import')
  @BodyLimit(16 * 1024 * 1024) // ImportRegisterDto: up to 5,000,000 characters, 3 bytes each in Chinese
  @RequirePermission('identity.register.write')
  @HttpCode(200)
  @ApiOperation({ summary: 'CSV 批量导入村民（全部成功或全部不写入）' })
  importCsv(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
    @Body() dto: ImportRegisterDto,
  ): Promise<IdentityAnswer<'POST /api/v1/villages/:code/residents/import'>> {
    return this.importer.import(actor, code, dto.csv, { dryRun: dto.dryRun });
  }

  @Get('villages/:code/representatives-meeting')
  @RequirePermission('identity.person.read')
  @ApiOperation({ summary: '村民代表会议组成人员（村民委员会成员和村民代表）及登记提示' })
  async representativesMeeting(
    @CurrentActor() actor: Actor,
    @Param('code') code: string,
  ): Promise<IdentityAnswer<'GET /api/v1/villages/:code/representatives-meeting'>> {
    await this.people.assertVillageInScope(actor, code, 'identity.person.read');
    return this.grants.representativesMeeting(code);
  }

  @Get('grants')
  @RequirePermission('identity.grant')
  @ApiOperation({ summary: '本辖区的角色授权' })
  listGrants(@CurrentActor() actor: Actor, @Query() q: GrantsQueryDto): Promise<IdentityAnswer<'GET /api/v1/grants'>> {
    return this.grants.list(actor, q);
  }

  @Post('grants')
  @RequirePermission('identity.grant')
  @ApiOperation({ summary: '在某区划授予角色（不得超出本人职权与辖区）' })
  grant(@CurrentActor() actor: Actor, @Body() dto: GrantDto): Promise<IdentityAnswer<'POST /api/v1/grants'>> {
    return this.grants.grant(actor, dto.personId, dto.role, dto.divisionCode);
  }

  @Post('grants/:id/revoke')
  @RequirePermission('identity.grant')
  @HttpCode(204)
  @ApiOperation({ summary: '撤销角色授权' })
  async revoke(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: string): Promise<IdentityAnswer<'POST /api/v1/grants/:id/revoke'>> {
    await this.grants.revoke(actor, id);
  }

  @Patch('accounts/:id/status')
  @RequirePermission('identity.account.manage')
  @ApiOperation({ summary: '停用或启用账号（停用后立即失效）' })
  setStatus(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Body() dto: AccountStatusDto,
  ): Promise<IdentityAnswer<'PATCH /api/v1/accounts/:id/status'>> {
    return this.accounts.setStatus(actor, id, dto.status);
  }
}
