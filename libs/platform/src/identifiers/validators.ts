import { registerDecorator, ValidationOptions } from 'class-validator';
import { checkCreditCode } from './credit-code.js';
import { checkResidentId } from './resident-id.js';
import { isMobile } from './mobile.js';

function simple(name: string, test: (v: string) => boolean, message: string) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && test(v) },
    });
}

export const IsResidentId = simple('isResidentId', (v) => checkResidentId(v).ok, '身份证号码无效（格式、出生日期或校验位错误）');
export const IsCreditCode = simple('isCreditCode', (v) => checkCreditCode(v).ok, '统一社会信用代码无效（长度、字符或校验位错误）');
export const IsMobile = simple('isMobile', isMobile, '手机号码应为 1 开头的 11 位数字');
