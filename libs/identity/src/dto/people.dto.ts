import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsMobile, IsResidentId, MultilineText, namedChoice, PageQueryDto } from '#platform';
import { EXTRA_VILLAGE_ROLES, ROLE_NAMES, ROLES, type Role } from '../roles.js';

const DIVISION_CODE_MSG = '区划代码应为 4、6、9 或 12 位数字（市、县、乡镇或村）';
import type {
  AccountStatusBody,
  GrantBody,
  GrantsQuery,
  ImportRegisterBody,
  OfflineBody,
  PeopleQuery,
  RegisterResidentBody,
  RevealBody,
} from '../routes.js';

export class RegisterResidentDto implements RegisterResidentBody {
  @ApiProperty() @IsString() @Length(1, 50, { message: '姓名应为 1–50 个字符' }) realName: string;
  @ApiProperty() @IsResidentId() idNumber: string;
  @ApiPropertyOptional() @IsOptional() @IsMobile() phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) householdNo?: string;

  @ApiPropertyOptional({ enum: EXTRA_VILLAGE_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EXTRA_VILLAGE_ROLES.length)
  @ArrayUnique()
  @IsIn(EXTRA_VILLAGE_ROLES, {
    each: true,
    message: '附加角色只能是村民代表、党员、预备党员、留党察看党员、村民委员会成员或集体经济组织成员',
  })
  extraRoles?: Role[];

  @ApiPropertyOptional({ description: '无智能手机（通知经公开栏、广播或帮助人送达）' })
  @IsOptional()
  @IsBoolean({ message: '“无智能手机”应为“是”或“否”' })
  noSmartphone?: boolean;

  @ApiPropertyOptional({ description: '帮助人（本村年满十八周岁的已登记村民，负责转告通知）' })
  @IsOptional()
  @IsUUID('all', { message: '帮助人应为有效的人员编号，请从本村村民中选择' })
  helperPersonId?: string;
}

export class OfflineDto implements OfflineBody {
  @ApiProperty({ description: '无智能手机' })
  @IsBoolean({ message: '“无智能手机”应为“是”或“否”' })
  noSmartphone: boolean;

  @ApiPropertyOptional({ description: '帮助人的人员编号；不填表示没有帮助人' })
  @IsOptional()
  @IsUUID('all', { message: '帮助人应为有效的人员编号，请从本村村民中选择' })
  helperPersonId?: string;
}

/** A query string's true/false (anything else is left for IsBoolean to refuse). */
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ImportRegisterDto implements ImportRegisterBody {
  @ApiProperty({
    description:
      'CSV 文本（UTF-8），列：姓名,身份证号,手机号,户号,村民代表,党员,预备党员,留党察看,村民委员会成员,集体经济组织成员,无智能手机',
    maxLength: 5_000_000,
  })
  @MultilineText()
  @IsString()
  @Length(1, 5_000_000, { message: 'CSV 内容为空或过大' })
  csv: string;

  @ApiPropertyOptional({ description: '只检查不写入' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class PeopleQueryDto extends PageQueryDto implements PeopleQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, { message: DIVISION_CODE_MSG }) divisionCode?: string;
  @ApiPropertyOptional({ description: '姓名关键字' }) @IsOptional() @IsString() @Length(1, 20) q?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES, namedChoice('角色', ROLE_NAMES)) role?: Role;
  @ApiPropertyOptional({ description: '只看无智能手机的（true）或其余的（false）' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: '“只看无智能手机的”应为“是”或“否”' })
  noSmartphone?: boolean;
}

export class RevealDto implements RevealBody {
  @ApiProperty({ enum: ['idNumber', 'phone'] })
  @IsIn(['idNumber', 'phone'], { message: '查看项应为身份证号或手机号' })
  field: 'idNumber' | 'phone';
}

export class GrantDto implements GrantBody {
  @ApiProperty() @IsUUID('all', { message: '人员应为有效的人员编号，请搜索并选择人员' }) personId: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, { message: '角色不存在' }) role: Role;
  @ApiProperty()
  @Matches(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, { message: '区划代码应为 4、6、9 或 12 位数字（市、县、乡镇或村），请在区划中选择' })
  divisionCode: string;
}

export class GrantsQueryDto extends PageQueryDto implements GrantsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^(\d{4}|\d{6}|\d{9}|\d{12})$/, { message: DIVISION_CODE_MSG }) divisionCode?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES, namedChoice('角色', ROLE_NAMES)) role?: Role;
  @ApiPropertyOptional() @IsOptional() @IsUUID() personId?: string;
}

export class AccountStatusDto implements AccountStatusBody {
  @ApiProperty({ enum: ['active', 'disabled'] })
  @IsIn(['active', 'disabled'], { message: '账号状态应为启用或停用' })
  status: 'active' | 'disabled';
}
