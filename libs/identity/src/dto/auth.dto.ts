import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsMobile, OpaqueText } from '#platform';
import type { ActivateBody, ChangePasswordBody, LoginBody, RefreshBody } from '../routes.js';

/** An outer bound on what the edge accepts; the password policy decides what is a good password (8–64). */
const PASSWORD_INPUT_MAX = 1024;

export class LoginDto implements LoginBody {
  @ApiProperty({ example: '13800000001' })
  @IsMobile()
  phone: string;

  @ApiProperty({ format: 'password' })
  @OpaqueText()
  @IsString({ message: '请输入密码' })
  @Length(1, 128, { message: '请输入密码' })
  password: string;
}

export class RefreshDto implements RefreshBody {
  @ApiProperty()
  @IsString()
  @Length(20, 100, { message: '刷新凭证格式错误' })
  refreshToken: string;
}

export class ActivateDto implements ActivateBody {
  @ApiProperty() @IsMobile() phone: string;

  @ApiProperty({ description: '村委会发放的 8 位激活码' })
  @Matches(/^[A-Za-z0-9]{8}$/, { message: '激活码应为 8 位字母或数字' })
  activationCode: string;

  @ApiProperty({ description: '8–64 个字符', format: 'password' })
  @OpaqueText()
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX, { message: '密码过长' })
  password: string;
}

export class ChangePasswordDto implements ChangePasswordBody {
  @ApiProperty({ format: 'password' }) @OpaqueText() @IsString() @Length(1, 128) oldPassword: string;
  @ApiProperty({ format: 'password' })
  @OpaqueText()
  @IsString()
  @MaxLength(PASSWORD_INPUT_MAX, { message: '密码过长' })
  newPassword: string;
}
