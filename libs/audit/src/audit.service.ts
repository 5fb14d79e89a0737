import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, Coalescer, JobLocks, LOGGER, type Page, pageOf, ReadCache, runExclusive } from '#platform';
import { DivisionsService, isWithinAny, normalizeScopes } from '#divisions';
import { AuditCatalog } from './audit-catalog.js';
import type { AuditActor, AuditEntry, AuditResult } from './audit-entry.js';
import { ChainCheck } from './chain-check.js';
import { AuditErrors } from './audit.errors.js';
import { type AuditListFilter, AuditRepository, type AuditRowValues } from './audit.repository.js';
import { AnchorFileError, appendAnchor, readAnchors, type AuditAnchor } from './anchors.js';
import type { AuditView, ChainHead, VerifyResult } from './views.js';

export interface AuditFilter {
  /** Chinese words of the action or target (查看 身份证), a person's name, or an exact target id / request id. */
  q?: string;
  action?: string;
  accountId?: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

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

function valuesOf(e: AuditEntry): AuditRowValues {
  const a = actorColumnsOf(e.actor);
  return {
    account_id: a.accountId,
    actor_roles: a.roles,
    actor_division: a.division,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    target_division: e.targetDivision ?? null,
    result: e.result ?? 'success',
    request_id: a.requestId,
    client_ip: a.ip,
    details: e.restricted ? JSON.stringify({ ...e.details, restricted: true }) : e.details ? JSON.stringify(e.details) : null,
  };
}

/** Rows' details are written from an object (AuditEntry.details) or null; a JSON array or scalar reads as null. */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

@Injectable()
export class AuditService {
  /** Identical list reads that arrive together share one load that starts after each of them (decision 067). */
  private readonly lists = new Coalescer<Page<AuditView>>();

  constructor(
    private readonly db: DataSource,
    private readonly repo: AuditRepository,
    private readonly divisions: DivisionsService,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: AuditCatalog,
    private readonly answers: ReadCache,
  ) {}

  /** Writes the row inside the caller's transaction: it commits or rolls back with the change. */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(em, [entry]);
  }

  async recordMany(em: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    await this.repo.insert(em, entries.map(valuesOf));
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
      const res = await runExclusive(this.db, JobLocks.auditSeal, (em) => this.repo.seal(em, batchSize));
      if (!res.ran) return total;
      total += res.result;
      if (res.result < batchSize) return total;
    }
  }

  /**
   * Recomputes the whole chain and names the first row that does not fit. Anchors (heads published
   * earlier, kept outside the database: those of AUDIT_ANCHOR_FILE and those given) must each still
   * be carried by their row: that catches a chain rewritten from some row on, which alone would look whole.
   * The rows stream in pages of `pageSize` (binary COPY, ChainCheck): memory stays that of a few chunks.
   */
  async verify(anchors: readonly AuditAnchor[] = [], pageSize = 200_000): Promise<VerifyResult> {
    const check = new ChainCheck([...(await this.anchorsOnFile()), ...anchors]);
    for (;;) {
      const rows = await this.repo.copySealedFrom(check.nextSeq, pageSize, check.row);
      if (check.broken || rows < pageSize) break;
    }
    const firstBroken = check.finish();
    return {
      ok: firstBroken === null,
      checked: check.checked,
      unsealed: await this.countUnsealed(),
      anchorsMatched: check.anchorsMatched,
      firstBroken,
    };
  }

  /** The anchors of AUDIT_ANCHOR_FILE (none when it is not set or not written yet). */
  private async anchorsOnFile(): Promise<AuditAnchor[]> {
    const file = this.config.auditAnchorFile;
    if (!file) return [];
    try {
      return await readAnchors(file);
    } catch (err) {
      if (err instanceof AnchorFileError) throw AuditErrors.anchorFileInvalid(err.message);
      throw err;
    }
  }

  /** The newest sealed row's number and hash: what to publish as an anchor. Null while nothing is sealed. */
  async head(): Promise<ChainHead | null> {
    return (await this.repo.head()) ?? null;
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

  private countUnsealed(): Promise<number> {
    return this.repo.countUnsealed();
  }

  /**
   * Rows whose target (or, failing that, actor) division lies inside the caller's scopes (audit.read); a
   * restricted row (AuditEntry.restricted) only where it also lies inside `restrictedScopes` (audit.read_restricted).
   */
  list(scopes: readonly string[], f: AuditFilter, restrictedScopes: readonly string[]): Promise<Page<AuditView>> {
    const q = f.q?.trim();
    const filter: AuditListFilter = {
      // The test is added only for a reader from some part of whose scope restricted rows are hidden.
      restrictedWithin: scopes.every((s) => isWithinAny(s, restrictedScopes)) ? undefined : normalizeScopes(restrictedScopes),
      q: q ? { text: q, actions: this.catalog.actionsMatching(q), targets: this.catalog.targetsMatching(q) } : undefined,
      action: f.action,
      accountId: f.accountId,
      targetType: f.targetType,
      targetId: f.targetId,
      result: f.result,
      from: f.from,
      to: f.to,
    };
    // Everything the answer depends on: the reader's scopes (not who they are), the filter, the page.
    const key = JSON.stringify([normalizeScopes(scopes).sort(), filter, f.page, f.pageSize]);
    // One answer for all who share the load: encoded once, each request sends the same bytes.
    return this.lists.run(key, async () => this.answers.encodeShared(await this.load(scopes, filter, f)));
  }

  private async load(scopes: readonly string[], filter: AuditListFilter, f: AuditFilter): Promise<Page<AuditView>> {
    const offset = (f.page - 1) * f.pageSize;
    // Counted as far as the reader can page in a few steps, never further than AUDIT_COUNT_CAP (decision 066).
    const cap = Math.min(AUDIT_COUNT_CAP, offset + AUDIT_COUNT_AHEAD_PAGES * f.pageSize);
    const { total, rows } = await this.repo.page(scopes, filter, cap, f.pageSize, offset);
    // The divisions' names: one lookup for the page.
    const names = await this.divisions.namesOf(rows.flatMap((r) => [r.actorDivision, r.targetDivision].filter((c) => c !== null)));
    const items: AuditView[] = rows.map((r) => ({
      ...r,
      occurredAt: r.occurredAt.toISOString(),
      details: isRecord(r.details) ? r.details : null,
      actorDivisionName: r.actorDivision === null ? null : (names.get(r.actorDivision) ?? null),
      targetDivisionName: r.targetDivision === null ? null : (names.get(r.targetDivision) ?? null),
      actionName: this.catalog.actionName(r.action),
      targetTypeName: this.catalog.targetName(r.targetType),
    }));
    return total > cap ? { ...pageOf(items, cap, f), totalCapped: true } : pageOf(items, total, f);
  }
}

/** The audit list never counts past this many matching rows; beyond, it says "more than" (Page.totalCapped). */
export const AUDIT_COUNT_CAP = 10_000;

/**
 * How many pages past the one asked for the audit list counts: page 1 of 20 rows counts at most 200 rows
 * ("200+", ten pages to go), page 10 at most 380. Counting the city's 10,000 cost 10 ms of every request
 * (docs/performance.md, session 10).
 */
export const AUDIT_COUNT_AHEAD_PAGES = 10;
