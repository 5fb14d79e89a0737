import { jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import { FINANCE_BOARD_STYLE } from '#openness';
import { styleHash } from '#platform';
import type { GivenUser } from '../support/factories.js';
import { VILLAGE_A, VILLAGE_B } from '../support/factories.js';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(120_000);

const D = '/api/v1/disclosures';
const HEADER = ['日期', '凭证号', '摘要', '对方单位或个人', '收支类别', '收入金额（元）', '支出金额（元）'];
type Cell = string | number | Date | null;

let t: TestApp;
let committee: GivenUser;
let supervisor: GivenUser;
let resident: GivenUser;
let otherCommittee: GivenUser;
let monthNo = 0;

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  [committee, supervisor, resident, otherCommittee] = await Promise.all([
    t.given.user('village_committee', VILLAGE_A),
    t.given.user('supervision_committee', VILLAGE_A),
    t.given.user('resident', VILLAGE_A),
    t.given.user('village_committee', VILLAGE_B),
  ]);
});
afterAll(async () => {
  await t.close();
});

/** A month's finance disclosure of village A in draft, a different month each call. */
async function financeDisclosure(openingFen = '500000'): Promise<{ id: string; start: string; end: string }> {
  monthNo++;
  const y = 2020 + Math.floor((monthNo - 1) / 12);
  const m = ((monthNo - 1) % 12) + 1;
  const res = await t.api.post(
    D,
    {
      villageCode: VILLAGE_A,
      subject: 'village',
      kind: 'finance',
      title: `${y}年${m}月财务收支公开`,
      periodKind: 'month',
      periodStart: `${y}-${String(m).padStart(2, '0')}-01`,
      openingBalanceFen: openingFen,
    },
    committee.token,
  );
  expect(res.status).toBe(201);
  return { id: res.body.id, start: res.body.periodStart, end: res.body.periodEnd };
}

const step = async (id: string, action: 'submit' | 'return' | 'sign-off' | 'publish', token: string, body: object = {}) =>
  expect((await t.api.post(`${D}/${id}/${action}`, body, token)).status).toBe(201);

/** Through the workflow: the closing balance stated as it must be, submitted, then returned or signed off and published. */
async function moveTo(id: string, state: 'submitted' | 'returned' | 'published'): Promise<void> {
  const detail = await t.api.get(`${D}/${id}`, committee.token);
  expect((await t.api.patch(`${D}/${id}`, { closingBalanceFen: detail.body.finance.expectedClosingFen }, committee.token)).status).toBe(
    200,
  );
  await step(id, 'submit', committee.token);
  if (state === 'returned') await step(id, 'return', supervisor.token, { reason: '请附凭证照片' });
  if (state === 'published') {
    await step(id, 'sign-off', supervisor.token);
    await step(id, 'publish', committee.token);
  }
}

