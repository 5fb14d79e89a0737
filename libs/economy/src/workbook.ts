import ExcelJS from 'exceljs';
import { parseCsv } from '#platform';
import type { SheetDef } from './sheets.js';

export interface RawSheet {
  name: string;
  header: string[];
  rows: { row: number; values: Record<string, string> }[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a person would type: dates as YYYY-MM-DD, numbers in their shortest form. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim();
  if ('richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('result' in v) return cellText(v.result ?? null);
  if ('text' in v) return String(v.text).trim();
  if ('error' in v) return '';
  return '';
}

export async function readXlsx(buffer: Buffer): Promise<RawSheet[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheets: RawSheet[] = [];
  wb.eachSheet((ws) => {
    const header: string[] = [];
    ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
      header[col - 1] = cellText(cell.value);
    });
    const rows: RawSheet['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
      if (rowNumber === 1) return;
      const values: Record<string, string> = {};
      header.forEach((h, i) => {
        if (h) values[h] = cellText(r.getCell(i + 1).value);
      });
      if (Object.values(values).some((x) => x !== '')) rows.push({ row: rowNumber, values });
    });
    sheets.push({ name: ws.name.trim(), header: header.filter(Boolean), rows });
  });
  return sheets;
}

export function readCsv(text: string, name: string): RawSheet {
  const { header, rows } = parseCsv(text);
  return { name, header, rows: rows.map((r) => ({ row: r.line, values: r.values })) };
}

export type CellOut = string | number | null;

/** One sheet per table, Chinese headers, bold header row; amounts as numbers with two decimals. */
export async function writeXlsx(tables: { def: SheetDef; rows: Record<string, CellOut>[] }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '三共';
  for (const { def, rows } of tables) {
    const ws = wb.addWorksheet(def.title);
    ws.columns = def.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.header.length * 2 + 2) }));
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    def.columns.forEach((c, i) => {
      if (c.type === 'yuan') ws.getColumn(i + 1).numFmt = '#,##0.00';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
