import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { Direction, FinanceCategory } from './names.js';

export interface NewFinanceEntry {
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart: string | null;
  category: FinanceCategory;
  direction: Direction;
  amountFen: bigint;
}

/** The import's one write: a disclosure's entries replaced whole, in bulk (reads are DisclosuresRepository's). */
@Injectable()
export class FinanceIoRepository {
  /**
   * Replaces every entry of the disclosure with `list` (lines 1..n in its order, one INSERT … SELECT FROM
   * unnest) and sets the disclosure's income and expenditure to the sums of what is now stored. Call
   * inside a transaction holding the disclosure's row.
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
