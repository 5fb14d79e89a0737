import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '#audit';
import { isWithinAny, scopeSql } from '#divisions';
import { type Actor, type Clock, type Permission, type DomainError, type Page, pageOf, queryRows } from '#platform';
import { normalizeCreditCode } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import { type EntityType, recordChange } from './history.js';
import type { YearLocksService } from './year-locks.js';

/**
 * What the two registries (集体经济组织 and 平台公司) do alike: find a record within scope, list, save
 * with history and audit, and report which years are locked. Each service describes its registry
 * with a `RegistryKind`.
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

/** One registry: its table and columns, permissions, errors and audit actions. */
export interface RegistryKind<R extends RegistryRecord, V extends R & { id: string }> {
  table: 'collective_org' | 'platform_company';
  /** The table's alias in `columns`. */
  alias: 'o' | 'c';
  /** The SELECT list of a `V`, over the table (as `alias`) joined with `division d`. */
  columns: string;
  /** Columns `save` writes, in parameter order, with their record fields (level and division are set once, on insert). */
  writable: readonly (readonly [column: string, field: keyof R])[];
  /** ORDER BY of lists. */
  listOrder: string;
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

/** Checks a registry makes before `saveRecord` writes. */
export interface RegistryRules<R> {
  checkInput(input: R): FieldError[];
  checkAgainstDb(em: EntityManager, actor: Actor, input: R, selfId: string | null): Promise<FieldError[]>;
}

/** What writing history and audit needs. */
export interface JournalDeps {
  clock: Clock;
  audit: AuditService;
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
      recordChange(
        em,
        deps.clock.now(),
        actor,
        { type: kind.entityType, id: target.id, divisionCode: target.divisionCode },
        action,
        before,
        after,
      ),
    audit: (action, details) =>
      deps.audit.record(em, { actor, action, targetType: kind.table, targetId: target.id, targetDivision: target.divisionCode, details }),
  };
}

/** The record if it lies inside the caller's scope for `permission`; otherwise the kind's 404. `lock` takes the row FOR UPDATE. */
export async function findRecord<R extends RegistryRecord, V extends R & { id: string }>(
  em: Pick<EntityManager, 'query'>,
  kind: RegistryKind<R, V>,
  actor: Actor,
  id: string,
  permission: Permission,
  lock: boolean,
): Promise<V> {
  const a = kind.alias;
  const rows = await queryRows<V>(
    em,
    `SELECT ${kind.columns} FROM ${kind.table} ${a} JOIN division d ON d.code = ${a}.division_code WHERE ${a}.id = $1${lock ? ` FOR UPDATE OF ${a}` : ''}`,
    [id],
  );
  if (!rows.length || !isWithinAny(rows[0].divisionCode, actor.scopesFor(permission))) throw kind.notFound();
  return rows[0];
}

/** Runs `fn` in one transaction with the record locked and checked against the caller's write scope. */
export function withLockedRecord<R extends RegistryRecord, V extends R & { id: string }, T>(
  db: DataSource,
  kind: RegistryKind<R, V>,
  actor: Actor,
  id: string,
  fn: (em: EntityManager, rec: V) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (em) => fn(em, await findRecord(em, kind, actor, id, kind.writePermission, true)));
}

export interface ListFilter {
  divisionCode?: string;
  q?: string;
  level?: string;
  status?: string;
}

function listWhere(kind: { alias: string; readPermission: Permission }, actor: Actor, q: ListFilter) {
  const a = kind.alias;
  const scope = scopeSql(`${a}.division_code`, actor.scopesFor(kind.readPermission), 1);
  const params: unknown[] = [...scope.params];
  const where = [scope.sql];
  if (q.divisionCode) {
    params.push(`${q.divisionCode}%`);
    where.push(`${a}.division_code LIKE $${params.length}`);
  }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    where.push(`(${a}.name LIKE $${params.length} OR ${a}.credit_code LIKE $${params.length})`);
  }
  if (q.level) {
    params.push(q.level);
    where.push(`${a}.level = $${params.length}`);
  }
  if (q.status) {
    params.push(q.status);
    where.push(`${a}.status = $${params.length}`);
  }
  return { where: where.join(' AND '), params };
}

