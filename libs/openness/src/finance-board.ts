/**
 * The finance disclosure as a self-contained A4 page for the 村务公开栏 (财务公开, issue 15): the period,
 * the opening balance, income and expenditure by category with their entries, the totals, the closing
 * balance, the 村务监督委员会's sign-off (or a watermark saying it has none), when it was published and for
 * how long it stays up. Pure: it imports only names and periods; its stylesheet is allowed by hash in the
 * UI's Content-Security-Policy (bootstrap.ts), so the page uses classes, never style attributes.
 */
import {
  CATEGORY_DIRECTION,
  type Direction,
  FINANCE_CATEGORIES,
  FINANCE_CATEGORY_NAMES,
  type FinanceCategory,
  type Subject,
} from './names.js';
import { shanghaiDay, yuan } from './periods.js';

export const FINANCE_BOARD_STYLE = `
  @page { size: A4; margin: 20mm 15mm; }
  body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.6; color: #000; max-width: 180mm; margin: 0 auto; }
  h1 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 20pt; text-align: center; margin: 0 0 3mm; }
  h2 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 13pt; margin: 6mm 0 2mm; }
  .kind, .meta { text-align: center; }
  .meta { margin-bottom: 4mm; font-size: 11pt; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #000; padding: 1mm 2mm; font-size: 10.5pt; text-align: left; vertical-align: top; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  table.summary th, table.summary td { text-align: center; font-size: 12pt; }
  .amt { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .day { white-space: nowrap; }
  tr.cat td { font-weight: bold; background: #eee; }
  tr.total td { font-weight: bold; }
  .balance { margin-top: 5mm; font-size: 13pt; }
  .warn { font-size: 11pt; }
  .review { margin-top: 8mm; border: 1px solid #000; padding: 3mm 4mm; }
  .review.unsigned { border-style: dashed; }
  .sign { text-align: right; margin-top: 10mm; }
  .period { font-size: 10.5pt; margin-top: 8mm; border-top: 1px solid #000; padding-top: 2mm; }
  .watermark { position: fixed; top: 38%; left: 0; right: 0; text-align: center; font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 54pt; color: rgba(192, 0, 0, 0.2); transform: rotate(-30deg); pointer-events: none; z-index: 1; }
  @media print { .watermark { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
`;

export interface BoardEntry {
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart: string | null;
  category: FinanceCategory;
  amountFen: string;
}

