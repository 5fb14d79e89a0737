import { sql } from 'kysely';
import type { DataSource } from 'typeorm';
import { CATEGORY_DIRECTION, type FinanceCategory } from '#openness';
import { dbOf } from '#platform';
import { DEMO_VILLAGES } from './demo-people.seed.js';

const DAY = 86_400_000;
const INCOME: FinanceCategory[] = ['contracting_income', 'operating_income', 'subsidy_income', 'investment_income', 'other_income'];
const EXPENSE: FinanceCategory[] = ['admin_expense', 'welfare_expense', 'operating_expense', 'other_expense'];
const ITEMS: Record<FinanceCategory, string> = {
  contracting_income: '收取耕地承包费',
  operating_income: '村集体果园销售收入',
  subsidy_income: '上级拨付村级组织运转经费',
  investment_income: '平台公司分红',
  other_income: '收取闲置房屋租金',
  admin_expense: '村委会办公用品及水电费',
  welfare_expense: '村内道路维修',
  operating_expense: '果园农资采购',
  other_expense: '村民误工补贴',
};

const iso = (t: Date) => t.toISOString().slice(0, 10);
const lastDay = (y: number, m: number) => iso(new Date(Date.UTC(y, m, 0)));
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Demo 村务公开 for the three demo villages over 2026 (disclosure.is_demo), deterministic and idempotent:
 * - the first village publishes its finances monthly (the township's setting) and every quarter's
 *   general matters: all published up to October;
 * - the second publishes quarterly but has not published the third quarter's general matters (overdue
 *   since 10 October) and has its third-quarter finances waiting for the supervision committee;
 * - the third publishes quarterly, and a resident's query of its third-quarter finances is open.
 */
