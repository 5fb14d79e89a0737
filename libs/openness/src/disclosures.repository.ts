import { Injectable } from '@nestjs/common';
import { type RawBuilder, sql, type SqlBool } from 'kysely';
import { allOf, type Conn, containing, dbOf, startingWith } from '#platform';
import type { Direction, DisclosureKind, DisclosureState, FinanceCategory, PeriodKind, ScheduleSeries, Subject } from './names.js';

/** A disclosure row as the services read it (days as YYYY-MM-DD, money as fen strings). */
export interface DisclosureRow {
  id: string;
  villageCode: string;
  subject: Subject;
  kind: DisclosureKind;
  series: ScheduleSeries | null;
  title: string;
  body: string;
  periodKind: PeriodKind;
  periodStart: string;
  periodEnd: string;
  state: DisclosureState;
  openingBalanceFen: string | null;
  incomeFen: string | null;
  expenseFen: string | null;
  closingBalanceFen: string | null;
  proposalId: string | null;
  publicityDays: number;
  submittedAt: Date | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  returnReason: string | null;
  publishedAt: Date | null;
  publicityUntil: Date | null;
  isDemo: boolean;
  openQueries: number;
}

export interface NewDisclosure {
  villageCode: string;
  subject: Subject;
  kind: DisclosureKind;
  series: ScheduleSeries | null;
  title: string;
  body: string;
  periodKind: PeriodKind;
  periodStart: string;
  periodEnd: string;
  openingBalanceFen: string | null;
  publicityDays: number;
  createdBy: string;
  at: Date;
}

export interface EntryRow {
  id: string;
  lineNo: number;
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart: string | null;
  category: FinanceCategory;
  direction: Direction;
  amountFen: string;
}

export interface ListFilter {
  /** canReadDisclosure's SQL form over alias `d` (the service builds it from the caller's scopes). */
  visible: RawBuilder<SqlBool>;
  divisionPrefix?: string;
  kind?: DisclosureKind;
  state?: DisclosureState;
  year?: number;
  q?: string;
}

const db = dbOf;

/** The list's WHERE over alias `d`: visibility, then the filters given. */
function filterSql(f: ListFilter): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [f.visible];
  if (f.divisionPrefix) parts.push(sql<SqlBool>`d.village_code LIKE ${startingWith(f.divisionPrefix)}`);
  if (f.kind) parts.push(sql<SqlBool>`d.kind = ${f.kind}`);
  if (f.state) parts.push(sql<SqlBool>`d.state = ${f.state}`);
  if (f.year) parts.push(sql<SqlBool>`d.period_start >= make_date(${f.year}, 1, 1) AND d.period_start < make_date(${f.year + 1}, 1, 1)`);
  if (f.q) parts.push(sql<SqlBool>`d.title LIKE ${containing(f.q)}`);
  return allOf(parts);
}

/** The disclosure tables' SQL: disclosures, their finance entries and attachments. */
@Injectable()
export class DisclosuresRepository {
  private rows(conn: Conn) {
    return db(conn)
      .selectFrom('disclosure as d')
      .select([
        'd.id',
        'd.village_code as villageCode',
        'd.subject',
        'd.kind',
        'd.series',
        'd.title',
        'd.body',
        'd.period_kind as periodKind',
        sql<string>`d.period_start::text`.as('periodStart'),
        sql<string>`d.period_end::text`.as('periodEnd'),
        'd.state',
        'd.opening_balance_fen as openingBalanceFen',
        'd.income_fen as incomeFen',
        'd.expense_fen as expenseFen',
        'd.closing_balance_fen as closingBalanceFen',
        'd.proposal_id as proposalId',
        'd.publicity_days as publicityDays',
        'd.submitted_at as submittedAt',
        'd.reviewed_by as reviewedBy',
        'd.reviewed_at as reviewedAt',
        'd.return_reason as returnReason',
        'd.published_at as publishedAt',
        'd.publicity_until as publicityUntil',
        'd.is_demo as isDemo',
        sql<number>`(SELECT count(*)::int FROM disclosure_query q WHERE q.disclosure_id = d.id AND q.state = 'open')`.as('openQueries'),
      ]);
  }

