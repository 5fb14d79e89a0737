import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { containing, dbOf, startingWith } from '#platform';
import type { DivisionLevel, DivisionView } from './views.js';

/** The division table's SQL: every statement of this module, typed from the schema. */
@Injectable()
export class DivisionsRepository {
  constructor(private readonly ds: DataSource) {}

  private get db() {
    return dbOf(this.ds);
  }

  private view() {
    return this.db.selectFrom('division').select(['code', 'name', 'level', 'parent_code as parentCode']);
  }

  /** The division and its ancestors, the city first. */
  lineage(code: string): Promise<DivisionView[]> {
    return this.view()
      .where(sql<boolean>`${code} LIKE code || '%'`)
      .orderBy(sql`length(code)`)
      .execute();
  }

  async childCount(code: string): Promise<number> {
    const r = await this.db
      .selectFrom('division')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_code', '=', code)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  children(code: string): Promise<DivisionView[]> {
    return this.view().where('parent_code', '=', code).orderBy('code').execute();
  }

  roots(): Promise<DivisionView[]> {
    return this.view().where('parent_code', 'is', null).orderBy('code').execute();
  }

  /** Name search (substring) with each hit's full name; `within` and `level` narrow it. */
  search(q: string, opts: { within?: string; level?: DivisionLevel; limit: number }): Promise<(DivisionView & { fullName: string })[]> {
    let query = this.db
      .selectFrom('division as d')
      .select([
        'd.code',
        'd.name',
        'd.level',
        'd.parent_code as parentCode',
        sql<string>`(SELECT string_agg(a.name, ' / ' ORDER BY length(a.code)) FROM division a WHERE d.code LIKE a.code || '%')`.as(
          'fullName',
        ),
      ])
      .where('d.name', 'like', containing(q));
    if (opts.within) query = query.where('d.code', 'like', startingWith(opts.within));
    if (opts.level) query = query.where('d.level', '=', opts.level);
    return query
      .orderBy(sql`length(d.code)`)
      .orderBy('d.code')
      .limit(opts.limit)
      .execute();
  }

  /** Every division's name by code (a few thousand rows for a city). */
  async allNames(): Promise<ReadonlyMap<string, string>> {
    const rows = await this.db.selectFrom('division').select(['code', 'name']).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  names(codes: readonly string[]): Promise<{ code: string; name: string }[]> {
    return this.db
      .selectFrom('division')
      .select(['code', 'name'])
      .where('code', '=', sql<string>`ANY(${[...codes]}::varchar[])`)
      .execute();
  }

  async exists(code: string, level?: DivisionLevel): Promise<boolean> {
    let q = this.db.selectFrom('division').select('code').where('code', '=', code);
    if (level) q = q.where('level', '=', level);
    return (await q.executeTakeFirst()) !== undefined;
  }
}