async function xlsxBase64(rows: Cell[][], sheet = '收支明细'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

const importSheet = (id: string, contentBase64: string, commit: boolean, token = committee.token) =>
  t.api.post(`${D}/${id}/import`, { contentBase64, commit }, token);

async function download(path: string, token: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

interface StoredEntry {
  line_no: number;
  entry_date: string;
  voucher_no: string;
  item: string;
  counterpart: string | null;
  category: string;
  direction: string;
  amount_fen: string;
}

const stored = (id: string) =>
  queryRows<StoredEntry>(
    t.db,
    `SELECT line_no, to_char(entry_date, 'YYYY-MM-DD') AS entry_date, voucher_no, item, counterpart, category, direction, amount_fen::text
     FROM finance_entry WHERE disclosure_id = $1 ORDER BY line_no`,
    [id],
  );

const sums = async (id: string) =>
  (
    await queryRows<{ income: string; expense: string }>(
      t.db,
      `SELECT income_fen::text AS income, expense_fen::text AS expense FROM disclosure WHERE id = $1`,
      [id],
    )
  )[0];

/** A month's good sheet: income and expenditure of several categories, amounts that floats get wrong. */
const goodRows = (start: string): Cell[][] => {
  const day = (d: number) => `${start.slice(0, 8)}${String(d).padStart(2, '0')}`;
  return [
    HEADER,
    [new Date(`${day(3)}T00:00:00Z`), '记-001', '收取村东鱼塘承包费', '张三', '发包及上交收入', 12000.5, null],
    [day(5), '记-002', '购买办公用品', '长子县文具店', '管理费用', null, 0.1],
    [day(8), '记-003', '上级拨付村级组织运转经费', null, '补助收入', '1,234,567.89', null],
    [null, null, null, null, null, null, null],
    [day(20), '记-004', '村内道路维修 "西段" <3>', '王五', '公益支出', null, 0.29],
  ];
};

describe('财务公开: the template', () => {
  it('downloads under a Chinese name with the header, an example and a note; left as it is, it imports nothing', async () => {
    const f = await download(`${D}/finance-template`, committee.token);
    expect(f.status).toBe(200);
    expect(f.headers.get('content-type')).toContain('spreadsheetml');
    const disposition = f.headers.get('content-disposition') ?? '';
    expect(disposition).toContain('filename="finance-template.xlsx"');
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')).toBe('财务公开收支明细模板.xlsx');
    const ws = (await workbook(f.body)).getWorksheet('收支明细')!;
    expect((ws.getRow(1).values as Cell[]).slice(1)).toEqual(HEADER);
    expect((ws.getRow(2).values as Cell[]).slice(2, 6)).toEqual(['示例-001', '收取村东鱼塘 2026 年承包费', '张三', '发包及上交收入']);
    expect(ws.getRow(2).getCell(6).value).toBe(12000.5);
    expect(ws.getRow(3).getCell(1).text).toMatch(/^填写说明：.*收支类别只能填：经营收入、发包及上交收入/);

    const d = await financeDisclosure();
    const empty = await importSheet(d.id, f.body.toString('base64'), false);
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ code: 'FINANCE_IMPORT_EMPTY', message: '表中没有收支明细：请从表头下一行起逐行填写' });

    // Filled in below the example and the note, it imports the rows the accountant added.
    const wb = await workbook(f.body);
    wb.getWorksheet('收支明细')!.addRow([new Date(`${d.start}T00:00:00Z`), '记-1', '收取租金', null, '经营收入', 800, null]);
    const filled = await importSheet(d.id, Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'), false);
    expect(filled.body).toEqual({ rows: 1, incomeFen: '80000', expenseFen: '0', errors: [], committed: false });
  });

  it('is for the committee: a resident may not download it', async () => {
    expect((await download(`${D}/finance-template`, resident.token)).status).toBe(403);
  });
});

describe('财务公开: importing the month', () => {
  it('previews row errors in Chinese with their row and column and writes nothing, even when asked to commit', async () => {
    const d = await financeDisclosure();
    const file = await xlsxBase64([
      ...goodRows(d.start),
      ['2019-12-31', '记-005', '收取租金', null, '经营收入', 100, null],
      [d.start, '', '收取租金', null, '经营收入', 100, null],
      [d.start, '记-001', '收取租金', null, '经营收入', 100, null],
      [d.start, '记-006', '收取租金', null, '招待收入', 100, null],
      [d.start, '记-007', '收取租金', null, '管理费用', 100, null],
      [d.start, '记-008', '收取租金', null, '经营收入', 1.234, null],
      [d.start, '记-009', '收取租金', null, '经营收入', -5, null],
      [d.start, '记-010', '收取租金', null, '经营收入', 100, 100],
      [d.start, '记-011', '', null, '经营收入', null, null],
    ]);
    const expectedErrors = [
      { row: 7, field: '日期', message: `日期 2019-12-31 不在本期公开期间（${d.start} 至 ${d.end}）内` },
      { row: 8, field: '凭证号', message: '请填写凭证号' },
      { row: 9, field: '凭证号', message: '凭证号“记-001”与第 2 行重复' },
      {
        row: 10,
        field: '收支类别',
        message:
          '“招待收入”不是收支类别，应为：经营收入、发包及上交收入、投资收益、补助收入、其他收入、经营支出、管理费用、公益支出、其他支出',
      },
      { row: 11, field: '收入金额（元）', message: '“管理费用”是支出类别，金额应填在“支出金额（元）”列' },
      { row: 12, field: '收入金额（元）', message: '金额 1.234 超过两位小数（以元为单位，精确到分）' },
      { row: 13, field: '收入金额（元）', message: '金额应大于 0' },
      { row: 14, field: '支出金额（元）', message: '收入金额和支出金额每行只能填一个' },
      { row: 15, field: '摘要', message: '请填写摘要' },
      { row: 15, field: '收入金额（元）', message: '收入金额和支出金额须填写其中一个' },
    ];
    // Rows 2–6 are good (row 5 is blank and skipped): 12000.50 + 1234567.89 income, 0.10 + 0.29 expenditure.
    const preview = await importSheet(d.id, file, false);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ rows: 13, incomeFen: '124656839', expenseFen: '39', errors: expectedErrors, committed: false });

    const refused = await importSheet(d.id, file, true);
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ ...preview.body, committed: false });
    expect(await stored(d.id)).toEqual([]);
    expect(await sums(d.id)).toEqual({ income: '0', expense: '0' });
  });

  it('commits all or nothing: replaces every entry (lines 1..n in sheet order), recomputes the totals, audits; a second import replaces again', async () => {
    const d = await financeDisclosure();
    // An entry made by hand before the import: the import replaces it.
    const byHand = { entryDate: d.start, voucherNo: '手-1', item: '手工录入', category: 'other_income', amountFen: '999' };
    expect((await t.api.post(`${D}/${d.id}/entries`, byHand, committee.token)).status).toBe(201);
    expect(await sums(d.id)).toEqual({ income: '999', expense: '0' });
    const preview = await importSheet(d.id, await xlsxBase64(goodRows(d.start)), false);
    expect(preview.body).toEqual({ rows: 4, incomeFen: '124656839', expenseFen: '39', errors: [], committed: false });
    expect((await stored(d.id)).map((e) => e.voucher_no)).toEqual(['手-1']);

    const first = await importSheet(d.id, await xlsxBase64(goodRows(d.start)), true);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 4, incomeFen: '124656839', expenseFen: '39', errors: [], committed: true });
    const day = (n: number) => `${d.start.slice(0, 8)}${String(n).padStart(2, '0')}`;
    expect(await stored(d.id)).toEqual([
      {
        line_no: 1,
        entry_date: day(3),
        voucher_no: '记-001',
        item: '收取村东鱼塘承包费',
        counterpart: '张三',
        category: 'contracting_income',
        direction: 'income',
        amount_fen: '1200050',
      },
      {
        line_no: 2,
        entry_date: day(5),
        voucher_no: '记-002',
        item: '购买办公用品',
        counterpart: '长子县文具店',
        category: 'admin_expense',
        direction: 'expense',
        amount_fen: '10',
      },
      {
        line_no: 3,
        entry_date: day(8),
        voucher_no: '记-003',
        item: '上级拨付村级组织运转经费',
        counterpart: null,
        category: 'subsidy_income',
        direction: 'income',
        amount_fen: '123456789',
      },
      {
        line_no: 4,
        entry_date: day(20),
        voucher_no: '记-004',
        item: '村内道路维修 "西段" <3>',
        counterpart: '王五',
        category: 'welfare_expense',
        direction: 'expense',
        amount_fen: '29',
      },
    ]);
    expect(await sums(d.id)).toEqual({ income: '124656839', expense: '39' });
    const audits = await queryRows<{ account_id: string; target_division: string; details: Record<string, unknown> }>(
      t.db,
      `SELECT account_id, target_division, details FROM audit_log WHERE action = 'disclosure.import' AND target_id = $1`,
      [d.id],
    );
    expect(audits).toEqual([
      {
        account_id: committee.accountId,
        target_division: VILLAGE_A,
        details: { rows: 4, replaced: 1, incomeFen: '124656839', expenseFen: '39' },
      },
    ]);

    // The corrected sheet, imported again: it replaces the four lines with its two.
    const second = await importSheet(
      d.id,
      await xlsxBase64([
        HEADER,
        [day(28), '记-101', '出租集体仓库', '李四', '经营收入', '3,000', null],
        [day(2), '记-102', '支付保洁员工资', '赵六', '经营支出', null, 1500],
      ]),
      true,
    );
    expect(second.body).toEqual({ rows: 2, incomeFen: '300000', expenseFen: '150000', errors: [], committed: true });
    expect((await stored(d.id)).map((e) => [e.line_no, e.voucher_no, e.amount_fen])).toEqual([
      [1, '记-101', '300000'],
      [2, '记-102', '150000'],
    ]);
    expect(await sums(d.id)).toEqual({ income: '300000', expense: '150000' });
  });

  it('is refused once submitted to the supervision committee, and allowed again when returned', async () => {
    const d = await financeDisclosure();
    const file = await xlsxBase64(goodRows(d.start));
    expect((await importSheet(d.id, file, true)).body.committed).toBe(true);
    await moveTo(d.id, 'submitted');
    const after = await importSheet(d.id, await xlsxBase64([HEADER, [d.start, '记-9', '另一笔', null, '其他收入', 1, null]]), true);
    expect(after.status).toBe(409);
    expect(after.body).toEqual({ code: 'DISCLOSURE_NOT_EDITABLE', message: '公开事项已待监委会审核，不能再修改' });
    expect((await stored(d.id)).map((e) => e.voucher_no)).toEqual(['记-001', '记-002', '记-003', '记-004']);

    await step(d.id, 'return', supervisor.token, { reason: '请附凭证照片' });
    const again = await importSheet(d.id, await xlsxBase64([HEADER, [d.start, '记-9', '另一笔', null, '其他收入', 1, null]]), true);
    expect(again.body).toEqual({ rows: 1, incomeFen: '100', expenseFen: '0', errors: [], committed: true });
    expect(await sums(d.id)).toEqual({ income: '100', expense: '0' });
  });

  it('is the village committee’s alone: another village’s committee is told it does not exist, a resident and the supervisors are refused', async () => {
    const d = await financeDisclosure();
    const file = await xlsxBase64(goodRows(d.start));
    const other = await importSheet(d.id, file, true, otherCommittee.token);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('DISCLOSURE_NOT_FOUND');
    // A draft is not the residents' to see.
    const residentDraft = await importSheet(d.id, file, true, resident.token);
    expect(residentDraft.status).toBe(403);
    const supervisors = await importSheet(d.id, file, false, supervisor.token);
    expect(supervisors.status).toBe(403);
    expect(await stored(d.id)).toEqual([]);

    // Published, a resident reads it but still may not import.
    await moveTo(d.id, 'published');
    const residentPublished = await importSheet(d.id, file, true, resident.token);
    expect(residentPublished.status).toBe(403);
    expect(await stored(d.id)).toEqual([]);
    expect(await queryRows(t.db, `SELECT 1 FROM audit_log WHERE action = 'disclosure.import' AND target_id = $1`, [d.id])).toEqual([]);
  });

  it('refuses a file that is not an .xlsx, a sheet without the columns, and a disclosure that is not finance', async () => {
    const d = await financeDisclosure();
    const notXlsx = await importSheet(d.id, Buffer.from('日期,凭证号\n2026-01-01,1\n').toString('base64'), false);
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.code).toBe('FINANCE_IMPORT_FILE_INVALID');
    const noBase64 = await importSheet(d.id, '这不是文件', false);
    expect(noBase64.status).toBe(400);
    const columns = await importSheet(d.id, await xlsxBase64([['日期', '凭证号', '摘要', '收入金额（元）', '支出金额（元）']]), true);
    expect(columns.body).toEqual({
      rows: 0,
      incomeFen: '0',
      expenseFen: '0',
      errors: [{ row: 1, field: '收支类别', message: '缺少“收支类别”列（表头须与模板一致）' }],
      committed: false,
    });
    const created = await t.api.post(
      D,
      {
        villageCode: VILLAGE_A,
        subject: 'village',
        kind: 'other',
        title: '村内路灯安装情况',
        periodKind: 'once',
        periodStart: '2026-03-01',
      },
      committee.token,
    );
    expect(created.status).toBe(201);
    const general = created.body.id as string;
    const notFinance = await importSheet(general, await xlsxBase64(goodRows(d.start)), false);
    expect(notFinance.status).toBe(400);
    expect(notFinance.body).toEqual({ code: 'DISCLOSURE_NOT_FINANCE', message: '只有财务公开才能导入收支明细' });
    expect((await t.api.get(`${D}/${general}/print`, committee.token)).status).toBe(400);
  });
});

