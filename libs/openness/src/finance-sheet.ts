/**
 * The finance sheet (收支明细表) as the product's template, the import and the export share it: its
 * columns, how a cell reads as text, and exact 元 ↔ fen and date conversions (no amount passes through
 * arithmetic on floats). Pure: no I/O.
 */
import type ExcelJS from 'exceljs';
import { FINANCE_CATEGORIES, FINANCE_CATEGORY_NAMES, type FinanceCategory } from './names.js';
import { parseDay } from './periods.js';

export const ENTRIES_SHEET = '收支明细';
/** The largest .xlsx the import accepts (the route's body limit allows its base64). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Its base64: 4 characters per 3 bytes. */
export const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_BYTES / 3) * 4;
export const SUMMARY_SHEET = '收支汇总';

export type ColumnKey = 'date' | 'voucherNo' | 'item' | 'counterpart' | 'category' | 'income' | 'expense';

/** The columns in the template's order; a sheet's headers are matched by name (or a common alias), never by position. */
export const FINANCE_COLUMNS: readonly { key: ColumnKey; header: string; aliases: readonly string[]; required: boolean; width: number }[] =
  [
    { key: 'date', header: '日期', aliases: ['记账日期', '凭证日期'], required: true, width: 12 },
    { key: 'voucherNo', header: '凭证号', aliases: ['凭证编号', '凭证字号'], required: true, width: 10 },
    { key: 'item', header: '摘要', aliases: ['事项', '摘要/事项', '摘要（事项）'], required: true, width: 30 },
    {
      key: 'counterpart',
      header: '对方单位或个人',
      aliases: ['对方单位', '对方单位（个人）', '往来单位或个人'],
      required: false,
      width: 18,
    },
    { key: 'category', header: '收支类别', aliases: ['科目', '收支科目', '科目（收支类别）'], required: true, width: 14 },
    { key: 'income', header: '收入金额（元）', aliases: ['收入金额', '收入', '收入（元）'], required: true, width: 14 },
    { key: 'expense', header: '支出金额（元）', aliases: ['支出金额', '支出', '支出（元）'], required: true, width: 14 },
  ];

export const HEADER_OF: Record<ColumnKey, string> = Object.fromEntries(FINANCE_COLUMNS.map((c) => [c.key, c.header])) as Record<
  ColumnKey,
  string
>;

/** Headers compare without spaces and with either width of brackets and slash. */
export const normalizeHeader = (s: string): string => s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）').replace(/／/g, '/');

const COLUMN_BY_HEADER = new Map<string, ColumnKey>(
  FINANCE_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [normalizeHeader(h), c.key] as [string, ColumnKey])),
);

export const columnOfHeader = (text: string): ColumnKey | undefined => COLUMN_BY_HEADER.get(normalizeHeader(text));

/** The template's filled example, skipped on import when left in place. */
export const TEMPLATE_EXAMPLE: Record<ColumnKey, string> = {
  date: '2026-01-05',
  voucherNo: '示例-001',
  item: '收取村东鱼塘 2026 年承包费',
  counterpart: '张三',
  category: FINANCE_CATEGORY_NAMES.contracting_income,
  income: '12000.5',
  expense: '',
};

/** The template's note row begins with this, and is skipped on import. */
export const NOTE_PREFIX = '填写说明';

export const TEMPLATE_NOTE =
  `${NOTE_PREFIX}：每行填一笔收支，从第 2 行起填写（本示例行和本说明行导入时自动跳过，也可删除）。` +
  `日期须在公开期间内，格式如 2026-01-05；凭证号必填，同一表内不得重复；摘要必填；` +
  `收支类别只能填：${FINANCE_CATEGORIES.map((c) => FINANCE_CATEGORY_NAMES[c]).join('、')}；` +
  `收入金额和支出金额每行只填一个（收入类别填收入金额，支出类别填支出金额），单位为元，大于 0，最多两位小数；空行自动跳过。`;

const CATEGORY_BY_NAME = new Map<string, FinanceCategory>(FINANCE_CATEGORIES.map((c) => [FINANCE_CATEGORY_NAMES[c], c]));

export const categoryOfName = (name: string): FinanceCategory | undefined => CATEGORY_BY_NAME.get(name.replace(/\s+/g, ''));

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a person would type: dates as YYYY-MM-DD, numbers in their shortest exact decimal form. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim();
  if ('richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('result' in v) return cellText(v.result ?? null);
  if ('text' in v) return String(v.text).trim();
  return '';
}

/** Below 1,000,000,000,000,000 fen, as the table's CHECK allows. */
export const MAX_FEN = 999_999_999_999_999n;

/**
 * "12,000.5" → 1200050n; a number cell arrives in its shortest decimal form ("12000.5"). Accepts a
 * leading ¥ and a trailing 元; more than two decimals only if the extra ones are zeros.
 */
export function yuanToFen(text: string): { fen: bigint } | { problem: string } {
  const s = text
    .replace(/[\s,，]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  const m = /^([-+]?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { problem: `“${text}”不是有效的金额` };
  const decimals = (m[3] ?? '').replace(/0+$/, '');
  if (decimals.length > 2) return { problem: `金额 ${text} 超过两位小数（以元为单位，精确到分）` };
  const fen = BigInt(m[2]) * 100n + BigInt(decimals.padEnd(2, '0'));
  if (m[1] === '-' || fen === 0n) return { problem: '金额应大于 0' };
  if (fen > MAX_FEN) return { problem: `金额 ${text} 过大` };
  return { fen };
}

/** Integer fen as 元 with exactly two decimals and no separators: what a cell holds. */
export function fenToYuanPlain(fen: bigint | string): string {
  const v = BigInt(fen);
  const a = v < 0n ? -v : v;
  return `${v < 0n ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** 1899-12-30: day 0 of spreadsheets' 1900 date system. */
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date as typed: 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, or a spreadsheet day number left
 * unformatted (46027). YYYY-MM-DD, or null if it is not a real day.
 */
export function dayOfText(text: string): string | null {
  const s = text.trim();
  let y: number, m: number, d: number;
  const parts = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (parts) [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  else if (/^\d{5}$/.test(s)) {
    const t = new Date(SERIAL_EPOCH_MS + Number(s) * 86_400_000);
    [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  } else return null;
  const day = `${y}-${pad(m)}-${pad(d)}`;
  return parseDay(day) ? day : null;
}

/** A day as a spreadsheet date cell (midnight UTC, as spreadsheets' dates carry no zone). */
export const dateCell = (day: string): Date => new Date(`${day}T00:00:00Z`);
