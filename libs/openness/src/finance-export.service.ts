import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { DivisionsService } from '#divisions';
import { PersonNames } from '#identity';
import type { Actor } from '#platform';
import { financeBoardPage } from './finance-board.js';
import { type DisclosureRow, DisclosuresRepository, type EntryRow } from './disclosures.repository.js';
import { DisclosuresService } from './disclosures.service.js';
import {
  dateCell,
  ENTRIES_SHEET,
  FINANCE_COLUMNS,
  fenToYuanPlain,
  SUMMARY_SHEET,
  TEMPLATE_EXAMPLE,
  TEMPLATE_NOTE,
} from './finance-sheet.js';
import { CATEGORY_DIRECTION, DISCLOSURE_STATE_NAMES, FINANCE_CATEGORIES, FINANCE_CATEGORY_NAMES } from './names.js';
import { OpennessErrors } from './openness.errors.js';
import { periodLabel } from './periods.js';

/** 元 with two decimals and thousands separators, as the cell shows a number. */
const YUAN_FORMAT = '#,##0.00';

/** A yuan cell: a number whose shortest decimal form is the exact amount (15 significant digits at most, as the table allows). */
const yuanCell = (fen: bigint | string): number => Number(fenToYuanPlain(fen));

/** The entries sheet with its header row: bold, frozen, columns sized, dates and amounts formatted. */
function entriesSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(ENTRIES_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = FINANCE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.getColumn('date').numFmt = 'yyyy-mm-dd';
  ws.getColumn('income').numFmt = YUAN_FORMAT;
  ws.getColumn('expense').numFmt = YUAN_FORMAT;
  return ws;
}

const entryRow = (e: EntryRow) => ({
  date: dateCell(e.entryDate),
  voucherNo: e.voucherNo,
  item: e.item,
  counterpart: e.counterpart ?? '',
  category: FINANCE_CATEGORY_NAMES[e.category],
  income: e.direction === 'income' ? yuanCell(e.amountFen) : null,
  expense: e.direction === 'expense' ? yuanCell(e.amountFen) : null,
});

/**
 * The finance disclosure out: the accountant's template, the disclosure's entries back to .xlsx (the
 * template's columns, so the file imports again unchanged, and a summary sheet), and the A4 page for the
 * 村务公开栏. Reading follows the disclosure's own rule (canReadDisclosure).
 */
@Injectable()
export class FinanceExportService {
  constructor(
    private readonly db: DataSource,
    private readonly disclosures: DisclosuresService,
    private readonly repo: DisclosuresRepository,
    private readonly divisions: DivisionsService,
    private readonly names: PersonNames,
  ) {}

