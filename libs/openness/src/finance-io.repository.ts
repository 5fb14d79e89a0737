import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { Direction, DisclosureKind, DisclosureState, FinanceCategory, PeriodKind, Subject } from './names.js';

/** What the import, the export and the printed board need of a disclosure (amounts in fen, as decimal strings). */
export interface FinanceDisclosureRow {
  id: string;
  villageCode: string;
  subject: Subject;
  kind: DisclosureKind;
  state: DisclosureState;
  title: string;
  periodKind: PeriodKind;
  periodStart: string;
  periodEnd: string;
  openingBalanceFen: string | null;
  incomeFen: string | null;
  expenseFen: string | null;
  closingBalanceFen: string | null;
  publicityDays: number;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  publishedAt: Date | null;
  publicityUntil: Date | null;
  isDemo: boolean;
}

export interface FinanceEntryRow {
  lineNo: number;
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart: string | null;
  category: FinanceCategory;
  direction: Direction;
  amountFen: string;
}

export interface NewFinanceEntry {
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart: string | null;
  category: FinanceCategory;
  direction: Direction;
  amountFen: bigint;
}

/** The finance entries of a disclosure, read and replaced whole (the import, the export, the printed board). */
@Injectable()
export class FinanceIoRepository {
  /** The disclosure; `lock` holds its row until the transaction ends (the import against a concurrent submit). */
  disclosure(conn: Conn, id: string, opts: { lock?: boolean } = {}): Promise<FinanceDisclosureRow | undefined> {
    let q = dbOf(conn)
      .selectFrom('disclosure')
      .select([
        'id',
        'village_code as villageCode',
        'subject',
        'kind',
        'state',
        'title',
        'period_kind as periodKind',
        sql<string>`to_char(period_start, 'YYYY-MM-DD')`.as('periodStart'),
        sql<string>`to_char(period_end, 'YYYY-MM-DD')`.as('periodEnd'),
        'opening_balance_fen as openingBalanceFen',
        'income_fen as incomeFen',
        'expense_fen as expenseFen',
        'closing_balance_fen as closingBalanceFen',
        'publicity_days as publicityDays',
        'reviewed_by as reviewedBy',
        'reviewed_at as reviewedAt',
        'published_at as publishedAt',
        'publicity_until as publicityUntil',
        'is_demo as isDemo',
      ])
      .where('id', '=', id);
    if (opts.lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** The entries in their line order (the sheet's order when imported). */
  entries(conn: Conn, disclosureId: string): Promise<FinanceEntryRow[]> {
    return dbOf(conn)
      .selectFrom('finance_entry')
      .select([
        'line_no as lineNo',
        sql<string>`to_char(entry_date, 'YYYY-MM-DD')`.as('entryDate'),
        'voucher_no as voucherNo',
        'item',
        'counterpart',
        'category',
        'direction',
        'amount_fen as amountFen',
      ])
      .where('disclosure_id', '=', disclosureId)
      .orderBy('line_no')
      .execute();
  }

  /**
   * Replaces every entry of the disclosure with `list` (lines 1..n in its order) and sets the disclosure's
   * income and expenditure to the sums of what is now stored. Call inside a transaction holding the row.
   */
  async replaceEntries(
    conn: Conn,
    disclosureId: string,
    list: readonly NewFinanceEntry[],
    at: Date,
  ): Promise<{ removed: number; incomeFen: string; expenseFen: string }> {
    const db = dbOf(conn);
    const removed = await db.deleteFrom('finance_entry').where('disclosure_id', '=', disclosureId).executeTakeFirst();
    if (list.length)
      await sql`INSERT INTO finance_entry (disclosure_id, line_no, entry_date, voucher_no, item, counterpart, category, direction, amount_fen)
        SELECT ${disclosureId}, n, d, v, i, c, k, r, a
        FROM unnest(${list.map((_, i) => i + 1)}::int[], ${list.map((e) => e.entryDate)}::date[], ${list.map((e) => e.voucherNo)}::text[],
          ${list.map((e) => e.item)}::text[], ${list.map((e) => e.counterpart)}::text[], ${list.map((e) => e.category)}::text[],
          ${list.map((e) => e.direction)}::text[], ${list.map((e) => e.amountFen.toString())}::bigint[]) AS t(n, d, v, i, c, k, r, a)`.execute(
        db,
      );
    const sums = await sql<{ incomeFen: string; expenseFen: string }>`
      UPDATE disclosure SET income_fen = s.income, expense_fen = s.expense, updated_at = ${at}
      FROM (SELECT coalesce(sum(amount_fen) FILTER (WHERE direction = 'income'), 0) AS income,
                   coalesce(sum(amount_fen) FILTER (WHERE direction = 'expense'), 0) AS expense
            FROM finance_entry WHERE disclosure_id = ${disclosureId}) s
      WHERE id = ${disclosureId}
      RETURNING income_fen::text AS "incomeFen", expense_fen::text AS "expenseFen"`.execute(db);
    return { removed: Number(removed.numDeletedRows), ...sums.rows[0] };
  }
}