  find(conn: Conn, id: string, lock = false): Promise<DisclosureRow | undefined> {
    return this.rows(conn)
      .where('d.id', '=', id)
      .$if(lock, (q) => q.forUpdate('d'))
      .executeTakeFirst();
  }

  /** Inserts a disclosure; null when a finance disclosure of the same village, series and period exists. */
  async insert(conn: Conn, d: NewDisclosure): Promise<string | null> {
    const finance = d.kind === 'finance';
    const { rows } = await sql<{ id: string }>`
      INSERT INTO disclosure (village_code, subject, kind, series, title, body, period_kind, period_start, period_end,
                              opening_balance_fen, income_fen, expense_fen, publicity_days, created_by, created_at, updated_at)
      VALUES (${d.villageCode}, ${d.subject}, ${d.kind}, ${d.series}, ${d.title}, ${d.body}, ${d.periodKind}, ${d.periodStart}::date,
              ${d.periodEnd}::date, ${d.openingBalanceFen}::bigint, ${finance ? '0' : null}::bigint, ${finance ? '0' : null}::bigint,
              ${d.publicityDays}, ${d.createdBy}, ${d.at}, ${d.at})
      ON CONFLICT DO NOTHING
      RETURNING id`.execute(db(conn));
    return rows[0]?.id ?? null;
  }

  async count(conn: Conn, f: ListFilter): Promise<number> {
    const r = await db(conn)
      .selectFrom('disclosure as d')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(filterSql(f))
      .executeTakeFirstOrThrow();
    return r.n;
  }