  /** The template: the header row, a filled example and a note on how to fill it (both skipped on import). */
  async template(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.creator = '三共';
    const ws = entriesSheet(wb);
    ws.addRow({ ...TEMPLATE_EXAMPLE, date: dateCell(TEMPLATE_EXAMPLE.date), income: Number(TEMPLATE_EXAMPLE.income), expense: null });
    const note = ws.addRow([TEMPLATE_NOTE]);
    ws.mergeCells(note.number, 1, note.number, FINANCE_COLUMNS.length);
    note.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    note.getCell(1).font = { color: { argb: 'FF7F7F7F' } };
    note.height = 90;
    // The category column offers the chart's names (typing one is still checked on import).
    const list = `"${FINANCE_CATEGORIES.map((c) => FINANCE_CATEGORY_NAMES[c]).join(',')}"`;
    for (let r = 2; r <= 1000; r++) {
      if (r === note.number) continue;
      ws.getCell(r, 5).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: true,
        errorTitle: '收支类别',
        error: '请从列表中选择收支类别',
      };
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** The disclosure's entries as .xlsx, with a summary sheet; and the name to save it under. */
  async workbook(actor: Actor, id: string): Promise<{ fileName: string; asciiName: string; content: Buffer }> {
    const d = await this.financeDisclosure(actor, id, '导出收支明细');
    const [entries, villages] = await Promise.all([this.repo.entries(this.db, id), this.divisions.namesOf([d.villageCode])]);
    const villageName = villages.get(d.villageCode) ?? d.villageCode;
    const label = periodLabel(d.periodKind, d.periodStart);

    const wb = new ExcelJS.Workbook();
    wb.creator = '三共';
    const ws = entriesSheet(wb);
    for (const e of entries) ws.addRow(entryRow(e));

    const sum = wb.addWorksheet(SUMMARY_SHEET);
    sum.columns = [{ width: 22 }, { width: 18 }, { width: 10 }];
    const title = sum.addRow([`${villageName}${label}财务收支公开汇总`]);
    title.font = { bold: true, size: 14 };
    sum.mergeCells(title.number, 1, title.number, 3);
    sum.addRow(['公开事项', d.title]);
    sum.addRow(['公开期间', `${d.periodStart} 至 ${d.periodEnd}`]);
    sum.addRow(['状态', DISCLOSURE_STATE_NAMES[d.state]]);
    sum.addRow([]);
    sum.addRow(['项目', '金额（元）', '笔数']).font = { bold: true };
    const opening = BigInt(d.openingBalanceFen ?? '0');
    const amountRow = (label: string, fen: bigint, count: number | null, bold = false) => {
      const r = sum.addRow([label, yuanCell(fen), count]);
      r.getCell(2).numFmt = YUAN_FORMAT;
      if (bold) r.font = { bold: true };
    };
    amountRow('期初余额', opening, null, true);
    const totals = { income: 0n, expense: 0n };
    for (const direction of ['income', 'expense'] as const) {
      const mine = entries.filter((e) => e.direction === direction);
      const total = mine.reduce((s, e) => s + BigInt(e.amountFen), 0n);
      totals[direction] = total;
      amountRow(direction === 'income' ? '本期收入合计' : '本期支出合计', total, mine.length, true);
      for (const category of FINANCE_CATEGORIES.filter((c) => CATEGORY_DIRECTION[c] === direction)) {
        const inCategory = mine.filter((e) => e.category === category);
        amountRow(
          `　${FINANCE_CATEGORY_NAMES[category]}`,
          inCategory.reduce((s, e) => s + BigInt(e.amountFen), 0n),
          inCategory.length,
        );
      }
    }
    const expected = opening + totals.income - totals.expense;
    const closing = d.closingBalanceFen === null ? expected : BigInt(d.closingBalanceFen);
    amountRow('期末余额', closing, null, true);
    if (d.closingBalanceFen === null) sum.addRow(['（期末余额尚未填写，按期初余额加本期收入减本期支出计算）']);
    else if (closing !== expected) sum.addRow([`（填写的期末余额与期初余额加收入减支出 ${fenToYuanPlain(expected)} 元不符，待核对）`]);

    return {
      fileName: `${villageName}${label}财务公开.xlsx`,
      asciiName: `finance-${d.periodStart}.xlsx`,
      content: Buffer.from(await wb.xlsx.writeBuffer()),
    };
  }

  /** The A4 page for the 村务公开栏. */
  async board(actor: Actor, id: string): Promise<string> {
    const d = await this.financeDisclosure(actor, id, '打印财务公开栏');
    const signedOff = (d.state === 'signed_off' || d.state === 'published') && d.reviewedAt !== null && d.reviewedBy !== null;
    const [entries, villages, reviewers] = await Promise.all([
      this.repo.entries(this.db, id),
      this.divisions.namesOf([d.villageCode]),
      this.names.ofAccounts(this.db, signedOff && d.reviewedBy ? [d.reviewedBy] : []),
    ]);
    return financeBoardPage({
      villageName: villages.get(d.villageCode) ?? d.villageCode,
      subject: d.subject,
      title: d.title,
      periodLabel: periodLabel(d.periodKind, d.periodStart),
      periodStart: d.periodStart,
      periodEnd: d.periodEnd,
      openingBalanceFen: d.openingBalanceFen ?? '0',
      closingBalanceFen: d.closingBalanceFen,
      entries,
      signOff:
        signedOff && d.reviewedAt
          ? { reviewerName: reviewers.get(d.reviewedBy ?? '') ?? '村务监督委员会', reviewedAt: d.reviewedAt }
          : null,
      publishedAt: d.publishedAt,
      publicityUntil: d.publicityUntil,
      publicityDays: d.publicityDays,
      isDemo: d.isDemo,
    });
  }

  /** The disclosure if the actor may read it (else not found), and only a finance one. */
  private async financeDisclosure(actor: Actor, id: string, what: string): Promise<DisclosureRow> {
    const d = await this.disclosures.load(this.db.manager, actor, id);
    if (d.kind !== 'finance') throw OpennessErrors.notFinance(what);
    return d;
  }
}
