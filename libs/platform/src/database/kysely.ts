import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  type PostgresPool,
  PostgresQueryCompiler,
  type QueryResult,
  type RawBuilder,
  sql,
  type SqlBool,
} from 'kysely';
import type pg from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { DB } from './schema.generated.js';

/**
 * The typed query builder over TypeORM's connection (decision 041). TypeORM owns the pool, the
 * transactions and the migrations; Kysely builds statements whose tables and columns are checked
 * against the generated schema (`npm run db:types`). A repository takes the `Conn` its service holds:
 * the DataSource outside a transaction, the transaction's EntityManager inside one.
 */
export type Db = Kysely<DB>;
export type Conn = DataSource | EntityManager;
/** What a read-only repository method runs on: a Conn, or the builder ReportingDb.read() hands out (the replica's or the primary's). */
export type ReadConn = Conn | Db;
export type { DB } from './schema.generated.js';

/** A statement on the transaction's own connection: TypeORM's runner, with rows and the affected count. */
class RunnerConnection implements DatabaseConnection {
  constructor(private readonly runner: QueryRunner) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const r = (await this.runner.query(q.sql, [...q.parameters], true)) as { records?: R[]; affected?: number | null };
    // pg's rowCount for every command (for a SELECT, the rows returned), as Kysely's own pg driver reads it.
    return { rows: r.records ?? [], numAffectedRows: r.affected == null ? undefined : BigInt(r.affected) };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on a transaction runner');
  }
}

/** Runs every statement on one TypeORM query runner (the transaction's); begins and ends nothing itself. */
class RunnerDriver implements Driver {
  private readonly conn: RunnerConnection;
  constructor(runner: QueryRunner) {
    this.conn = new RunnerConnection(runner);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.conn;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('transactions are TypeORM’s: use DataSource.transaction()');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

const bound = new WeakMap<object, Db>();

function forRunner(runner: QueryRunner): Db {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new RunnerDriver(runner),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

/** TypeORM's own pg pool, for what its API lacks (COPY): borrow a client and give it back; never end the pool. */
export function pgPoolOf(source: DataSource): pg.Pool {
  return (source.driver as unknown as { master: pg.Pool }).master;
}

function forPool(source: DataSource): Db {
  // Kysely borrows a client per statement and gives it back; it never ends the pool.
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: lendingPool(pgPoolOf(source)) }) });
}

/**
 * `pool` as Kysely borrows from it, with an 'error' listener on each client while it is lent. pg-pool
 * listens to a client only while it is idle, and Kysely adds no listener: a connection that dies during
 * a statement (a database restart: the server's error, then the socket's end in the same read) emits
 * 'error' before Kysely has given the client back, and an 'error' nobody hears ends the process. The
 * pool's own listeners (TypeORM's poolErrorHandler, the replica's: the outage logs) hear it instead; the
 * statement itself has already failed with it to its caller.
 */
export function lendingPool(pool: pg.Pool): PostgresPool {
  const { Client, options } = pool as unknown as Pick<PostgresPool, 'Client' | 'options'>;
  return {
    Client,
    options,
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      const onError = (err: Error) => {
        if (pool.listenerCount('error') > 0) pool.emit('error', err, client);
      };
      client.on('error', onError);
      const release = client.release.bind(client);
      client.release = (destroy?: boolean | Error) => {
        client.removeListener('error', onError);
        release(destroy);
      };
      return client;
    },
  };
}

/** The typed builder over a DataSource (pooled) or a transaction's EntityManager (its connection); a builder is itself. */
export function dbOf(conn: ReadConn): Db {
  if (conn instanceof Kysely) return conn;
  let db = bound.get(conn);
  if (db) return db;
  if (conn instanceof DataSource) db = forPool(conn);
  else if (conn.queryRunner) db = forRunner(conn.queryRunner);
  else db = dbOf(conn.connection);
  bound.set(conn, db);
  return db;
}

/** The one LIKE escape: `%`, `_` and `\` match themselves (PostgreSQL's default escape character is `\`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE/ILIKE pattern that finds `term` anywhere. */
export const containing = (term: string): string => `%${escapeLike(term)}%`;

/**
 * The grams `text_short_grams(text)` (migration 1764376000000) holds for every text that contains `term`:
 * the term's single character, or its character pairs, lower-cased, of letters and digits only. A GIN index on
 * `text_short_grams(col)` asked with `@>` for these finds the candidates of `col LIKE containing(term)`;
 * the LIKE stays the exact check. A term with no such gram gives [] (`@> '{}'` holds for every row).
 */
export function shortGramsOf(term: string): string[] {
  // JavaScript's and PostgreSQL's lower() agree on ASCII and on characters without case (Chinese); for any
  // other cased character they may not, so such a term gets no gram filter (LIKE alone decides).
  if ([...term].some((c) => c > '\x7f' && c.toLowerCase() !== c.toUpperCase())) return [];
  const cs = [...term.toLowerCase()];
  const grams = cs.length === 1 ? cs : cs.slice(1).map((c, i) => cs[i] + c);
  // Only letters and digits, which PostgreSQL never takes for whitespace: a gram left out only widens the candidates.
  return [...new Set(grams.filter((g) => /^[\p{L}\p{N}]+$/u.test(g)))];
}

/** A LIKE pattern that finds values starting with `prefix`. */
export const startingWith = (prefix: string): string => `${escapeLike(prefix)}%`;

/** A boolean SQL fragment: TRUE when every part is (an empty list is TRUE). */
export function allOf(parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` AND `)})` : sql<SqlBool>`TRUE`;
}

/** A boolean SQL fragment: TRUE when any part is (an empty list is FALSE: default deny). */
export function anyOf(parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : sql<SqlBool>`FALSE`;
}
