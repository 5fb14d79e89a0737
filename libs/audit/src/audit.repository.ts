import { Injectable } from '@nestjs/common';
import { type Expression, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { normalizeScopes } from '#divisions';
import { anyOf, type Conn, containing, dbOf, pgPoolOf } from '#platform';
import { BinaryCopyRows, type CopyRowHandler } from './binary-copy.js';
import { CHAIN_COPY_COLUMNS, CHAIN_COPY_FIELDS } from './chain-check.js';
import { CopyOut } from './copy-out.js';
import type { AuditResult } from './audit-entry.js';
import type { ChainHead } from './views.js';

/** One audit row as written: the columns of audit_log a writer sets (the rest are the database's). */
export interface AuditRowValues {
  account_id: string | null;
  actor_roles: string | null;
  actor_division: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_division: string | null;
  result: AuditResult;
  request_id: string | null;
  client_ip: string | null;
  /** JSON text, or null. */
  details: string | null;
}

export interface AuditListFilter {
  /** The text searched for; with the action codes and target types whose Chinese names match it. */
  q?: { text: string; actions: readonly string[]; targets: readonly string[] };
  action?: string;
  accountId?: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
  from?: Date;
  to?: Date;
  /** When set: a restricted row (details.restricted) only inside these scopes (none: no restricted row). */
  restrictedWithin?: readonly string[];
}

/** A listed row before its names are looked up. */
export interface AuditListRow {
  id: string;
  seq: string | null;
  occurredAt: Date;
  accountId: string | null;
  actorName: string | null;
  actorRoles: string | null;
  actorDivision: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetDivision: string | null;
  result: AuditResult;
  requestId: string | null;
  clientIp: string | null;
  details: unknown;
}

/** Counts up to this many rows run in the page's statement; longer ones on their own, with a serial, uncompiled plan (AuditRepository.page). */
const SHORT_COUNT = 1000;

/** The audit_log table's SQL (and the chain's seal function). */
@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  private get db() {
    return dbOf(this.ds);
  }

  /**
   * Appends rows inside the caller's transaction, in one statement, in the order given (their ids, hence
   * their place in the chain, follow it). One array a column: a row of parameters each would pass
   * PostgreSQL's 65,535 at 5,958 rows (a register import audits each person).
   */
  async insert(em: Conn, rows: readonly AuditRowValues[]): Promise<void> {
    if (!rows.length) return;
    if (rows.length === 1) {
      await dbOf(em).insertInto('audit_log').values(rows[0]).execute();
      return;
    }
    const col = <K extends keyof AuditRowValues>(k: K) => rows.map((r) => r[k]);
    await sql`INSERT INTO audit_log (account_id, actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id,
                                     client_ip, details)
              SELECT * FROM unnest(${col('account_id')}::uuid[], ${col('actor_roles')}::text[], ${col('actor_division')}::text[],
                                   ${col('action')}::text[], ${col('target_type')}::text[], ${col('target_id')}::text[],
                                   ${col('target_division')}::text[], ${col('result')}::text[], ${col('request_id')}::text[],
                                   ${col('client_ip')}::text[], ${col('details')}::jsonb[])`.execute(dbOf(em));
  }

  /** Seals up to `batchSize` committed rows (audit_seal, migration 1764375000000); returns how many. */
  async seal(em: Conn, batchSize: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT audit_seal(${batchSize}) AS n`.execute(dbOf(em));
    return rows[0].n;
  }

  /**
   * The sealed rows from `fromSeq` on, at most `limit`, in chain order, as binary COPY (CHAIN_COPY_COLUMNS)
   * handed to `onRow` in place while they stream in (CopyOut, BinaryCopyRows): no page is held in memory,
   * and the database works on the next rows while Node.js hashes these. After `onRow` says stop, the rest
   * of the page is read and dropped, so the connection goes back to the pool clean. Returns the rows handed over.
   */
  async copySealedFrom(fromSeq: number, limit: number, onRow: CopyRowHandler): Promise<number> {
    if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(limit)) throw new Error('copySealedFrom: integers only');
    const rows = new BinaryCopyRows(CHAIN_COPY_FIELDS);
    let handed = 0;
    const count: CopyRowHandler = (buf, s, l) => {
      handed += 1;
      return onRow(buf, s, l);
    };
    // COPY takes no parameters: both numbers are checked integers.
    const copy = new CopyOut(
      `COPY (SELECT ${CHAIN_COPY_COLUMNS} FROM audit_log WHERE seq IS NOT NULL AND seq >= ${fromSeq} ORDER BY seq LIMIT ${limit}) TO STDOUT (FORMAT binary)`,
      (buf, start, end) => rows.push(buf, count, start, end),
    );
    const client = await pgPoolOf(this.ds).connect();
    let failure: Error | undefined;
    try {
      client.query(copy);
      await copy.done;
      if (!copy.stopped && !rows.done) throw new Error('audit chain COPY ended without its end marker');
      return handed;
    } catch (err) {
      failure = err as Error;
      throw err;
    } finally {
      client.release(failure); // a failed connection is dropped, not reused
    }
  }

  /** The newest sealed row's number and hash. */
  head(): Promise<ChainHead | undefined> {
    return (
      this.db
        .selectFrom('audit_log')
        .select([
          sql<string>`seq::text`.as('seq'),
          sql<string>`encode(hash, 'hex')`.as('hash'),
          sql<string>`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('occurredAt'),
        ])
        // the table's bigint, not the text alias
        .where('audit_log.seq', 'is not', null)
        .orderBy('audit_log.seq', 'desc')
        .limit(1)
        .executeTakeFirst()
    );
  }

  async countUnsealed(): Promise<number> {
    const r = await this.db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    return r.n;
  }

  /**
   * Rows whose target (or, failing that, actor) division lies inside the scopes: one `LIKE 'prefix%'`
   * term per scope, FALSE for none; then the filter's narrowing.
   */
  private filter(scopes: readonly string[], f: AuditListFilter): Expression<SqlBool>[] {
    const where: Expression<SqlBool>[] = [
      anyOf(normalizeScopes(scopes).map((s) => sql<SqlBool>`coalesce(a.target_division, a.actor_division, '') LIKE ${`${s}%`}`)),
    ];
    if (f.q) {
      const alternatives = [];
      if (f.q.actions.length) alternatives.push(sql<SqlBool>`a.action = ANY(${[...f.q.actions]}::text[])`);
      if (f.q.targets.length) alternatives.push(sql<SqlBool>`a.target_type = ANY(${[...f.q.targets]}::text[])`);
      // The actor's name through their account: the rows themselves need no join (AuditRepository.listed).
      alternatives.push(
        sql<SqlBool>`a.account_id IN (SELECT acc.id FROM account acc JOIN person p ON p.id = acc.person_id WHERE p.real_name LIKE ${containing(f.q.text)})`,
      );
      alternatives.push(sql<SqlBool>`a.target_id = ${f.q.text}`);
      alternatives.push(sql<SqlBool>`a.request_id = ${f.q.text}`);
      where.push(anyOf(alternatives));
    }
    if (f.action) where.push(sql<SqlBool>`a.action = ${f.action}`);
    if (f.accountId) where.push(sql<SqlBool>`a.account_id = ${f.accountId}::uuid`);
    if (f.targetType) where.push(sql<SqlBool>`a.target_type = ${f.targetType}`);
    if (f.targetId) where.push(sql<SqlBool>`a.target_id = ${f.targetId}`);
    if (f.result) where.push(sql<SqlBool>`a.result = ${f.result}`);
    if (f.from) where.push(sql<SqlBool>`a.occurred_at >= ${f.from}`);
    if (f.to) where.push(sql<SqlBool>`a.occurred_at < ${f.to}`);
    if (f.restrictedWithin) {
      const within = f.restrictedWithin.map((s) => sql<SqlBool>`coalesce(a.target_division, a.actor_division, '') LIKE ${`${s}%`}`);
      where.push(anyOf([sql<SqlBool>`(a.details->>'restricted') IS DISTINCT FROM 'true'`, ...within]));
    }
    return where;
  }

  /**
   * The page and how many rows match, counting no further than `cap` + 1: a city's log holds tens of
   * millions of rows, and counting all that match a city-wide view took 2.8 s at 50 million (EXPLAIN: a full
   * scan), longer than any reader waits; the page itself needs only the newest rows.
   */
  async page(
    scopes: readonly string[],
    f: AuditListFilter,
    cap: number,
    limit: number,
    offset: number,
  ): Promise<{ total: number; rows: AuditListRow[] }> {
    if (cap <= SHORT_COUNT) {
      // A short count (the first pages: 201 rows, 0.5 ms over the city's 50 million, docs/performance.md,
      // session 10) is planned serial: the count and the page in one statement, one round trip.
      const db = this.db;
      const found = await db
        .selectFrom(this.counted(db, scopes, f, cap).as('c'))
        .leftJoinLateral(this.listed(db, scopes, f, limit, offset).as('l'), (j) => j.onTrue())
        .select('c.total')
        .selectAll('l')
        // The outer statement does not keep the subquery's order by itself: the page's order, newest first.
        .orderBy('l.occurredAt', 'desc')
        .orderBy(sql`l.id::bigint`, 'desc')
        .execute();
      const total = found[0]?.total ?? 0;
      const rows = found.filter((r) => r.id !== null).map(({ total: _, ...row }) => row as AuditListRow);
      return { total, rows };
    }
    // Serial and not compiled: the planner, misjudging how many rows a division prefix matches over
    // coalesce(...), took a city-wide count of 10,001 rows for a parallel scan, and past jit_above_cost also
    // compiled it: 175–180 ms, against 12.8 ms serial (docs/performance.md, "City scale", session 9).
    const total = await this.ds.transaction(async (em) => {
      const db = dbOf(em);
      await sql`SET LOCAL max_parallel_workers_per_gather = 0`.execute(db);
      await sql`SET LOCAL jit = off`.execute(db);
      return (await this.counted(db, scopes, f, cap).executeTakeFirstOrThrow()).total;
    });
    return { total, rows: await this.listed(this.db, scopes, f, limit, offset).execute() };
  }

  private counted(db: ReturnType<typeof dbOf>, scopes: readonly string[], f: AuditListFilter, cap: number) {
    return db
      .selectFrom(
        db
          .selectFrom('audit_log as a')
          .select(sql<number>`1`.as('one'))
          .where((eb) => eb.and(this.filter(scopes, f)))
          .limit(cap + 1)
          .as('matching'),
      )
      .select(sql<number>`count(*)::int`.as('total'));
  }

  /**
   * The page's rows, then the acting person's name for those rows only: audit_log keeps the account id, the
   * name comes from the register (account → person). Joined inside the page's own query, the planner sized
   * a hash cache (Memoize) for the city's 50 million rows on every request, 20 ms before the first row
   * (docs/performance.md, session 10). The audit lib sits below identity (identity writes audit rows), so
   * this join stays here rather than going through identity's readers.
   */
  private listed(db: ReturnType<typeof dbOf>, scopes: readonly string[], f: AuditListFilter, limit: number, offset: number) {
    const page = db
      .selectFrom('audit_log as a')
      .select([
        'a.id as n',
        'a.seq',
        'a.occurred_at',
        'a.account_id',
        'a.actor_roles',
        'a.actor_division',
        'a.action',
        'a.target_type',
        'a.target_id',
        'a.target_division',
        'a.result',
        'a.request_id',
        'a.client_ip',
        'a.details',
      ])
      .where((eb) => eb.and(this.filter(scopes, f)))
      .orderBy('a.occurred_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .as('l');
    return db
      .selectFrom(page)
      .leftJoin('account as acc', 'acc.id', 'l.account_id')
      .leftJoin('person as p', 'p.id', 'acc.person_id')
      .select([
        sql<string>`l.n::text`.as('id'),
        sql<string | null>`l.seq::text`.as('seq'),
        'l.occurred_at as occurredAt',
        'l.account_id as accountId',
        'p.real_name as actorName',
        'l.actor_roles as actorRoles',
        'l.actor_division as actorDivision',
        'l.action',
        'l.target_type as targetType',
        'l.target_id as targetId',
        'l.target_division as targetDivision',
        'l.result',
        'l.request_id as requestId',
        'l.client_ip as clientIp',
        'l.details',
      ])
      .orderBy('l.occurred_at', 'desc')
      .orderBy('l.n', 'desc');
  }
}
