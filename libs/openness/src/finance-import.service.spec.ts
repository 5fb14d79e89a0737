import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { financeBoardPage, publisherName } from './finance-board.js';
import { checkEntries, readFinanceSheet, type SheetRow } from './finance-import.service.js';
import { type ColumnKey, dayOfText, fenToYuanPlain, TEMPLATE_EXAMPLE, TEMPLATE_NOTE, yuanToFen } from './finance-sheet.js';

const PERIOD = { start: '2026-10-01', end: '2026-10-31' };

const row = (n: number, cells: Partial<Record<ColumnKey, string>>): SheetRow => ({
  row: n,
  cells: { date: '', voucherNo: '', item: '', counterpart: '', category: '', income: '', expense: '', ...cells },
});

const good = (n: number, more: Partial<Record<ColumnKey, string>> = {}) =>
  row(n, { date: '2026-10-05', voucherNo: `记-${n}`, item: '收取鱼塘承包费', category: '发包及上交收入', income: '1200.5', ...more });

async function xlsx(rows: (string | number | Date | null)[][], sheet = '收支明细'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER = ['日期', '凭证号', '摘要', '对方单位或个人', '收支类别', '收入金额（元）', '支出金额（元）'];

describe('amounts in 元 to integer fen', () => {
  it('converts exactly, by string, whatever the float would say', () => {
    expect(yuanToFen('0.1')).toEqual({ fen: 10n });
    expect(yuanToFen('0.29')).toEqual({ fen: 29n });
    expect(yuanToFen('1,234.56')).toEqual({ fen: 123456n });
    expect(yuanToFen('￥12000元')).toEqual({ fen: 1200000n });
    expect(yuanToFen(String(1234.56))).toEqual({ fen: 123456n });
    expect(yuanToFen('9999999999999.99')).toEqual({ fen: 999999999999999n });
    expect(yuanToFen('12.500')).toEqual({ fen: 1250n });
  });

  it('refuses zero, negatives, a third decimal, words and amounts beyond the column', () => {
    expect(yuanToFen('0')).toEqual({ problem: '金额应大于 0' });
    expect(yuanToFen('-5')).toEqual({ problem: '金额应大于 0' });
    expect(yuanToFen('1.005')).toEqual({ problem: '金额 1.005 超过两位小数（以元为单位，精确到分）' });
    expect(yuanToFen('一百')).toEqual({ problem: '“一百”不是有效的金额' });
    expect(yuanToFen('1e5')).toHaveProperty('problem');
    expect(yuanToFen('10000000000000')).toEqual({ problem: '金额 10000000000000 过大' });
  });

  it('round-trips every fen amount through its plain 元 text and through a spreadsheet number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 999_999_999_999_999n }), (fen) => {
        expect(yuanToFen(fenToYuanPlain(fen))).toEqual({ fen });
        expect(yuanToFen(String(Number(fenToYuanPlain(fen))))).toEqual({ fen });
      }),
    );
  });
});

describe('dates as accountants type them', () => {
  it('reads the usual forms and a bare spreadsheet day number', () => {
    expect(dayOfText('2026-10-05')).toBe('2026-10-05');
    expect(dayOfText('2026/10/5')).toBe('2026-10-05');
    expect(dayOfText('2026.10.5')).toBe('2026-10-05');
    expect(dayOfText('2026年10月5日')).toBe('2026-10-05');
    expect(dayOfText('46300')).toBe('2026-10-05');
    expect(dayOfText('2026-02-30')).toBeNull();
    expect(dayOfText('十月五日')).toBeNull();
  });
});

describe('checking the rows of a sheet', () => {
  it('accepts good rows and sums income and expenditure apart', () => {
    const r = checkEntries(
      [good(2), good(3, { category: '管理费用', income: '', expense: '300', counterpart: '长子县办公用品店' })],
      PERIOD,
    );
    expect(r.errors).toEqual([]);
    expect(r.incomeFen).toBe(120050n);
    expect(r.expenseFen).toBe(30000n);
    expect(r.entries).toEqual([
      {
        entryDate: '2026-10-05',
        voucherNo: '记-2',
        item: '收取鱼塘承包费',
        counterpart: null,
        category: 'contracting_income',
        direction: 'income',
        amountFen: 120050n,
      },
      {
        entryDate: '2026-10-05',
        voucherNo: '记-3',
        item: '收取鱼塘承包费',
        counterpart: '长子县办公用品店',
        category: 'admin_expense',
        direction: 'expense',
        amountFen: 30000n,
      },
    ]);
  });

  it('reports every problem with its row, column and a Chinese message; bad rows are not summed', () => {
    const r = checkEntries(
      [
        good(2),
        good(3, { date: '2026-11-01' }),
        good(4, { voucherNo: '' }),
        good(5, { voucherNo: '记-2' }),
        good(6, { category: '招待费' }),
        good(7, { category: '管理费用' }),
        good(8, { income: '1.234' }),
        good(9, { income: '0' }),
        good(10, { income: '', expense: '' }),
        good(11, { expense: '5' }),
        good(12, { date: '明天', item: '' }),
      ],
      PERIOD,
    );
    expect(r.errors).toEqual([
      { row: 3, field: '日期', message: '日期 2026-11-01 不在本期公开期间（2026-10-01 至 2026-10-31）内' },
      { row: 4, field: '凭证号', message: '请填写凭证号' },
      { row: 5, field: '凭证号', message: '凭证号“记-2”与第 2 行重复' },
      {
        row: 6,
        field: '收支类别',
        message:
          '“招待费”不是收支类别，应为：经营收入、发包及上交收入、投资收益、补助收入、其他收入、经营支出、管理费用、公益支出、其他支出',
      },
      { row: 7, field: '收入金额（元）', message: '“管理费用”是支出类别，金额应填在“支出金额（元）”列' },
      { row: 8, field: '收入金额（元）', message: '金额 1.234 超过两位小数（以元为单位，精确到分）' },
      { row: 9, field: '收入金额（元）', message: '金额应大于 0' },
      { row: 10, field: '收入金额（元）', message: '收入金额和支出金额须填写其中一个' },
      { row: 11, field: '支出金额（元）', message: '收入金额和支出金额每行只能填一个' },
      { row: 12, field: '日期', message: '“明天”不是有效日期（格式如 2026-01-05）' },
      { row: 12, field: '摘要', message: '请填写摘要' },
    ]);
    expect(r.entries.map((e) => e.voucherNo)).toEqual(['记-2']);
    expect(r.incomeFen).toBe(120050n);
  });
});

