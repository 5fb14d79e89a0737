import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, DomainError, JobLocks, LOGGER, Page, pageOf, queryRows, runExclusive } from '#platform';
import { scopeSql } from '#divisions';
import { AuditCatalog } from './audit-catalog.js';
import type { AuditActor, AuditEntry } from './audit-entry.js';
import { CHAIN_COLUMNS, ChainRow, chainHash, GENESIS_HASH } from './audit-chain.js';
import { AnchorFileError, appendAnchor, readAnchors, type AuditAnchor } from './anchors.js';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  unsealed: number;
  /** How many of the anchors given were found in the chain and matched. */
  anchorsMatched: number;
  /**
   * The first row that does not fit: its hash is not what its content and predecessor give, its
   * predecessor's hash is not the one it recorded, a number is missing, or its hash is not the one an
   * anchor published (`anchor_mismatch`). `anchor_missing`: an anchor names a row beyond the chain's
   * end (rows removed from the end); `id` is then null.
   */
  firstBroken: {
    seq: string;
    id: string | null;
    reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'anchor_mismatch' | 'anchor_missing';
  } | null;
}

/** The chain's newest sealed row. */
export interface ChainHead {
  seq: string;
  hash: string;
  occurredAt: string;
}

export interface AuditFilter {
  /** Chinese words of the action or target (查看 身份证), a person's name, or an exact target id / request id. */
  q?: string;
  action?: string;
  accountId?: string;
  targetType?: string;
  targetId?: string;
  result?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export interface AuditView {
  id: string;
  seq: string | null;
  occurredAt: string;
  accountId: string | null;
  /** The acting person's name (null: nobody logged in, or the system). */
  actorName: string | null;
  actorRoles: string | null;
  actorDivision: string | null;
  actorDivisionName: string | null;
  action: string;
  actionName: string;
  targetType: string | null;
  targetTypeName: string | null;
  targetDivisionName: string | null;
  targetId: string | null;
  targetDivision: string | null;
  result: string;
  requestId: string | null;
  clientIp: string | null;
  details: unknown;
}

const INSERT_SQL = `INSERT INTO audit_log (account_id, actor_roles, actor_division, action, target_type, target_id,
  target_division, result, request_id, client_ip, details) VALUES `;

export interface AuditActorColumns {
  accountId: string | null;
  roles: string | null;
  division: string | null;
  requestId: string | null;
  ip: string | null;
}

/** The actor's columns of an audit row, as every writer encodes them. */
function actorColumnsOf(a: AuditActor | null): AuditActorColumns {
  return {
    accountId: a?.accountId ?? null,
    roles: a?.roles?.length ? [...new Set(a.roles)].sort().join(',') : null,
    division: a?.divisionCode ?? null,
    requestId: a?.requestId ?? null,
    ip: a?.ip ?? null,
  };
}

function valuesOf(e: AuditEntry): unknown[] {
  const a = actorColumnsOf(e.actor);
  return [
    a.accountId,
    a.roles,
    a.division,
    e.action,
    e.targetType ?? null,
    e.targetId ?? null,
    e.targetDivision ?? null,
    e.result ?? 'success',
    a.requestId,
    a.ip,
    e.details ? JSON.stringify(e.details) : null,
  ];
}

@Injectable()
export class AuditService {
  constructor(
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: AuditCatalog,
  ) {}

  /** Writes the row inside the caller's transaction: it commits or rolls back with the change. */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(em, [entry]);
  }

