import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, type Clock, type Conn, type Permission, type DomainError, type Page, pageOf, type ReadConn } from '#platform';
import { normalizeCreditCode } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import { type EntityType, recordChange } from './history.js';
import type { HistoryRepository } from './history.repository.js';
import { creditCodeTaken, divisionLevel, type RegistryStore } from './registry.repository.js';
import type { YearLocksService } from './year-locks.js';

/**
 * What the two registries (集体经济组织 and 平台公司) do alike: find a record within scope, list, save
 * with history and audit, and report which years are locked. Each service describes its registry
 * with a `Registry`: its rules (`RegistryKind`) and its table (`RegistryStore`, a repository).
 */

export interface FieldError {
  field: string;
  error: DomainError;
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/** The fields every registry record has. */
export interface RegistryRecord {
  level: string;
  divisionCode: string;
  name: string;
  creditCode: string;
  status: string;
}

/** One registry's rules: its table, permissions, errors and audit actions. */
export interface RegistryKind<R extends RegistryRecord, V extends R & { id: string }> {
  table: 'collective_org' | 'platform_company';
  entityType: EntityType;
  readPermission: Permission;
  writePermission: Permission;
  /** Audit actions are `${auditPrefix}_create` and `${auditPrefix}_update`. */
  auditPrefix: string;
  notFound: () => DomainError;
  /** The division does not fit the record's level. */
  divisionInvalid: () => DomainError;
  /** The fields kept in history. */
  recordOf: (v: V) => R;
}

/** A registry: its rules and the repository that holds its SQL. */
export interface Registry<R extends RegistryRecord, V extends R & { id: string }> extends RegistryKind<R, V> {
  store: RegistryStore<R, V>;
}

/** Checks a registry makes before `saveRecord` writes. */
export interface RegistryRules<R> {
  checkInput(input: R): FieldError[];
  checkAgainstDb(em: EntityManager, actor: Actor, input: R, selfId: string | null): Promise<FieldError[]>;
}

/** What writing history and audit needs. */
export interface JournalDeps {
  clock: Clock;
  audit: AuditService;
  history: HistoryRepository;
}

/** History and audit rows about one record, written inside the caller's transaction. */
export interface Journal {
  /** One history row old → new; false, writing nothing, when nothing changed. */
  change(action: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): Promise<boolean>;
  audit(action: string, details?: Record<string, unknown>): Promise<void>;
}

export function journalOf(
  em: EntityManager,
  actor: Actor,
  deps: JournalDeps,
  kind: { entityType: EntityType; table: string },
  target: { id: string; divisionCode: string },
): Journal {
  return {
    change: (action, before, after) =>
      recordChange(deps.history, em, {
        at: deps.clock.now(),
        actor,
        entity: { type: kind.entityType, id: target.id, divisionCode: target.divisionCode },
        action,
        before,
        after,
      }),
    audit: (action, details) =>
      deps.audit.record(em, { actor, action, targetType: kind.table, targetId: target.id, targetDivision: target.divisionCode, details }),
  };
}

/** The record if it lies inside the caller's scope for `permission`; otherwise the kind's 404. `lock` takes the row FOR UPDATE. */
export async function findRecord<R extends RegistryRecord, V extends R & { id: string }>(
  conn: Conn,
  reg: Registry<R, V>,
  actor: Actor,
  id: string,
  permission: Permission,
  lock: boolean,
): Promise<V> {
  const rec = await reg.store.find(conn, id, lock);
  if (!rec || !isWithinAny(rec.divisionCode, actor.scopesFor(permission))) throw reg.notFound();
  return rec;
}

/** Runs `fn` in one transaction with the record locked and checked against the caller's write scope. */
export function withLockedRecord<R extends RegistryRecord, V extends R & { id: string }, T>(
  db: DataSource,
  reg: Registry<R, V>,
  actor: Actor,
  id: string,
  fn: (em: EntityManager, rec: V) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (em) => fn(em, await findRecord(em, reg, actor, id, reg.writePermission, true)));
}

export interface ListFilter {
  divisionCode?: string;
  q?: string;
  level?: string;
  status?: string;
}