export interface FinanceBoard {
  villageName: string;
  subject: Subject;
  title: string;
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  openingBalanceFen: string;
  /** As entered; null until the committee enters it (then the computed one is shown, so marked). */
  closingBalanceFen: string | null;
  entries: readonly BoardEntry[];
  /** The supervision committee's sign-off: null when the disclosure has not been signed off. */
  signOff: { reviewerName: string; reviewedAt: Date } | null;
  publishedAt: Date | null;
  publicityUntil: Date | null;
  publicityDays: number;
  isDemo: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** YYYY年M月D日 of a day (YYYY-MM-DD). */
function chineseDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * Who publishes: the 村民委员会 (村民委员会组织法 Art. 30), or the collective economic organization (农村集体
 * 经济组织法 Art. 45). The register's names end in 村委会 / 居委会, whose full form is 村民委员会 / 居民委员会.
 */
export function publisherName(villageName: string, subject: Subject): string {
  const m = /(村|居)(民)?委员?会$/.exec(villageName);
  const place = m ? villageName.slice(0, m.index) : villageName;
  if (subject === 'collective') return `${m && m[1] === '村' ? `${place}村` : place}集体经济组织`;
  return `${place}${m?.[1] === '居' ? '居民委员会' : '村民委员会'}`;
}

function section(direction: Direction, heading: string, entries: readonly BoardEntry[]): { html: string; totalFen: bigint } {
  const word = direction === 'income' ? '收入' : '支出';
  const rows: string[] = [];
  let totalFen = 0n;
  for (const category of FINANCE_CATEGORIES) {
    if (CATEGORY_DIRECTION[category] !== direction) continue;
    const mine = entries.filter((e) => e.category === category);
    if (!mine.length) continue;
    const sum = mine.reduce((s, e) => s + BigInt(e.amountFen), 0n);
    totalFen += sum;
    rows.push(
      `<tr class="cat"><td colspan="4">${FINANCE_CATEGORY_NAMES[category]}（${mine.length} 笔）</td><td class="amt">${yuan(sum)}</td></tr>`,
    );
    for (const e of mine) {
      const [, m, d] = e.entryDate.split('-').map(Number);
      rows.push(
        `<tr><td class="day">${m}月${d}日</td><td>${esc(e.voucherNo)}</td><td>${esc(e.item)}</td><td>${esc(e.counterpart ?? '')}</td><td class="amt">${yuan(e.amountFen)}</td></tr>`,
      );
    }
  }
  if (!rows.length) rows.push(`<tr><td colspan="5">本期无${word}</td></tr>`);
  const html = `<h2>${heading}</h2>
<table class="entries">
<thead><tr><th>日期</th><th>凭证号</th><th>摘要</th><th>对方单位或个人</th><th class="amt">金额（元）</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
<tfoot><tr class="total"><td colspan="4">${word}合计</td><td class="amt">${yuan(totalFen)}</td></tr></tfoot>
</table>`;
  return { html, totalFen };
}

export function financeBoardPage(b: FinanceBoard): string {
  const publisher = publisherName(b.villageName, b.subject);
  const income = section('income', '一、本期收入', b.entries);
  const expense = section('expense', '二、本期支出', b.entries);
  const expected = BigInt(b.openingBalanceFen) + income.totalFen - expense.totalFen;
  const closing = b.closingBalanceFen === null ? expected : BigInt(b.closingBalanceFen);
  const closingNote =
    b.closingBalanceFen === null
      ? `<div class="warn">（期末余额尚未填写，以上按期初余额加本期收入减本期支出计算）</div>`
      : closing !== expected
        ? `<div class="warn">（填写的期末余额与期初余额加本期收入减本期支出（${yuan(expected)} 元）不符，待核对）</div>`
        : '';
  const review = b.signOff
    ? `<div class="review">村务监督委员会审核意见：经审核，同意公开。<br>审核人：${esc(b.signOff.reviewerName)}　审核日期：${chineseDay(shanghaiDay(b.signOff.reviewedAt))}</div>`
    : `<div class="review unsigned">本页尚未经村务监督委员会审核，不得张贴公开。</div>`;
  const published = b.publishedAt ? chineseDay(shanghaiDay(b.publishedAt)) : null;
  const period =
    b.publishedAt && b.publicityUntil
      ? `公开日期：${published}；公示期：${published}至${chineseDay(shanghaiDay(new Date(b.publicityUntil.getTime() - 1)))}。如有疑问，可在公示期内向村务监督委员会反映，或在"三共"平台提出质询。`
      : `尚未公开；公开之日起公示 ${b.publicityDays} 日。`;
  const title = `${publisher}财务收支公开`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${esc(`${title}（${b.periodLabel}）`)}</title>
<style>${FINANCE_BOARD_STYLE}</style>
</head>
<body>
${b.signOff ? '' : '<div class="watermark">未经监委会审核</div>\n'}<h1>${esc(title)}</h1>
<div class="kind">${esc(b.title)}${b.isDemo ? '（演示数据）' : ''}</div>
<div class="meta">公开期间：${esc(b.periodLabel)}（${chineseDay(b.periodStart)}至${chineseDay(b.periodEnd)}）　金额单位：元</div>
<table class="summary">
<tr><th>期初余额</th><th>本期收入</th><th>本期支出</th><th>期末余额</th></tr>
<tr><td class="amt">${yuan(b.openingBalanceFen)}</td><td class="amt">${yuan(income.totalFen)}</td><td class="amt">${yuan(expense.totalFen)}</td><td class="amt">${yuan(closing)}</td></tr>
</table>
${income.html}
${expense.html}
<div class="balance">期初余额 ${yuan(b.openingBalanceFen)} 元，加本期收入 ${yuan(income.totalFen)} 元，减本期支出 ${yuan(expense.totalFen)} 元，期末余额 <strong>${yuan(closing)}</strong> 元。</div>
${closingNote}
${review}
<div class="sign">${esc(publisher)}<br>${published ?? '（尚未公开）'}</div>
<div class="period">${period}</div>
</body>
</html>
`;
}