describe('财务公开: export and the printed board', () => {
  it('exports the entries and a summary; the export imports back unchanged', async () => {
    const d = await financeDisclosure('123456789');
    expect((await importSheet(d.id, await xlsxBase64(goodRows(d.start)), true)).body.committed).toBe(true);
    const before = await stored(d.id);

    const f = await download(`${D}/${d.id}/export`, committee.token);
    expect(f.status).toBe(200);
    expect(f.headers.get('content-type')).toContain('spreadsheetml');
    const disposition = f.headers.get('content-disposition') ?? '';
    expect(disposition).toContain(`filename="finance-${d.start}.xlsx"`);
    const [{ name }] = await queryRows<{ name: string }>(t.db, `SELECT name FROM division WHERE code = $1`, [VILLAGE_A]);
    const [y, m] = d.start.split('-').map(Number);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')).toBe(`${name}${y}年${m}月财务公开.xlsx`);

    const wb = await workbook(f.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['收支明细', '收支汇总']);
    const entries = wb.getWorksheet('收支明细')!;
    expect((entries.getRow(1).values as Cell[]).slice(1)).toEqual(HEADER);
    expect(entries.rowCount).toBe(5);
    expect(entries.getRow(4).getCell(6).value).toBe(1234567.89);
    expect(entries.getRow(4).getCell(6).numFmt).toBe('#,##0.00');
    const summary = new Map<string, [Cell, Cell]>();
    wb.getWorksheet('收支汇总')!.eachRow((r) => summary.set(r.getCell(1).text, [r.getCell(2).value as Cell, r.getCell(3).value as Cell]));
    expect(summary.get('期初余额')).toEqual([1234567.89, null]);
    expect(summary.get('本期收入合计')).toEqual([1246568.39, 2]);
    expect(summary.get('　发包及上交收入')).toEqual([12000.5, 1]);
    expect(summary.get('　补助收入')).toEqual([1234567.89, 1]);
    expect(summary.get('　经营收入')).toEqual([0, 0]);
    expect(summary.get('本期支出合计')).toEqual([0.39, 2]);
    expect(summary.get('　管理费用')).toEqual([0.1, 1]);
    expect(summary.get('　公益支出')).toEqual([0.29, 1]);
    // No closing balance entered yet: opening + income − expenditure, so marked.
    expect(summary.get('期末余额')).toEqual([2481135.89, null]);
    expect(summary.has('（期末余额尚未填写，按期初余额加本期收入减本期支出计算）')).toBe(true);

    // Round trip: the exported file imports back to the very same entries and totals.
    const back = await importSheet(d.id, f.body.toString('base64'), true);
    expect(back.body).toEqual({ rows: 4, incomeFen: '124656839', expenseFen: '39', errors: [], committed: true });
    expect(await stored(d.id)).toEqual(before);
    // …and exports to the same entries sheet again.
    const again = await workbook((await download(`${D}/${d.id}/export`, committee.token)).body);
    const rowsOf = (w: ExcelJS.Workbook) => w.getWorksheet('收支明细')!.getSheetValues();
    expect(rowsOf(again)).toEqual(rowsOf(wb));

    // Readable as the disclosure is: not by another village's committee, nor by a resident while a draft.
    expect((await download(`${D}/${d.id}/export`, otherCommittee.token)).status).toBe(404);
    expect((await download(`${D}/${d.id}/export`, resident.token)).status).toBe(404);
  });

  it('prints the figures for the 公开栏: watermarked until signed off; then the reviewer, the date and the publicity period', async () => {
    const d = await financeDisclosure('123456789');
    expect((await importSheet(d.id, await xlsxBase64(goodRows(d.start)), true)).body.committed).toBe(true);
    const draft = await t.api.get(`${D}/${d.id}/print`, committee.token);
    expect(draft.status).toBe(200);
    expect(draft.headers.get('content-type')).toContain('text/html');
    const html = draft.body as string;
    expect(html).toContain('size: A4');
    // The UI opens the page from memory under its own policy, which allows this exact stylesheet by hash.
    expect(html).toContain(`<style>${FINANCE_BOARD_STYLE}</style>`);
    expect(html).not.toMatch(/ style=/);
    const ui = await fetch(`${t.baseUrl}/login`);
    expect(ui.headers.get('content-security-policy')).toContain(styleHash(FINANCE_BOARD_STYLE));
    expect(html).toContain('<div class="watermark">未经监委会审核</div>');
    expect(html).toContain(
      '<tr><td class="amt">1,234,567.89</td><td class="amt">1,246,568.39</td><td class="amt">0.39</td><td class="amt">2,481,135.89</td></tr>',
    );
    expect(html).toContain('<tr class="cat"><td colspan="4">补助收入（1 笔）</td><td class="amt">1,234,567.89</td></tr>');
    expect(html).toContain('<td>记-004</td><td>村内道路维修 &quot;西段&quot; &lt;3&gt;</td><td>王五</td><td class="amt">0.29</td>');
    expect(html).toContain('<tr class="total"><td colspan="4">收入合计</td><td class="amt">1,246,568.39</td></tr>');
    expect(html).toContain('<tr class="total"><td colspan="4">支出合计</td><td class="amt">0.39</td></tr>');
    expect(html).toContain('尚未公开；公开之日起公示 30 日。');
    // A resident does not see a draft.
    expect((await t.api.get(`${D}/${d.id}/print`, resident.token)).status).toBe(404);

    await moveTo(d.id, 'published');
    const [row] = await queryRows<{ reviewed: string; published: string; until: string }>(
      t.db,
      `SELECT to_char(reviewed_at AT TIME ZONE 'Asia/Shanghai', 'FMYYYY年FMMM月FMDD日') AS reviewed,
              to_char(published_at AT TIME ZONE 'Asia/Shanghai', 'FMYYYY年FMMM月FMDD日') AS published,
              to_char((publicity_until - interval '1 millisecond') AT TIME ZONE 'Asia/Shanghai', 'FMYYYY年FMMM月FMDD日') AS until
       FROM disclosure WHERE id = $1`,
      [d.id],
    );
    const page = await t.api.get(`${D}/${d.id}/print`, resident.token);
    expect(page.status).toBe(200);
    const published = page.body as string;
    expect(published).not.toContain('<div class="watermark">');
    expect(published).toContain(`审核人：${supervisor.realName}　审核日期：${row.reviewed}`);
    expect(published).toContain(`公开日期：${row.published}；公示期：${row.published}至${row.until}。`);
    expect(published).toContain('期末余额 <strong>2,481,135.89</strong> 元');
    expect(published).not.toContain('期末余额尚未填写');
    expect((await t.api.get(`${D}/${d.id}/print`, otherCommittee.token)).status).toBe(404);
  });
});

