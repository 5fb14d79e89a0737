import type { TextKind } from './text-policy.js';

const TEXT_KIND = Symbol('sangong:text-kind');

/** A DTO text field that may hold several lines and tabs (bodies, reasons, records). */
export const MultilineText = (): PropertyDecorator => (target, key) => Reflect.defineMetadata(TEXT_KIND, 'multiline', target, key);

/** A DTO field that is not text for people (passwords, base64 content): only the hard rules apply. */
export const OpaqueText = (): PropertyDecorator => (target, key) => Reflect.defineMetadata(TEXT_KIND, 'opaque', target, key);

const byClass = new WeakMap<object, Map<string, TextKind>>();

/** The kind of a field of a DTO instance; every field not marked otherwise is a single line. */
export function textKindOf(instance: object, key: string): TextKind {
  const proto = Object.getPrototypeOf(instance) as object | null;
  if (proto === null) return 'line';
  let kinds = byClass.get(proto);
  if (!kinds) byClass.set(proto, (kinds = new Map<string, TextKind>()));
  let kind = kinds.get(key);
  if (kind === undefined) {
    kind = (Reflect.getMetadata(TEXT_KIND, proto, key) as TextKind | undefined) ?? 'line';
    kinds.set(key, kind);
  }
  return kind;
}