describe('reading the sheet', () => {
  it('finds the header below a title, skips blank rows, the example and the note, and keeps the sheet row numbers', async () => {
    const e = TEMPLATE_EXAMPLE;
    const example = [new Date(`${e.date}T00:00:00Z`), e.voucherNo, e.item, e.counterpart, e.category, Number(e.income), null];
    const file = await xlsx([
      ['鲍店东街村2026年10月收支明细表'],
      HEADER,
      [new Date(Date.UTC(2026, 9, 5)), '记-1', '鱼塘承包费', '张三', '发包及上交收入', 12000.5, null],
      [null, null, null, null, null, null, null],
      example,
      [TEMPLATE_NOTE],
      ['2026/10/6', ' 记-2 ', '办公用品', null, '管理费用', null, '1,200.00'],
    ]);
    const sheet = await readFinanceSheet(file);
    expect(sheet.errors).toEqual([]);
    expect(sheet.rows).toEqual([
      row(3, {
        date: '2026-10-05',
        voucherNo: '记-1',
        item: '鱼塘承包费',
        counterpart: '张三',
        category: '发包及上交收入',
        income: '12000.5',
      }),
      row(7, { date: '2026/10/6', voucherNo: '记-2', item: '办公用品', category: '管理费用', expense: '1,200.00' }),
    ]);
  });

  it('matches headers by name in any order, and names a missing column on the header row', async () => {
    const moved = await readFinanceSheet(
      await xlsx([
        ['凭证号', '日期', '科目', '事项', '支出金额', '收入金额'],
        ['记-9', '2026-10-09', '公益支出', '修路', 500, null],
      ]),
    );
    expect(moved.rows).toEqual([row(2, { date: '2026-10-09', voucherNo: '记-9', item: '修路', category: '公益支出', expense: '500' })]);
    const missing = await readFinanceSheet(await xlsx([['日期', '凭证号', '摘要', '收入金额（元）', '支出金额（元）']]));
    expect(missing).toEqual({ errors: [{ row: 1, field: '收支类别', message: '缺少“收支类别”列（表头须与模板一致）' }], rows: [] });
  });

  it('refuses what is not an .xlsx with a Chinese message', async () => {
    await expect(readFinanceSheet(Buffer.from('日期,凭证号\n'))).rejects.toMatchObject({ code: 'FINANCE_IMPORT_FILE_INVALID' });
  });
});

describe('the printed board', () => {
  const board = {
    villageName: '鲍店东街村委会',
    subject: 'village' as const,
    title: '2026年10月财务收支公开',
    periodLabel: '2026年10月',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    openingBalanceFen: '123456789',
    closingBalanceFen: null,
    entries: [
      {
        entryDate: '2026-10-05',
        voucherNo: '记-1',
        item: '鱼塘<承包>费',
        counterpart: '张三',
        category: 'contracting_income' as const,
        amountFen: '1200050',
      },
      {
        entryDate: '2026-10-06',
        voucherNo: '记-2',
        item: '办公用品',
        counterpart: null,
        category: 'admin_expense' as const,
        amountFen: '30000',
      },
    ],
    signOff: null,
    publishedAt: null,
    publicityUntil: null,
    publicityDays: 30,
    isDemo: false,
  };

  it('names the publisher in full', () => {
    expect(publisherName('鲍店东街村委会', 'village')).toBe('鲍店东街村民委员会');
    expect(publisherName('鲍店东街村', 'village')).toBe('鲍店东街村村民委员会');
    expect(publisherName('鲍店东街村委会', 'collective')).toBe('鲍店东街村集体经济组织');
    expect(publisherName('城东居委会', 'village')).toBe('城东居民委员会');
  });

  it('shows the figures with separators, escapes text, and is watermarked until signed off', () => {
    const html = financeBoardPage(board);
    expect(html).toContain('<h1>鲍店东街村民委员会财务收支公开</h1>');
    expect(html).toContain(
      '<td class="amt">1,234,567.89</td><td class="amt">12,000.50</td><td class="amt">300.00</td><td class="amt">1,246,268.39</td>',
    );
    expect(html).toContain('鱼塘&lt;承包&gt;费');
    expect(html).toContain('<div class="watermark">未经监委会审核</div>');
    expect(html).toContain('期末余额尚未填写');
    expect(html).not.toContain('style=');
    const signed = financeBoardPage({
      ...board,
      closingBalanceFen: '124626839',
      signOff: { reviewerName: '李监督', reviewedAt: new Date('2026-11-03T02:00:00Z') },
      publishedAt: new Date('2026-11-04T16:30:00Z'),
      publicityUntil: new Date('2026-12-04T16:30:00Z'),
    });
    expect(signed).not.toContain('watermark">');
    expect(signed).toContain('审核人：李监督　审核日期：2026年11月3日');
    expect(signed).toContain('公开日期：2026年11月5日；公示期：2026年11月5日至2026年12月5日');
    expect(signed).not.toContain('期末余额尚未填写');
  });
});
