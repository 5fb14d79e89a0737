import { EconomyErrors } from '../economy.errors.js';
import { IMPORT_KIND_BY_TITLE, IMPORT_ORDER, type ImportKind, SHEETS } from '../sheets.js';
import type { ImportRowError } from '../views.js';
import { type RawSheet, readCsv, readXlsx } from '../workbook.js';
import { ImportRowCode } from './row-codes.js';

/** One data row: its sheet's title, its number as the spreadsheet shows it, its cells by column key. */
export interface SourceRow {
  sheet: string;
  row: number;
  /** Trimmed cell text by the column's key (SHEETS), found by the header's name; '' when absent. */
  cells: Record<string, string>;
}

/** One table of the file, its rows keyed by column. */
export interface ParsedTable {
  kind: ImportKind;
  sheet: string;
  rows: SourceRow[];
  /** COLUMN_MISSING for each required header the sheet lacks (then `rows` is empty: the table is not read). */
  errors: ImportRowError[];
}

/** The file's tables, in import order (registry records before what refers to them). */
export async function readTables(fileName: string, content: Buffer, kind?: ImportKind): Promise<{ kind: ImportKind; sheet: RawSheet }[]> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) {
    if (!kind) throw EconomyErrors.importKindRequired();
    return [{ kind, sheet: readCsv(content.toString('utf8'), SHEETS[kind].title) }];
  }
  if (!lower.endsWith('.xlsx')) throw EconomyErrors.importFileInvalid();
  let sheets: RawSheet[];
  try {
    sheets = await readXlsx(content);
  } catch {
    throw EconomyErrors.importFileInvalid();
  }
  const out: { kind: ImportKind; sheet: RawSheet }[] = [];
  for (const s of sheets) {
    const k = IMPORT_KIND_BY_TITLE.get(s.name) ?? (sheets.length === 1 ? kind : undefined);
    if (k) out.push({ kind: k, sheet: s });
  }
  if (!out.length) throw EconomyErrors.importNoSheets();
  return out.sort((a, b) => IMPORT_ORDER.indexOf(a.kind) - IMPORT_ORDER.indexOf(b.kind));
}

/** A sheet as rows of cells by column key; headers are matched by name, never by position. */
export function parseTable(kind: ImportKind, sheet: RawSheet): ParsedTable {
  const columns = SHEETS[kind].columns;
  const errors: ImportRowError[] = columns
    .filter((c) => c.required && !sheet.header.includes(c.header))
    .map((c) => ({ sheet: sheet.name, row: 1, column: c.header, code: ImportRowCode.columnMissing, message: `缺少列“${c.header}”` }));
  if (errors.length) return { kind, sheet: sheet.name, rows: [], errors };
  const rows = sheet.rows.map((r) => ({
    sheet: sheet.name,
    row: r.row,
    cells: Object.fromEntries(columns.map((c) => [c.key, (r.values[c.header] ?? '').trim()])),
  }));
  return { kind, sheet: sheet.name, rows, errors };
}