/** One page of the records in the caller's read scope matching `q`. */
export async function listRecords<R extends RegistryRecord, V extends R & { id: string }>(
  db: DataSource,
  kind: RegistryKind<R, V>,
  actor: Actor,
  q: ListFilter & { page: number; pageSize: number },
): Promise<Page<V>> {
  const { where, params } = listWhere(kind, actor, q);
  const a = kind.alias;
  const [{ total }] = await queryRows<{ total: number }>(
    db,
    `SELECT count(*)::int AS total FROM ${kind.table} ${a} WHERE ${where}`,
    params,
  );
  const items = await queryRows<V>(
    db,
    `SELECT ${kind.columns} FROM ${kind.table} ${a} JOIN division d ON d.code = ${a}.division_code WHERE ${where}
      ORDER BY ${kind.listOrder} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return pageOf(items, total, q);
}

/** Every record in the caller's read scope (exports), ordered like the list. */
export function listAllRecords<R extends RegistryRecord, V extends R & { id: string }>(
  db: DataSource,
  kind: RegistryKind<R, V>,
  actor: Actor,
  divisionCode?: string,
): Promise<V[]> {
  const { where, params } = listWhere(kind, actor, { divisionCode });
  const a = kind.alias;
  return queryRows<V>(
    db,
    `SELECT ${kind.columns} FROM ${kind.table} ${a} JOIN division d ON d.code = ${a}.division_code WHERE ${where} ORDER BY ${kind.listOrder}`,
    params,
  );
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
  divisionLevel: string,
  selfId: string | null,
): Promise<FieldError[]> {
  const errs: FieldError[] = [];
  const div = await queryRows<{ level: string }>(em, `SELECT level FROM division WHERE code = $1`, [input.divisionCode]);
  if (!div.length) errs.push({ field: 'divisionCode', error: EconomyErrors.divisionUnknown() });
  else if (div[0].level !== divisionLevel) errs.push({ field: 'divisionCode', error: kind.divisionInvalid() });
  else if (!isWithinAny(input.divisionCode, actor.scopesFor(kind.writePermission)))
    errs.push({ field: 'divisionCode', error: EconomyErrors.divisionOutOfScope() });
  const other = kind.table === 'collective_org' ? 'platform_company' : 'collective_org';
  const taken = await queryRows(
    em,
    `SELECT 1 FROM ${kind.table} WHERE credit_code = $1 AND id IS DISTINCT FROM $2::uuid UNION ALL SELECT 1 FROM ${other} WHERE credit_code = $1`,
    [normalizeCreditCode(input.creditCode), selfId],
  );
  if (taken.length) errs.push({ field: 'creditCode', error: EconomyErrors.creditCodeTaken() });
  return errs;
}

/** A shallow copy, as history takes it. */
const copyOf = (rec: RegistryRecord): Record<string, unknown> => ({ ...rec });

/**
 * Creates or updates one record inside `em`, writing history and audit. `rec` comes normalized. With
 * `selfId` null the record is matched by credit code (imports: `matchByCode`); unchanged values write nothing.
 */
export async function saveRecord<R extends RegistryRecord, V extends R & { id: string }>(
  em: EntityManager,
  actor: Actor,
  deps: JournalDeps,
  kind: RegistryKind<R, V>,
  rules: RegistryRules<R>,
  rec: R,
  selfId: string | null,
  opts: { isDemo?: boolean; matchByCode?: boolean },
): Promise<{ id: string; outcome: SaveOutcome }> {
  const errs = rules.checkInput(rec);
  if (errs.length) throw errs[0].error;
  let before: V | null = null;
  if (selfId) before = await findRecord(em, kind, actor, selfId, kind.writePermission, true);
  else {
    const found = await queryRows<{ id: string; division_code: string; level: string }>(
      em,
      `SELECT id, division_code, level FROM ${kind.table} WHERE credit_code = $1`,
      [rec.creditCode],
    );
    const f = found[0];
    if (f && !opts.matchByCode) throw EconomyErrors.creditCodeTaken();
    if (
      f &&
      (f.division_code !== rec.divisionCode ||
        f.level !== rec.level ||
        !isWithinAny(f.division_code, actor.scopesFor(kind.writePermission)))
    )
      throw EconomyErrors.creditCodeTaken();
    if (f) before = await findRecord(em, kind, actor, f.id, kind.writePermission, true);
  }
  if (before && (before.level !== rec.level || before.divisionCode !== rec.divisionCode)) throw kind.divisionInvalid();
  const dbErrs = await rules.checkAgainstDb(em, actor, rec, before?.id ?? null);
  if (dbErrs.length) throw dbErrs[0].error;
  const columns = kind.writable.map(([column]) => column);
  const params: unknown[] = kind.writable.map(([, field]) => rec[field]);
  const n = params.length;
  if (!before) {
    const [{ id }] = await queryRows<{ id: string }>(
      em,
      `INSERT INTO ${kind.table} (${columns.join(', ')}, level, division_code, is_demo, created_at, updated_at)
       VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 4}) RETURNING id`,
      [...params, rec.level, rec.divisionCode, opts.isDemo ?? false, deps.clock.now()],
    );
    const journal = journalOf(em, actor, deps, kind, { id, divisionCode: rec.divisionCode });
    await journal.change('create', null, copyOf(rec));
    await journal.audit(`${kind.auditPrefix}_create`);
    return { id, outcome: 'created' };
  }
  const journal = journalOf(em, actor, deps, kind, { id: before.id, divisionCode: rec.divisionCode });
  if (!(await journal.change('update', copyOf(kind.recordOf(before)), copyOf(rec)))) return { id: before.id, outcome: 'unchanged' };
  await em.query(
    `UPDATE ${kind.table} SET ${columns.map((c, i) => `${c} = $${i + 1}`).join(', ')}, updated_at = $${n + 2} WHERE id = $${n + 1}`,
    [...params, before.id, deps.clock.now()],
  );
  await journal.audit(`${kind.auditPrefix}_update`);
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
  em: Pick<EntityManager, 'query'>,
  divisionCode: string,
  rows: T[],
): Promise<(T & { locked: boolean })[]> {
  const out: (T & { locked: boolean })[] = [];
  for (const r of rows) out.push({ ...r, locked: await locks.isLocked(em, divisionCode, r.year) });
  return out;
}