export async function seedDemoOpenness(db: DataSource): Promise<number> {
  return db.transaction(async (em) => {
    const q = dbOf(em);
    if (await q.selectFrom('disclosure').select('id').where('is_demo', '=', true).limit(1).executeTakeFirst()) return 0;
    let made = 0;
    const staffOf = async (village: string, role: 'village_committee' | 'supervision_committee') => {
      const r = await q
        .selectFrom('role_grant as g')
        .innerJoin('account as a', 'a.person_id', 'g.person_id')
        .select('a.id')
        .where('g.division_code', '=', village)
        .where('g.role', '=', role)
        .where('g.revoked_at', 'is', null)
        .orderBy('a.id')
        .limit(1)
        .executeTakeFirst();
      return r?.id;
    };
    for (const [k, village] of DEMO_VILLAGES.entries()) {
      const committee = await staffOf(village, 'village_committee');
      const supervisor = await staffOf(village, 'supervision_committee');
      if (!committee || !supervisor) continue;
      const monthly = k === 0;
      if (monthly) {
        await q
          .insertInto('openness_village_setting')
          .values({ village_code: village, finance_monthly: true, set_by: committee, set_at: new Date('2026-01-05T02:00:00Z') })
          .onConflict((oc) => oc.column('village_code').doNothing())
          .execute();
      }
      const publish = async (d: {
        kind: 'finance' | 'decisions' | 'relief' | 'government_work' | 'other';
        title: string;
        body: string;
        periodKind: 'month' | 'quarter';
        start: string;
        end: string;
        state: 'published' | 'submitted';
        opening?: bigint;
        entries?: { date: string; category: FinanceCategory; amount: bigint }[];
      }): Promise<{ id: string; closing: bigint }> => {
        const endAt = new Date(`${d.end}T02:00:00Z`);
        const published = d.state === 'published' ? new Date(endAt.getTime() + 5 * DAY) : null;
        const income = (d.entries ?? []).filter((e) => CATEGORY_DIRECTION[e.category] === 'income').reduce((s, e) => s + e.amount, 0n);
        const expense = (d.entries ?? []).filter((e) => CATEGORY_DIRECTION[e.category] === 'expense').reduce((s, e) => s + e.amount, 0n);
        const finance = d.kind === 'finance';
        const closing = (d.opening ?? 0n) + income - expense;
        const row = await q
          .insertInto('disclosure')
          .values({
            village_code: village,
            subject: 'village',
            kind: d.kind,
            series: finance ? 'finance' : 'general',
            title: d.title,
            body: d.body,
            period_kind: d.periodKind,
            period_start: d.start,
            period_end: d.end,
            state: d.state,
            opening_balance_fen: finance ? (d.opening ?? 0n).toString() : null,
            income_fen: finance ? income.toString() : null,
            expense_fen: finance ? expense.toString() : null,
            closing_balance_fen: finance ? closing.toString() : null,
            created_by: committee,
            created_at: new Date(endAt.getTime() + DAY),
            updated_at: new Date(endAt.getTime() + 3 * DAY),
            submitted_at: new Date(endAt.getTime() + 2 * DAY),
            reviewed_by: published ? supervisor : null,
            reviewed_at: published ? new Date(endAt.getTime() + 4 * DAY) : null,
            published_by: published ? committee : null,
            published_at: published,
            publicity_until: published ? new Date(published.getTime() + 30 * DAY) : null,
            is_demo: true,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const [n, e] of (d.entries ?? []).entries()) {
          await q
            .insertInto('finance_entry')
            .values({
              disclosure_id: row.id,
              line_no: n + 1,
              entry_date: e.date,
              voucher_no: `记-${d.start.slice(5, 7)}${pad(n + 1)}`,
              item: ITEMS[e.category],
              counterpart: CATEGORY_DIRECTION[e.category] === 'income' ? '本村承包户' : '长子县某商行',
              category: e.category,
              direction: CATEGORY_DIRECTION[e.category],
              amount_fen: e.amount.toString(),
            })
            .execute();
        }
        made++;
        return { id: row.id, closing };
      };

      // Finance: monthly (first village) from January to October, else quarterly for Q1–Q3.
      let balance = BigInt(200_000_00 + k * 35_000_00);
      const periods = monthly
        ? Array.from({ length: 10 }, (_, m) => ({
            kind: 'month' as const,
            start: `2026-${pad(m + 1)}-01`,
            end: lastDay(2026, m + 1),
            label: `2026年${m + 1}月`,
          }))
        : [1, 2, 3].map((qn) => ({
            kind: 'quarter' as const,
            start: `2026-${pad(qn * 3 - 2)}-01`,
            end: lastDay(2026, qn * 3),
            label: `2026年第${qn}季度`,
          }));
      let queried: string | null = null;
      for (const [n, p] of periods.entries()) {
        const entries = Array.from({ length: 6 + ((n + k) % 5) }, (_, i) => {
          const income = i % 2 === 0;
          const list = income ? INCOME : EXPENSE;
          const day = Math.min(28, 3 + i * 4);
          return {
            date: `${p.start.slice(0, 8)}${pad(day)}`,
            category: list[(i + n + k) % list.length],
            amount: BigInt(((i + 1) * 1_237 + n * 311 + k * 97) * (income ? 100 : 60)),
          };
        });
        const waiting = k === 1 && p.start === '2026-07-01';
        const d = await publish({
          kind: 'finance',
          title: `${p.label}财务收支公开`,
          body: '本期收支明细、期初期末余额如下，原始凭证存村委会备查。',
          periodKind: p.kind,
          start: p.start,
          end: p.end,
          state: waiting ? 'submitted' : 'published',
          opening: balance,
          entries,
        });
        balance = d.closing;
        if (k === 2 && p.start === '2026-07-01') queried = d.id;
      }
      // General matters quarterly; the second village has not published the third quarter's.
      for (const qn of [1, 2, 3]) {
        if (k === 1 && qn === 3) continue;
        await publish({
          kind: qn === 2 ? 'relief' : 'decisions',
          title: qn === 2 ? `2026年第${qn}季度救灾救助、补贴补助资金使用情况` : `2026年第${qn}季度村民代表会议决定事项及实施情况`,
          body:
            qn === 2
              ? '本季度发放临时救助金 3 户共 4,500 元，耕地地力保护补贴已全部打卡发放到户。'
              : '本季度村民代表会议决定硬化村东主路 1.2 公里，工程已完工并通过验收。',
          periodKind: 'quarter',
          start: `2026-${pad(qn * 3 - 2)}-01`,
          end: lastDay(2026, qn * 3),
          state: 'published',
        });
      }
      if (queried) {
        const asker = await q
          .selectFrom('role_grant as g')
          .innerJoin('account as a', 'a.person_id', 'g.person_id')
          .select('g.person_id')
          .where('g.division_code', '=', village)
          .where('g.role', '=', 'resident')
          .where('g.revoked_at', 'is', null)
          .orderBy('g.person_id')
          .limit(1)
          .executeTakeFirst();
        if (asker) {
          await sql`
            INSERT INTO disclosure_query (disclosure_id, village_code, asker_person_id, question, asked_at, answer_due_at)
            VALUES (${queried}, ${village}, ${asker.person_id}, '村内道路维修这笔支出是哪一段路？有没有验收单？',
                    now() - interval '3 days', now() + interval '7 days')`.execute(q);
        }
      }
    }
    return made;
  });
}
