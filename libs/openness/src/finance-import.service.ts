import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock } from '#platform';
import { EDITABLE } from './disclosure-actions.js';
import type { DisclosureRow } from './disclosures.repository.js';
import { DisclosuresService } from './disclosures.service.js';
import { FinanceIoRepository, type NewFinanceEntry } from './finance-io.repository.js';
import {
  cellText,
  type ColumnKey,
  columnOfHeader,
  categoryOfName,
  dayOfText,
  ENTRIES_SHEET,
  FINANCE_COLUMNS,
  HEADER_OF,
  MAX_IMPORT_BYTES,
  NOTE_PREFIX,
  TEMPLATE_EXAMPLE,
  yuanToFen,
} from './finance-sheet.js';
import { CATEGORY_DIRECTION, FINANCE_CATEGORIES, FINANCE_CATEGORY_NAMES } from './names.js';
import { OpennessErrors } from './openness.errors.js';
import type { FinanceImportBody } from './routes.js';
import type { FinanceImportPreview } from './views.js';

/** More entries than any village's month or quarter; a sheet beyond it is refused before it is checked. */
export const MAX_IMPORT_ROWS = 10_000;

export type RowError = FinanceImportPreview['errors'][number];

/** One data row of the sheet: its number as the spreadsheet shows it, its cells' text by column. */
export interface SheetRow {
  row: number;
  cells: Record<ColumnKey, string>;
}

export interface ReadSheet {
  /** A missing required column, reported on the header row. */
  errors: RowError[];
  rows: SheetRow[];
}

/** The header row: the first of the first ten rows that names at least 日期 and 凭证号 (a title may sit above it). */
function findHeader(ws: ExcelJS.Worksheet): { row: number; columns: Map<number, ColumnKey> } | null {
  for (let r = 1; r <= Math.min(10, ws.rowCount); r++) {
    const columns = new Map<number, ColumnKey>();
    const seen = new Set<ColumnKey>();
    ws.getRow(r).eachCell((cell, col) => {
      const key = columnOfHeader(cellText(cell.value));
      if (key && !seen.has(key)) {
        seen.add(key);
        columns.set(col, key);
      }
    });
    if (seen.has('date') && seen.has('voucherNo')) return { row: r, columns };
  }
  return null;
}

const isExample = (cells: Record<ColumnKey, string>) => FINANCE_COLUMNS.every((c) => cells[c.key] === TEMPLATE_EXAMPLE[c.key]);

/**
 * The entries sheet of an .xlsx (the sheet 收支明细, else the first): the rows below the header, blank rows,
 * the template's example and its note skipped. Throws FINANCE_IMPORT_FILE_INVALID on a file that is not one.
 */
export async function readFinanceSheet(content: Buffer): Promise<ReadSheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw OpennessErrors.importFileInvalid();
  }
  const ws = wb.getWorksheet(ENTRIES_SHEET) ?? wb.worksheets[0];
  if (!ws) throw OpennessErrors.importFileInvalid();
  const header = findHeader(ws);
  const present = new Set(header?.columns.values() ?? []);
  const errors: RowError[] = FINANCE_COLUMNS.filter((c) => c.required && !present.has(c.key)).map((c) => ({
    row: header?.row ?? 1,
    field: c.header,
    message: `缺少“${c.header}”列（表头须与模板一致）`,
  }));
  if (!header || errors.length) return { errors, rows: [] };
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber <= header.row) return;
    const cells = Object.fromEntries(FINANCE_COLUMNS.map((c) => [c.key, ''])) as Record<ColumnKey, string>;
    for (const [col, key] of header.columns) cells[key] = cellText(r.getCell(col).value);
    const texts = Object.values(cells).filter((t) => t !== '');
    if (!texts.length || texts[0].startsWith(NOTE_PREFIX) || isExample(cells)) return;
    rows.push({ row: rowNumber, cells });
  });
  return { errors, rows };
}

const chars = (s: string) => [...s].length;
const CATEGORY_LIST = FINANCE_CATEGORIES.map((c) => FINANCE_CATEGORY_NAMES[c]).join('、');

export interface CheckedEntries {
  entries: NewFinanceEntry[];
  errors: RowError[];
  /** Sums of the rows without error. */
  incomeFen: bigint;
  expenseFen: bigint;
}