  async recordMany(em: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    const params: unknown[] = [];
    const tuples = entries.map((e) => {
      const v = valuesOf(e);
      const base = params.length;
      params.push(...v);
      return `(${v.map((_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    await em.query(INSERT_SQL + tuples.join(', '), params);
  }

  /**
   * The actor's columns of an audit row, encoded exactly as `record` writes them, for a batched
   * statement that writes its change and audit rows together (audit-batch.ts `AUDIT_ACTOR_INPUT`).
   */
  actorColumns(actor: AuditActor | null): AuditActorColumns {
    return actorColumnsOf(actor);
  }

  /** For events with no business transaction (a refused request, a failed login). */
  async recordAlone(entry: AuditEntry): Promise<void> {
    await this.record(this.db.manager, entry);
  }

  /**
   * Gives committed unsealed rows their place in the chain. One process at a time (advisory lock);
   * writers never wait for it. Returns the number of rows sealed.
   */
  async seal(batchSize = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      // audit_seal (migration 1764375000000) hashes in the database what chainHash recomputes on verify.
      const res = await runExclusive(this.db, JobLocks.auditSeal, async (em) => {
        const [{ n }] = await queryRows<{ n: number }>(em, `SELECT audit_seal($1) AS n`, [batchSize]);
        return n;
      });
      if (!res.ran) return total;
      total += res.result;
      if (res.result < batchSize) return total;
    }
  }

  /**
   * Recomputes the whole chain and names the first row that does not fit. Anchors (heads published
   * earlier, kept outside the database: those of AUDIT_ANCHOR_FILE and those given) must each still
   * be carried by their row: that catches a chain rewritten from some row on, which alone would look whole.
   */
  async verify(anchors: readonly AuditAnchor[] = [], batchSize = 5000): Promise<VerifyResult> {
    const published = new Map<bigint, string[]>();
    for (const a of [...(await this.anchorsOnFile()), ...anchors])
      published.set(BigInt(a.seq), [...(published.get(BigInt(a.seq)) ?? []), a.hash]);
    let prev: Buffer = GENESIS_HASH;
    let expectedSeq = 1n;
    let checked = 0;
    let anchorsMatched = 0;
    const result = async (firstBroken: VerifyResult['firstBroken']): Promise<VerifyResult> => ({
      ok: firstBroken === null,
      checked,
      unsealed: await this.countUnsealed(),
      anchorsMatched,
      firstBroken,
    });
    for (;;) {
      const rows: (ChainRow & { prev_hash: Buffer; hash: Buffer })[] = await this.db.query(
        `SELECT ${CHAIN_COLUMNS}, prev_hash, hash FROM audit_log
          WHERE audit_log.seq IS NOT NULL AND audit_log.seq >= $1 ORDER BY audit_log.seq LIMIT $2`,
        [expectedSeq.toString(), batchSize],
      );
      for (const r of rows) {
        const broken = (reason: NonNullable<VerifyResult['firstBroken']>['reason']) => result({ seq: r.seq, id: r.id, reason });
        if (BigInt(r.seq) !== expectedSeq) return broken('sequence_gap');
        if (!r.prev_hash.equals(prev)) return broken('prev_hash_mismatch');
        if (!chainHash(prev, r).equals(r.hash)) return broken('hash_mismatch');
        const hashes = published.get(expectedSeq);
        if (hashes) {
          if (hashes.some((h) => h !== r.hash.toString('hex'))) return broken('anchor_mismatch');
          anchorsMatched += hashes.length;
          published.delete(expectedSeq);
        }
        prev = r.hash;
        expectedSeq += 1n;
        checked += 1;
      }
      if (rows.length < batchSize) break;
    }
    if (published.size) {
      const beyond = [...published.keys()].sort((a, b) => (a < b ? -1 : 1))[0];
      return result({ seq: beyond.toString(), id: null, reason: 'anchor_missing' });
    }
    return result(null);
  }

  /** The anchors of AUDIT_ANCHOR_FILE (none when it is not set or not written yet). */
  private async anchorsOnFile(): Promise<AuditAnchor[]> {
    const file = this.config.auditAnchorFile;
    if (!file) return [];
    try {
      return await readAnchors(file);
    } catch (err) {
      if (err instanceof AnchorFileError)
        throw new DomainError('internal', 'AUDIT_ANCHOR_FILE_INVALID', `审计锚点文件损坏：${err.message}`);
      throw err;
    }
  }

  /** The newest sealed row's number and hash: what to publish as an anchor. Null while nothing is sealed. */
  async head(): Promise<ChainHead | null> {
    const rows = await queryRows<ChainHead>(
      this.db,
      `SELECT seq::text AS seq, encode(hash, 'hex') AS hash,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt"
         FROM audit_log WHERE audit_log.seq IS NOT NULL ORDER BY audit_log.seq DESC LIMIT 1`, // the table's bigint, not the text alias
    );
    return rows[0] ?? null;
  }

  /**
   * Appends the current head to `file` when it is newer than the file's last anchor. Returns the anchor
   * written, or null when there was nothing new.
   */
  async anchorTo(file: string, now: Date): Promise<AuditAnchor | null> {
    const head = await this.head();
    if (!head) return null;
    const last = (await readAnchors(file)).at(-1);
    if (last && BigInt(last.seq) >= BigInt(head.seq)) return null;
    const anchor: AuditAnchor = { seq: head.seq, hash: head.hash, at: now.toISOString() };
    await appendAnchor(file, anchor);
    return anchor;
  }

  private async countUnsealed(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL`);
    return n;
  }

  /** Rows whose target (or, failing that, actor) division lies inside the caller's scopes. */
  async list(scopes: readonly string[], f: AuditFilter): Promise<Page<AuditView>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const scope = scopeSql(`coalesce(a.target_division, a.actor_division, '')`, scopes, 1);
    where.push(scope.sql);
    params.push(...scope.params);
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.q?.trim()) {
      const q = f.q.trim();
      const alternatives: string[] = [];
      const or = (sql: string, v: unknown) => {
        params.push(v);
        alternatives.push(sql.replace('?', `$${params.length}`));
      };
      const actions = this.catalog.actionsMatching(q);
      if (actions.length) or('a.action = ANY(?::text[])', actions);
      const targets = this.catalog.targetsMatching(q);
      if (targets.length) or('a.target_type = ANY(?::text[])', targets);
      or('p.real_name LIKE ?', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      or('a.target_id = ?', q);
      or('a.request_id = ?', q);
      where.push(`(${alternatives.join(' OR ')})`);
    }
    if (f.action) add('a.action = ?', f.action);
    if (f.accountId) add('a.account_id = ?::uuid', f.accountId);
    if (f.targetType) add('a.target_type = ?', f.targetType);
    if (f.targetId) add('a.target_id = ?', f.targetId);
    if (f.result) add('a.result = ?', f.result);
    if (f.from) add('a.occurred_at >= ?', f.from);
    if (f.to) add('a.occurred_at < ?', f.to);
    const whereSql = where.join(' AND ');
    // The actor's name comes from the register (account → person); audit_log keeps only the account id.
    const from = `audit_log a LEFT JOIN account acc ON acc.id = a.account_id LEFT JOIN person p ON p.id = acc.person_id`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${from} WHERE ${whereSql}`, params);
    const rows: Omit<AuditView, 'actionName' | 'targetTypeName'>[] = await this.db.query(
      `SELECT a.id::text AS id, a.seq::text AS seq, a.occurred_at AS "occurredAt", a.account_id AS "accountId",
              p.real_name AS "actorName", a.actor_roles AS "actorRoles", a.actor_division AS "actorDivision",
              ad.name AS "actorDivisionName", a.action, a.target_type AS "targetType", a.target_id AS "targetId",
              a.target_division AS "targetDivision", td.name AS "targetDivisionName", a.result,
              a.request_id AS "requestId", a.client_ip AS "clientIp", a.details
         FROM ${from}
         LEFT JOIN division ad ON ad.code = a.actor_division
         LEFT JOIN division td ON td.code = a.target_division
        WHERE ${whereSql}
        ORDER BY a.occurred_at DESC, a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.pageSize, (f.page - 1) * f.pageSize],
    );
    const items: AuditView[] = rows.map((r) => ({
      ...r,
      actionName: this.catalog.actionName(r.action),
      targetTypeName: this.catalog.targetName(r.targetType),
    }));
    return pageOf(items, total, f);
  }
}
