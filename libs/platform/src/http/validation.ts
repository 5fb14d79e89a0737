import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { CommonErrors, DomainError } from '../errors/domain-error.js';
import { textKindOf } from '../input/text-kind.js';
import { hardTextProblem, kindTextProblem, type TextKind } from '../input/text-policy.js';
import { chineseFieldErrors, type FieldError } from '../input/validation-messages.js';

export type { FieldError } from '../input/validation-messages.js';

/** Past these a request is refused whole: values in one argument, nesting of a query or param, key length. */
const MAX_VALUES = 100_000;
const MAX_NESTING = 40;
const MAX_KEY_LENGTH = 100;
const MAX_FIELD_ERRORS = 50;
const WHOLE_BODY = '(请求内容)';

const tooComplex = () => new DomainError('invalid', 'REQUEST_TOO_COMPLEX', '请求内容过于复杂');
const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
const isPlainObject = (v: unknown): v is Record<string, unknown> => Object.prototype.toString.call(v) === '[object Object]';
const PRIMITIVE_TYPES: unknown[] = [String, Number, Boolean, Array, Object];

function add(out: FieldError[], field: string, message: string): void {
  if (out.length < MAX_FIELD_ERRORS) out.push({ field, messages: [message] });
}

/**
 * Before class-transformer: every string and key of the raw argument against the hard text rules,
 * whatever DTO (or none) it is meant for, with a bound on its size.
 */
function screenRaw(value: unknown, root: string): FieldError[] {
  const out: FieldError[] = [];
  let budget = MAX_VALUES;
  const visit = (v: unknown, path: string, depth: number): void => {
    if (--budget < 0 || depth > MAX_NESTING) throw tooComplex();
    if (typeof v === 'string') {
      const problem = hardTextProblem(v);
      if (problem) add(out, path || root, problem);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], join(path, i), depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if (key.length > MAX_KEY_LENGTH || hardTextProblem(key)) add(out, '(字段名)', '字段名无效');
        else visit((v as Record<string, unknown>)[key], join(path, key), depth + 1);
      }
    }
  };
  visit(value, root, 0);
  return out;
}

/**
 * After validation, on the DTO instance (whose strings all passed screenRaw): each string against
 * the rules of its field's kind, an explicit null refused (`@IsOptional()` lets null through to
 * services and NOT NULL columns; no field of this API takes null, leaving a field out is how a
 * client says "no value" or "unchanged"), and every number a finite, safe one.
 */
function screenTyped(value: unknown, root: string): FieldError[] {
  const out: FieldError[] = [];
  const visit = (v: unknown, path: string, kind: TextKind): void => {
    if (v === null) {
      add(out, path || WHOLE_BODY, '不能为 null（不填写或不修改时请省略此字段）');
    } else if (typeof v === 'string') {
      const problem = kindTextProblem(v, kind);
      if (problem) add(out, path || root, problem);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) add(out, path || root, '数值超出范围');
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], join(path, i), kind);
    } else if (typeof v === 'object' && v !== undefined && !(v instanceof Date)) {
      for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key], join(path, key), textKindOf(v, key));
    }
  };
  visit(value, root, 'line');
  return out;
}

/**
 * The global validation pipe: whitelist + forbidNonWhitelisted + transform, with the text policy
 * (input/text-policy.ts) and null/number screening around class-validator, and every message in
 * Chinese. It runs for every body, query and path argument of every route, so no DTO can forget it.
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    const root = metadata.data ?? '';
    const raw = screenRaw(value, root);
    if (raw.length) throw CommonErrors.validation(raw);
    const isDto = typeof metadata.metatype === 'function' && !PRIMITIVE_TYPES.includes(metadata.metatype);
    if (metadata.type === 'body' && isDto && value !== undefined && value !== null && !isPlainObject(value)) {
      throw CommonErrors.validation([{ field: WHOLE_BODY, messages: ['请求内容应为 JSON 对象'] }]);
    }
    const result: unknown = await super.transform(value, metadata);
    const typed = screenTyped(result, root);
    if (typed.length) throw CommonErrors.validation(typed);
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => CommonErrors.validation(chineseFieldErrors(errors)),
    // The target lets the messages be translated from the DTO's metadata; it never reaches a client.
    validationError: { target: true, value: false },
  });
}
