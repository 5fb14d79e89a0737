import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsBoolean, IsString, MaxLength } from 'class-validator';
import { OpaqueText } from '#platform';
import { MAX_IMPORT_BASE64 } from '../finance-sheet.js';
import type { FinanceImportBody } from '../routes.js';

export class FinanceImportDto implements FinanceImportBody {
  @ApiProperty({
    description: '收支明细表（.xlsx，按模板填写）的 base64 内容，文件不超过 5 MB',
    format: 'byte',
    maxLength: MAX_IMPORT_BASE64,
  })
  @OpaqueText()
  @IsString({ message: '请上传收支明细表' })
  @MaxLength(MAX_IMPORT_BASE64, { message: '文件不能超过 5 MB' })
  @IsBase64({}, { message: '文件内容无法读取，请重新选择文件' })
  contentBase64: string;

  @ApiProperty({ description: 'false：只预览（检查并给出错误和合计）；true：全部无误时替换本期全部收支明细' })
  @IsBoolean({ message: '请选择预览或导入' })
  commit: boolean;
}
