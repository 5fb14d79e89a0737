import { Injectable } from '@nestjs/common';
import { type Expression, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { normalizeScopes } from '#divisions';
import { anyOf, type Conn, containing, dbOf } from '#platform';
import { CHAIN_COLUMNS, type ChainRow } from './audit-chain.js';
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

/** A sealed row with what the verifier recomputes. */
export interface SealedRow extends ChainRow {
  prev_hash: Buffer;
  hash: Buffer;
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

/** The audit_log table's SQL (and the chain's seal function). */
@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  private get db() {
    return dbOf(this.ds);
  }

  /** Appends rows inside the caller's transaction, in one statement. */
  async insert(em: Conn, rows: readonly AuditRowValues[]): Promise<void> {
    if (!rows.length) return;
    await dbOf(em)
      .insertInto('audit_log')
      .values([...rows])
      .execute();
  }

  /** Seals up to `batchSize` committed rows (audit_seal, migration 1764375000000); returns how many. */
  async seal(em: Conn, batchSize: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT audit_seal(${batchSize}) AS n`.execute(dbOf(em));
    return rows[0].n;
  }

  /** Sealed rows from `fromSeq` on, in chain order, as the hash covers them. */
  async sealedFrom(fromSeq: bigint, limit: number): Promise<SealedRow[]> {
    const { rows } = await sql<SealedRow>`SELECT ${sql.raw(CHAIN_COLUMNS)}, prev_hash, hash FROM audit_log
          WHERE audit_log.seq IS NOT NULL AND audit_log.seq >= ${fromSeq.toString()} ORDER BY audit_log.seq LIMIT ${limit}`.execute(
      this.db,
    );
    return rows;
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
      alternatives.push(sql<SqlBool>`p.real_name LIKE ${containing(f.q.text)}`);
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
    return where;
  }

  /**
   * The rows with the acting person's name: audit_log keeps only the account id, the name comes from the
   * register (account → person). The audit lib sits below identity (identity writes audit rows), so
   * this join stays here rather than going through identity's readers.
   */
  private rows() {
    return this.db
      .selectFrom('audit_log as a')
      .leftJoin('account as acc', 'acc.id', 'a.account_id')
      .leftJoin('person as p', 'p.id', 'acc.person_id');
  }

  /**
   * How many rows match, counting no further than `cap` + 1: a city's log holds tens of millions of rows,
   * and counting all that match a city-wide view took 2.8 s at 50 million (EXPLAIN: a full scan), longer
   * than any reader waits; the first page itself needs only the newest rows.
   */
  async count(scopes: readonly string[], f: AuditListFilter, cap: number): Promise<number> {
    const r = await this.db
      .selectFrom(
        this.rows()
          .select(sql<number>`1`.as('one'))
          .where((eb) => eb.and(this.filter(scopes, f)))
          .limit(cap + 1)
          .as('matching'),
      )
      .select(sql<number>`count(*)::int`.as('total'))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  list(scopes: readonly string[], f: AuditListFilter, limit: number, offset: number): Promise<AuditListRow[]> {
    return this.rows()
      .select([
        sql<string>`a.id::text`.as('id'),
        sql<string | null>`a.seq::text`.as('seq'),
        'a.occurred_at as occurredAt',
        'a.account_id as accountId',
        'p.real_name as actorName',
        'a.actor_roles as actorRoles',
        'a.actor_division as actorDivision',
        'a.action',
        'a.target_type as targetType',
        'a.target_id as targetId',
        'a.target_division as targetDivision',
        'a.result',
        'a.request_id as requestId',
        'a.client_ip as clientIp',
        'a.details',
      ])
      .where((eb) => eb.and(this.filter(scopes, f)))
      .orderBy('a.occurred_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }
}