describe('财务公开: a 2,000-entry month', () => {
  it('previews and commits in under 5 s each', async () => {
    const d = await financeDisclosure();
    const categories = ['经营收入', '发包及上交收入', '补助收入', '管理费用', '公益支出', '经营支出'];
    const rows: Cell[][] = [HEADER];
    let income = 0n;
    let expense = 0n;
    for (let i = 1; i <= 2000; i++) {
      const category = categories[i % categories.length];
      const isIncome = category.endsWith('收入');
      const fen = BigInt(i * 137 + 1);
      if (isIncome) income += fen;
      else expense += fen;
      const yuanText = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
      rows.push([
        new Date(`${d.start.slice(0, 8)}${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`),
        `记-${String(i).padStart(4, '0')}`,
        `第 ${i} 笔：村集体日常收支`,
        i % 3 ? `往来单位${i}` : null,
        category,
        isIncome ? Number(yuanText) : null,
        isIncome ? null : Number(yuanText),
      ]);
    }
    const file = await xlsxBase64(rows);

    let started = performance.now();
    const preview = await importSheet(d.id, file, false);
    const previewMs = performance.now() - started;
    expect(preview.body).toEqual({ rows: 2000, incomeFen: String(income), expenseFen: String(expense), errors: [], committed: false });

    started = performance.now();
    const commit = await importSheet(d.id, file, true);
    const commitMs = performance.now() - started;
    expect(commit.body).toEqual({ rows: 2000, incomeFen: String(income), expenseFen: String(expense), errors: [], committed: true });
    const [{ n, last }] = await queryRows<{ n: number; last: string }>(
      t.db,
      `SELECT count(*)::int AS n, max(voucher_no) AS last FROM finance_entry WHERE disclosure_id = $1`,
      [d.id],
    );
    expect([n, last]).toEqual([2000, '记-2000']);
    expect(await sums(d.id)).toEqual({ income: String(income), expense: String(expense) });
    process.stdout.write(
      `2,000-entry import (${(file.length / 1024).toFixed(0)} KB base64): preview ${previewMs.toFixed(0)} ms, commit ${commitMs.toFixed(0)} ms\n`,
    );
    expect(previewMs).toBeLessThan(5000);
    expect(commitMs).toBeLessThan(5000);
  });
});