/** One page of the records in the caller's read scope matching `q`. */
export async function listRecords<R extends RegistryRecord, V extends R & { id: string }>(
  db: DataSource,
  reg: Registry<R, V>,
  actor: Actor,
  q: ListFilter & { page: number; pageSize: number },
): Promise<Page<V>> {
  const filter = { scopes: actor.scopesFor(reg.readPermission), divisionCode: q.divisionCode, q: q.q, level: q.level, status: q.status };
  const { items, total } = await reg.store.page(db, filter, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return pageOf(items, total, q);
}

/** Every record in the caller's read scope (exports), ordered like the list. */
export function listAllRecords<R extends RegistryRecord, V extends R & { id: string }>(
  db: ReadConn,
  reg: Registry<R, V>,
  actor: Actor,
  divisionCode?: string,
): Promise<V[]> {
  return reg.store.all(db, { scopes: actor.scopesFor(reg.readPermission), divisionCode });
}

/**
 * The division exists, is of `divisionLevel` and lies in the caller's write scope; the credit code is
 * used by no other record of either registry (codes are unique across both).
 */
export async function checkPlacement<R extends RegistryRecord, V extends R & { id: string }>(
  em: EntityManager,
  kind: RegistryKind<R, V>,
  actor: Actor,
  input: R,
  expectedLevel: string,
  selfId: string | null,
): Promise<FieldError[]> {
  const errs: FieldError[] = [];
  const level = await divisionLevel(em, input.divisionCode);
  if (!level) errs.push({ field: 'divisionCode', error: EconomyErrors.divisionUnknown() });
  else if (level !== expectedLevel) errs.push({ field: 'divisionCode', error: kind.divisionInvalid() });
  else if (!isWithinAny(input.divisionCode, actor.scopesFor(kind.writePermission)))
    errs.push({ field: 'divisionCode', error: EconomyErrors.divisionOutOfScope() });
  if (await creditCodeTaken(em, kind.table, normalizeCreditCode(input.creditCode), selfId))
    errs.push({ field: 'creditCode', error: EconomyErrors.creditCodeTaken() });
  return errs;
}

/** A shallow copy, as history takes it. */
const copyOf = (rec: RegistryRecord): Record<string, unknown> => ({ ...rec });

/** One save of a registry record: where, by whom, what, and how it is matched. */
export interface SaveRequest<R extends RegistryRecord, V extends R & { id: string }> {
  em: EntityManager;
  actor: Actor;
  deps: JournalDeps;
  registry: Registry<R, V>;
  rules: RegistryRules<R>;
  /** The record, normalized. */
  rec: R;
  /** The record to update; null to create, or (with `matchByCode`) to update the record holding the credit code. */
  selfId: string | null;
  isDemo?: boolean;
  /** Imports: a record already holding the credit code (same division and level, in scope) is updated. */
  matchByCode?: boolean;
}

/** Creates or updates one record inside `em`, writing history and audit; unchanged values write nothing. */
export async function saveRecord<R extends RegistryRecord, V extends R & { id: string }>(
  req: SaveRequest<R, V>,
): Promise<{ id: string; outcome: SaveOutcome }> {
  const { em, actor, deps, registry: reg, rules, rec } = req;
  const errs = rules.checkInput(rec);
  if (errs.length) throw errs[0].error;
  let before: V | null = null;
  if (req.selfId) before = await findRecord(em, reg, actor, req.selfId, reg.writePermission, true);
  else {
    const f = await reg.store.byCreditCode(em, rec.creditCode);
    if (f && !req.matchByCode) throw EconomyErrors.creditCodeTaken();
    if (
      f &&
      (f.divisionCode !== rec.divisionCode || f.level !== rec.level || !isWithinAny(f.divisionCode, actor.scopesFor(reg.writePermission)))
    )
      throw EconomyErrors.creditCodeTaken();
    if (f) before = await findRecord(em, reg, actor, f.id, reg.writePermission, true);
  }
  if (before && (before.level !== rec.level || before.divisionCode !== rec.divisionCode)) throw reg.divisionInvalid();
  const dbErrs = await rules.checkAgainstDb(em, actor, rec, before?.id ?? null);
  if (dbErrs.length) throw dbErrs[0].error;
  if (!before) {
    const id = await reg.store.insert(em, rec, { isDemo: req.isDemo ?? false, at: deps.clock.now() });
    const journal = journalOf(em, actor, deps, reg, { id, divisionCode: rec.divisionCode });
    await journal.change('create', null, copyOf(rec));
    await journal.audit(`${reg.auditPrefix}_create`);
    return { id, outcome: 'created' };
  }
  const journal = journalOf(em, actor, deps, reg, { id: before.id, divisionCode: rec.divisionCode });
  if (!(await journal.change('update', copyOf(reg.recordOf(before)), copyOf(rec)))) return { id: before.id, outcome: 'unchanged' };
  await reg.store.update(em, before.id, rec, deps.clock.now());
  await journal.audit(`${reg.auditPrefix}_update`);
  return { id: before.id, outcome: 'updated' };
}

/** `rec` with the patch's defined fields put over it. */
export function withPatch<R extends object>(rec: R, patch: Partial<NoInfer<R>>): R {
  const next = { ...rec };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
  return next;
}

/** Each year's row with whether that year is locked for `divisionCode`. */
export async function withLockFlags<T extends { year: number }>(
  locks: YearLocksService,
  conn: Conn,
  divisionCode: string,
  rows: T[],
): Promise<(T & { locked: boolean })[]> {
  const out: (T & { locked: boolean })[] = [];
  for (const r of rows) out.push({ ...r, locked: await locks.isLocked(conn, divisionCode, r.year) });
  return out;
}