/** Checks every row against the disclosure's period; every problem of every row is reported, in row order. */
export function checkEntries(rows: readonly SheetRow[], period: { start: string; end: string }): CheckedEntries {
  const errors: RowError[] = [];
  const entries: NewFinanceEntry[] = [];
  const voucherRow = new Map<string, number>();
  let incomeFen = 0n;
  let expenseFen = 0n;
  for (const { row, cells } of rows) {
    const problems: RowError[] = [];
    const fail = (key: ColumnKey, message: string) => problems.push({ row, field: HEADER_OF[key], message });

    const day = cells.date ? dayOfText(cells.date) : null;
    if (!cells.date) fail('date', '请填写日期');
    else if (!day) fail('date', `“${cells.date}”不是有效日期（格式如 2026-01-05）`);
    else if (day < period.start || day > period.end) fail('date', `日期 ${day} 不在本期公开期间（${period.start} 至 ${period.end}）内`);

    const voucherNo = cells.voucherNo;
    if (!voucherNo) fail('voucherNo', '请填写凭证号');
    else if (chars(voucherNo) > 30) fail('voucherNo', '凭证号不能超过 30 个字');
    else {
      const first = voucherRow.get(voucherNo);
      if (first !== undefined) fail('voucherNo', `凭证号“${voucherNo}”与第 ${first} 行重复`);
      else voucherRow.set(voucherNo, row);
    }

    if (!cells.item) fail('item', '请填写摘要');
    else if (chars(cells.item) > 200) fail('item', '摘要不能超过 200 个字');
    if (chars(cells.counterpart) > 100) fail('counterpart', '对方单位或个人不能超过 100 个字');

    const category = cells.category ? categoryOfName(cells.category) : undefined;
    if (!cells.category) fail('category', '请填写收支类别');
    else if (!category) fail('category', `“${cells.category}”不是收支类别，应为：${CATEGORY_LIST}`);

    let amountFen: bigint | null = null;
    let column: 'income' | 'expense' | null = null;
    if (!cells.income && !cells.expense) fail('income', '收入金额和支出金额须填写其中一个');
    else if (cells.income && cells.expense) fail('expense', '收入金额和支出金额每行只能填一个');
    else {
      column = cells.income ? 'income' : 'expense';
      const parsed = yuanToFen(cells[column]);
      if ('problem' in parsed) fail(column, parsed.problem);
      else amountFen = parsed.fen;
      if (category && CATEGORY_DIRECTION[category] !== column) {
        const other = column === 'income' ? 'expense' : 'income';
        fail(
          column,
          `“${FINANCE_CATEGORY_NAMES[category]}”是${other === 'income' ? '收入' : '支出'}类别，金额应填在“${HEADER_OF[other]}”列`,
        );
      }
    }

    if (problems.length || !day || !category || amountFen === null || column === null) {
      errors.push(...problems);
      continue;
    }
    entries.push({
      entryDate: day,
      voucherNo,
      item: cells.item,
      counterpart: cells.counterpart || null,
      category,
      direction: column,
      amountFen,
    });
    if (column === 'income') incomeFen += amountFen;
    else expenseFen += amountFen;
  }
  return { entries, errors, incomeFen, expenseFen };
}

/** Entries may be replaced by the village's committee, on a finance disclosure in draft or returned. */
function assertEntriesEditable(actor: Actor, d: DisclosureRow): void {
  if (!actor.can('disclosure.write', d.villageCode)) throw OpennessErrors.stepForbidden('edit', '村民委员会');
  if (d.kind !== 'finance') throw OpennessErrors.notFinance('导入收支明细');
  if (!EDITABLE.includes(d.state)) throw OpennessErrors.notEditable(d.state);
}

/**
 * The import of a period's entries from the product's template (财务公开, issue 15). The file is read and
 * every row checked first (pure); a preview stops there. A commit then, in ONE transaction holding the
 * disclosure's row, checks its state again, replaces all its entries with the sheet's (lines 1..n in the
 * sheet's order), recomputes its income and expenditure from what is stored, and audits: all or nothing.
 * Rows with errors mean nothing is written.
 */
@Injectable()
export class FinanceImportService {
  constructor(
    private readonly db: DataSource,
    private readonly disclosures: DisclosuresService,
    private readonly repo: FinanceIoRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async import(actor: Actor, id: string, body: FinanceImportBody): Promise<FinanceImportPreview> {
    const d = await this.disclosures.load(this.db.manager, actor, id);
    assertEntriesEditable(actor, d);
    const content = Buffer.from(body.contentBase64, 'base64');
    if (!content.length || content.length > MAX_IMPORT_BYTES) throw OpennessErrors.importFileInvalid();
    const sheet = await readFinanceSheet(content);
    if (!sheet.errors.length && !sheet.rows.length) throw OpennessErrors.importEmpty();
    if (sheet.rows.length > MAX_IMPORT_ROWS) throw OpennessErrors.importTooManyRows(MAX_IMPORT_ROWS);
    const checked = checkEntries(sheet.rows, { start: d.periodStart, end: d.periodEnd });
    const errors = [...sheet.errors, ...checked.errors];
    const preview: FinanceImportPreview = {
      rows: sheet.rows.length,
      incomeFen: checked.incomeFen.toString(),
      expenseFen: checked.expenseFen.toString(),
      errors,
      committed: false,
    };
    if (!body.commit || errors.length) return preview;

    return this.db.transaction(async (em) => {
      const locked = await this.disclosures.load(em, actor, id, true);
      assertEntriesEditable(actor, locked);
      const stored = await this.repo.replaceEntries(em, id, checked.entries, this.clock.now());
      await this.audit.record(em, {
        actor,
        action: 'disclosure.import',
        targetType: 'disclosure',
        targetId: id,
        targetDivision: locked.villageCode,
        details: { rows: checked.entries.length, replaced: stored.removed, incomeFen: stored.incomeFen, expenseFen: stored.expenseFen },
      });
      return { ...preview, incomeFen: stored.incomeFen, expenseFen: stored.expenseFen, committed: true };
    });
  }
}
