import { Injectable } from '@nestjs/common';
import { ReadCache } from '#platform';
import { DivisionErrors } from './divisions.errors.js';
import { DivisionsRepository } from './divisions.repository.js';
import { isDivisionCode } from './scope.js';
import type { DivisionLevel, DivisionView, DivisionWithPath } from './views.js';

@Injectable()
export class DivisionsService {
  constructor(
    private readonly repo: DivisionsRepository,
    private readonly cache: ReadCache,
  ) {}

  async get(code: string): Promise<DivisionWithPath> {
    if (!isDivisionCode(code)) throw DivisionErrors.badCode();
    const rows = await this.repo.lineage(code);
    const self = rows.find((r) => r.code === code);
    if (!self) throw DivisionErrors.notFound();
    const path = rows.filter((r) => r.code !== code);
    const childCount = await this.repo.childCount(code);
    return { ...self, path, fullName: [...path, self].map((d) => d.name).join(' / '), childCount };
  }

  async children(code: string): Promise<DivisionView[]> {
    if (!isDivisionCode(code)) throw DivisionErrors.badCode();
    if (!(await this.repo.exists(code))) throw DivisionErrors.notFound();
    return this.repo.children(code);
  }

  roots(): Promise<DivisionView[]> {
    return this.repo.roots();
  }

  /** Name search (substring), optionally inside a division and at one level; at most `limit` rows. */
  async search(q: string, opts: { within?: string; level?: DivisionLevel; limit?: number } = {}): Promise<DivisionWithPath[]> {
    if (opts.within && !isDivisionCode(opts.within)) throw DivisionErrors.badCode();
    const rows = await this.repo.search(q, { ...opts, limit: opts.limit ?? 20 });
    return rows.map((r) => ({ ...r, path: [], childCount: 0 }));
  }

  /**
   * Name lookup for many codes at once (used by lists, exports and every page's headings): from the
   * read cache's copy of every division's name while it is listening, which a change of the division
   * table drops (decision 062); from the database otherwise.
   */
  async namesOf(codes: readonly string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    if (this.cache.active) {
      const all = await this.cache.get(
        'division-names',
        () => this.repo.allNames(),
        () => [],
      );
      return new Map(codes.filter((c) => all.has(c)).map((c) => [c, all.get(c)!]));
    }
    const rows = await this.repo.names([...new Set(codes)]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  exists(code: string, level?: DivisionLevel): Promise<boolean> {
    return this.repo.exists(code, level);
  }
}