  list(conn: Conn, f: ListFilter, limit: number, offset: number): Promise<DisclosureRow[]> {
    return this.rows(conn)
      .where(filterSql(f))
      .orderBy('d.period_start', 'desc')
      .orderBy('d.created_at', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async edit(
    conn: Conn,
    id: string,
    e: { title?: string; body?: string; openingBalanceFen?: string; closingBalanceFen?: string; publicityDays?: number },
    at: Date,
  ): Promise<void> {
    await db(conn)
      .updateTable('disclosure')
      .set({
        ...(e.title !== undefined ? { title: e.title } : {}),
        ...(e.body !== undefined ? { body: e.body } : {}),
        ...(e.openingBalanceFen !== undefined ? { opening_balance_fen: e.openingBalanceFen } : {}),
        ...(e.closingBalanceFen !== undefined ? { closing_balance_fen: e.closingBalanceFen } : {}),
        ...(e.publicityDays !== undefined ? { publicity_days: e.publicityDays } : {}),
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Moves a disclosure from one of `from` to `to` with the step's columns, in one conditional statement:
   * false when it was not in one of `from` (a concurrent step won).
   */
  async step(
    conn: Conn,
    id: string,
    from: readonly DisclosureState[],
    to: DisclosureState,
    s: { at: Date; by: string; reason?: string; publicityUntil?: Date },
  ): Promise<boolean> {
    const set =
      to === 'submitted'
        ? { state: to, submitted_at: s.at, return_reason: null, reviewed_by: null, reviewed_at: null }
        : to === 'returned'
          ? { state: to, return_reason: s.reason ?? null, reviewed_by: s.by, reviewed_at: s.at }
          : to === 'signed_off'
            ? { state: to, reviewed_by: s.by, reviewed_at: s.at }
            : { state: to, published_by: s.by, published_at: s.at, publicity_until: s.publicityUntil ?? null };
    const r = await db(conn)
      .updateTable('disclosure')
      .set({ ...set, updated_at: s.at })
      .where('id', '=', id)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  entries(conn: Conn, disclosureId: string): Promise<EntryRow[]> {
    return db(conn)
      .selectFrom('finance_entry')
      .select([
        'id',
        'line_no as lineNo',
        sql<string>`entry_date::text`.as('entryDate'),
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

  /** Appends an entry (the next line number) and returns its id. */
  async addEntry(conn: Conn, disclosureId: string, e: Omit<EntryRow, 'id' | 'lineNo'>): Promise<{ id: string; lineNo: number }> {
    const { rows } = await sql<{ id: string; line_no: number }>`
      INSERT INTO finance_entry (disclosure_id, line_no, entry_date, voucher_no, item, counterpart, category, direction, amount_fen)
      SELECT ${disclosureId}, coalesce(max(line_no), 0) + 1, ${e.entryDate}::date, ${e.voucherNo}, ${e.item}, ${e.counterpart},
             ${e.category}, ${e.direction}, ${e.amountFen}::bigint
        FROM finance_entry WHERE disclosure_id = ${disclosureId}
      RETURNING id, line_no`.execute(db(conn));
    return { id: rows[0].id, lineNo: rows[0].line_no };
  }

  async deleteEntry(conn: Conn, disclosureId: string, entryId: string): Promise<boolean> {
    const r = await db(conn)
      .deleteFrom('finance_entry')
      .where('id', '=', entryId)
      .where('disclosure_id', '=', disclosureId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** Recomputes a finance disclosure's income and expenditure from its entries. */
  async resum(conn: Conn, disclosureId: string, at: Date): Promise<void> {
    await sql`
      UPDATE disclosure d SET
        income_fen = coalesce((SELECT sum(amount_fen) FROM finance_entry WHERE disclosure_id = d.id AND direction = 'income'), 0),
        expense_fen = coalesce((SELECT sum(amount_fen) FROM finance_entry WHERE disclosure_id = d.id AND direction = 'expense'), 0),
        updated_at = ${at}
       WHERE d.id = ${disclosureId}`.execute(db(conn));
  }

  byCategory(
    conn: Conn,
    disclosureId: string,
  ): Promise<{ category: FinanceCategory; direction: Direction; amountFen: string; entries: number }[]> {
    return db(conn)
      .selectFrom('finance_entry')
      .select(['category', 'direction', sql<string>`sum(amount_fen)::text`.as('amountFen'), sql<number>`count(*)::int`.as('entries')])
      .where('disclosure_id', '=', disclosureId)
      .groupBy(['category', 'direction'])
      .orderBy('direction', 'desc')
      .orderBy('category')
      .execute();
  }

  attachments(conn: Conn, disclosureId: string) {
    return db(conn)
      .selectFrom('disclosure_attachment')
      .select(['id', 'purpose', 'name', 'content_type as contentType', 'size_bytes as sizeBytes'])
      .where('disclosure_id', '=', disclosureId)
      .orderBy('created_at')
      .execute();
  }

  async addAttachment(
    conn: Conn,
    a: {
      disclosureId: string;
      purpose: 'voucher' | 'board' | 'report' | 'other';
      name: string;
      content: Buffer;
      contentType: string;
      by: string;
      at: Date;
    },
  ): Promise<string> {
    const r = await db(conn)
      .insertInto('disclosure_attachment')
      .values({
        disclosure_id: a.disclosureId,
        purpose: a.purpose,
        name: a.name,
        content: a.content,
        content_type: a.contentType,
        size_bytes: a.content.length,
        created_by: a.by,
        created_at: a.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  attachment(conn: Conn, disclosureId: string, id: string) {
    return db(conn)
      .selectFrom('disclosure_attachment')
      .select(['name', 'content', 'content_type as contentType'])
      .where('disclosure_id', '=', disclosureId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async villageExists(conn: Conn, code: string): Promise<boolean> {
    const r = await db(conn)
      .selectFrom('division')
      .select('code')
      .where('code', '=', code)
      .where('level', '=', 'village')
      .executeTakeFirst();
    return !!r;
  }
}
