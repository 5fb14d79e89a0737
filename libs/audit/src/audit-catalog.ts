import { Injectable } from '@nestjs/common';

/**
 * The Chinese names of audit actions and target types. Each domain registers its own (pure data in its
 * `audit-names.ts`) when its module is built, so the audit log can say "查看当事人完整身份证号" instead of
 * `mediation.party.reveal`, and can be searched by those words.
 */
export interface AuditNameSet {
  actions: Readonly<Record<string, string>>;
  targets: Readonly<Record<string, string>>;
}

@Injectable()
export class AuditCatalog {
  private readonly actions = new Map<string, string>();
  private readonly targets = new Map<string, string>();

  register(set: AuditNameSet): void {
    for (const [code, name] of Object.entries(set.actions)) this.actions.set(code, name);
    for (const [code, name] of Object.entries(set.targets)) this.targets.set(code, name);
  }

  /** The action's Chinese name; a code nobody named still reads as Chinese, with the code for support. */
  actionName(code: string): string {
    return this.actions.get(code) ?? `其他操作（${code}）`;
  }

  targetName(code: string | null): string | null {
    if (!code) return null;
    return this.targets.get(code) ?? code;
  }

  /** The action codes whose Chinese name contains every word of `words` (split on white space). */
  actionsMatching(words: string): string[] {
    const parts = words.split(/\s+/).filter(Boolean);
    if (!parts.length) return [];
    return [...this.actions].filter(([, name]) => parts.every((p) => name.includes(p))).map(([code]) => code);
  }

  /** The target types whose Chinese name contains `word`. */
  targetsMatching(word: string): string[] {
    return [...this.targets].filter(([, name]) => name.includes(word)).map(([code]) => code);
  }

  knownActions(): ReadonlySet<string> {
    return new Set(this.actions.keys());
  }
}
