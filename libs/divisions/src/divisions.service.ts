import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '#platform';
import { isDivisionCode, type DivisionLevel } from './scope.js';

export interface DivisionView {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export interface DivisionWithPath extends DivisionView {
  /** Ancestors from the city down, excluding the division itself. */
  path: DivisionView[];
  /** 长治市 / 长子县 / 鲍店镇 … */
  fullName: string;
  childCount: number;
}

export const DivisionErrors = {
  notFound: () => new DomainError('not_found', 'DIVISION_NOT_FOUND', '行政区划不存在'),
  badCode: () => new DomainError('invalid', 'DIVISION_CODE_INVALID', '行政区划代码格式错误（应为 4、6、9 或 12 位数字）'),
};

const COLS = `code, name, level, parent_code AS "parentCode"`;

@Injectable()
export class DivisionsService {
  constructor(private readonly db: DataSource) {}

  async get(code: string): Promise<DivisionWithPath> {
    if (!isDivisionCode(code)) throw DivisionErrors.badCode();
    const rows: DivisionView[] = await this.db.query(`SELECT ${COLS} FROM division WHERE $1 LIKE code || '%' ORDER BY length(code)`, [
      code,
    ]);
    const self = rows.find((r) => r.code === code);
    if (!self) throw DivisionErrors.notFound();
    const path = rows.filter((r) => r.code !== code);
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM division WHERE parent_code = $1`, [code]);
    return { ...self, path, fullName: [...path, self].map((d) => d.name).join(' / '), childCount: n };
  }

  async children(code: string): Promise<DivisionView[]> {
    if (!isDivisionCode(code)) throw DivisionErrors.badCode();
    const exists = await this.db.query(`SELECT 1 FROM division WHERE code = $1`, [code]);
    if (!exists.length) throw DivisionErrors.notFound();
    return this.db.query(`SELECT ${COLS} FROM division WHERE parent_code = $1 ORDER BY code`, [code]);
  }

  async roots(): Promise<DivisionView[]> {
    return this.db.query(`SELECT ${COLS} FROM division WHERE parent_code IS NULL ORDER BY code`);
  }

  /** Name search (substring), optionally inside a division and at one level; at most `limit` rows. */
  async search(q: string, opts: { within?: string; level?: DivisionLevel; limit?: number } = {}): Promise<DivisionWithPath[]> {
    const params: unknown[] = [`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
    let where = `d.name LIKE $1`;
    if (opts.within) {
      if (!isDivisionCode(opts.within)) throw DivisionErrors.badCode();
      params.push(`${opts.within}%`);
      where += ` AND d.code LIKE $${params.length}`;
    }
    if (opts.level) {
      params.push(opts.level);
      where += ` AND d.level = $${params.length}`;
    }
    params.push(opts.limit ?? 20);
    const rows: (DivisionView & { fullName: string })[] = await this.db.query(
      `SELECT d.code, d.name, d.level, d.parent_code AS "parentCode",
              (SELECT string_agg(a.name, ' / ' ORDER BY length(a.code)) FROM division a WHERE d.code LIKE a.code || '%') AS "fullName"
         FROM division d WHERE ${where} ORDER BY length(d.code), d.code LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...r, path: [], childCount: 0 }));
  }

  /** Name lookup for many codes at once (used by lists and exports). */
  async namesOf(codes: readonly string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows: { code: string; name: string }[] = await this.db.query(`SELECT code, name FROM division WHERE code = ANY($1::varchar[])`, [
      [...new Set(codes)],
    ]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async exists(code: string, level?: DivisionLevel): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM division WHERE code = $1 ${level ? 'AND level = $2' : ''}`,
      level ? [code, level] : [code],
    );
    return rows.length > 0;
  }
}
