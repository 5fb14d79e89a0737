import { CREDIT_ALPHABET, creditCodeCheckChar } from '#platform';
import type { DataSource } from 'typeorm';
import { queryRows } from './sql.js';

let serial = 1000;

/** Nine characters of the GB 32100 organization-code part, from a number. */
function body9(n: number): string {
  let s = '';
  let v = n;
  for (let i = 0; i < 9; i++) {
    s = CREDIT_ALPHABET[v % 31] + s;
    v = Math.floor(v / 31);
  }
  return s;
}

/** A valid, unique credit code of a collective economic organization of `level` in `county`. */
export function orgCreditCode(divisionCode: string, level: 'group' | 'village' | 'township' = 'village'): string {
  const first17 = `N${{ group: '1', village: '2', township: '3' }[level]}${divisionCode.slice(0, 6)}${body9(++serial)}`;
  return first17 + creditCodeCheckChar(first17);
}

/** A valid, unique credit code of an enterprise (type 91) registered in `county`. */
export function companyCreditCode(county = '140428'): string {
  const first17 = `91${county}${body9(++serial)}`;
  return first17 + creditCodeCheckChar(first17);
}

export function orgBody(villageCode: string, over: Record<string, unknown> = {}) {
  return {
    level: 'village',
    divisionCode: villageCode,
    name: `测试${serial}村股份经济合作社集体经济组织`,
    creditCode: orgCreditCode(villageCode),
    registrationNo: `C${serial}`,
    registeredOn: '2020-06-01',
    charterFiledOn: '2020-05-20',
    chairName: '王建国',
    memberCount: 120,
    totalShares: '1000',
    ...over,
  };
}

export function companyBody(level: 'county' | 'township', divisionCode: string, over: Record<string, unknown> = {}) {
  return {
    level,
    divisionCode,
    name: `测试平台公司${++serial}有限公司`,
    creditCode: companyCreditCode(divisionCode.slice(0, 6)),
    legalRep: '李志强',
    registeredCapitalFen: '500000000',
    paidInCapitalFen: '300000000',
    foundedOn: '2021-03-15',
    businessScope: '农产品加工与销售',
    status: 'operating',
    ...over,
  };
}

/** Village codes inside `prefix`, from the real division table. */
export async function villagesIn(db: DataSource, prefix: string, limit = 10_000): Promise<{ code: string; name: string }[]> {
  return queryRows(db, `SELECT code, name FROM division WHERE level = 'village' AND code LIKE $1 ORDER BY code LIMIT $2`, [
    `${prefix}%`,
    limit,
  ]);
}

/** Polls an import job until it is finished. */
export async function waitForImport(
  get: () => Promise<{ status: number; body: any }>,
  onProgress?: (processed: number, total: number) => void,
): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await get();
    if (r.status !== 200) throw new Error(`import job: ${r.status} ${JSON.stringify(r.body)}`);
    onProgress?.(r.body.processed, r.body.total);
    if (r.body.status !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('import job did not finish');
}

/** An .xlsx file (base64) with the given sheets: first row the header. */
export async function xlsxBase64(sheets: { name: string; rows: (string | number | null)[][] }[]): Promise<string> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of s.rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

/** Every sheet of an .xlsx as arrays of cell texts (header first). */
export async function readXlsxCells(buf: Buffer): Promise<Record<string, string[][]>> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  wb.eachSheet((ws) => {
    const rows: string[][] = [];
    ws.eachRow((r) => {
      const cells: string[] = [];
      r.eachCell({ includeEmpty: true }, (c, col) => {
        cells[col - 1] = c.value === null || c.value === undefined ? '' : c.text;
      });
      rows.push(cells);
    });
    out[ws.name] = rows;
  });
  return out;
}

/** GET a binary file over real HTTP. */
export async function download(
  baseUrl: string,
  path: string,
  token: string,
): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}
