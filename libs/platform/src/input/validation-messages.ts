import { getMetadataStorage, type MetadataStorage, type ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  messages: string[];
}

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

const CJK = /[\u3400-\u9fff]/;
export const isChinese = (s: string): boolean => CJK.test(s);

const list = (values: unknown): string => (Array.isArray(values) ? values.map(String).join('、') : String(values));

/** API values in code (`villagers_meeting`, `true`) mean nothing to a villager: listed only when they hold no Latin word. */
const oneOf = (values: unknown): string =>
  /[A-Za-z]{2,}/.test(list(values)) ? '不是可选的值，请从列表中选择' : `应为以下之一：${list(values)}`;

/**
 * class-validator's constraint names → a Chinese sentence, for every validator a DTO uses without its
 * own Chinese message (and for the pipe's own constraints: unknown fields, nested objects). The field
 * itself is named by the `field` beside the messages.
 */
export function chineseConstraintMessage(name: string, constraints: readonly unknown[] = [], each = false, field = ''): string {
  const [a, b] = constraints;
  const s = (text: string) => (each ? `每一项${text}` : text);
  switch (name) {
    case 'whitelistValidation':
      return `不允许的字段：${field}`;
    case 'unknownValue':
      return '请求内容应为 JSON 对象';
    case 'nestedValidation':
      return s('应为对象');
    case 'isDefined':
    case 'isNotEmpty':
      return '必填';
    case 'isString':
      return s('应为文本');
    case 'isInt':
      return s('应为整数');
    case 'isNumber':
      return s('应为数字');
    case 'isBoolean':
      return s('应为“是”或“否”');
    case 'isArray':
      return '应为数组';
    case 'isObject':
      return s('应为对象');
    case 'isUuid':
      return s('应为有效的编号');
    case 'isDateString':
    case 'isIso8601':
      return s('应为有效的日期时间，例如 2026-03-01 或 2026-03-01T08:00:00+08:00');
    case 'isIn':
    case 'isEnum':
      return s(oneOf(a));
    case 'matches':
      return s('格式不正确');
    case 'isLength':
      return s(
        b === undefined ? `长度至少 ${String(a)} 个字符` : `长度应为 ${String(a)}–${typeof b === 'number' ? b : JSON.stringify(b)} 个字符`,
      );
    case 'minLength':
      return s(`长度至少 ${String(a)} 个字符`);
    case 'maxLength':
      return s(`长度最多 ${String(a)} 个字符`);
    case 'min':
      return s(`不能小于 ${String(a)}`);
    case 'max':
      return s(`不能大于 ${String(a)}`);
    case 'arrayMinSize':
      return `至少 ${String(a)} 项`;
    case 'arrayMaxSize':
      return `最多 ${String(a)} 项`;
    case 'arrayUnique':
      return '不能有重复项';
    default:
      return s('的值不符合要求');
  }
}

/**
 * The message of an `@IsIn` over codes that have Chinese names: the field as the UI labels it and the
 * names the villager chose from ("状态应为正常、注销之一"), never the codes themselves.
 */
export function namedChoice(
  label: string,
  names: Readonly<Record<string, string>>,
  codes: readonly string[] = Object.keys(names),
): { message: string } {
  return { message: `${label}应为${codes.map((c) => names[c] ?? c).join('、')}之一` };
}

/** The constraint name class-validator reports for one validator (what ValidationExecutor uses as the key). */
export function constraintNameOf(meta: ValidationMetadata): string {
  const constraint = meta.constraintCls ? getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls)[0] : undefined;
  return constraint?.name ?? meta.name ?? meta.type;
}

/** The message villagers read for one validator of a DTO: its own when Chinese, else the translation. */
export function chineseMessageOf(meta: ValidationMetadata): string {
  if (typeof meta.message === 'string' && isChinese(meta.message)) return meta.message;
  return chineseConstraintMessage(constraintNameOf(meta), meta.constraints, meta.each, meta.propertyName);
}

const byClass = new WeakMap<object, Map<string, ValidationMetadata>>();

function metadataOf(cls: object, property: string, constraint: string): ValidationMetadata | undefined {
  let index = byClass.get(cls);
  if (!index) {
    index = new Map();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls as () => void, '', true, false)) {
      index.set(`${m.propertyName}\u0000${constraintNameOf(m)}`, m);
    }
    byClass.set(cls, index);
  }
  return index.get(`${property}\u0000${constraint}`);
}

/**
 * class-validator's errors as field → Chinese messages. A validator's own Chinese message stays as
 * written; every English default is replaced from the constraint's name and arguments, read from the
 * DTO's metadata (the errors must be produced with `target: true` for that).
 */
export function chineseFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const cls = e.target && typeof e.target === 'object' ? (e.target.constructor as object) : undefined;
      const messages = Object.entries(e.constraints).map(([name, message]) => {
        if (isChinese(message)) return message;
        const meta = cls ? metadataOf(cls, e.property, name) : undefined;
        return meta ? chineseMessageOf(meta) : chineseConstraintMessage(name, [], false, e.property);
      });
      out.push({ field, messages: [...new Set(messages)] });
    }
    if (e.children?.length) out.push(...chineseFieldErrors(e.children, field));
  }
  return out;
}
