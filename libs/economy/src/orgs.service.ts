import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny, scopeSql } from '#divisions';
import { PeopleService } from '#identity';
import { type Actor, Clock, type DomainError, type Page, pageOf, queryRows } from '#platform';
import { normalizeCreditCode, type OrgLevel, orgCreditCodeError } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import { type ChangeView, historyOf, recordChange } from './history.js';
import { YearLocksService } from './year-locks.js';

export interface OrgInput {
  level: OrgLevel;
  divisionCode: string;
  name: string;
  creditCode: string;
  registrationNo?: string | null;
  registeredOn?: string | null;
  charterFiledOn?: string | null;
  chairName: string;
  memberCount: number;
  /** Integer number of shares (份额), as a decimal string. */
  totalShares: string;
  status?: 'active' | 'cancelled';
}

export type OrgPatch = Partial<Omit<OrgInput, 'level' | 'divisionCode'>>;

/** The fields kept in history and compared on re-import. */
export interface OrgRecord {
  level: OrgLevel;
  divisionCode: string;
  name: string;
  creditCode: string;
  registrationNo: string | null;
  registeredOn: string | null;
  charterFiledOn: string | null;
  chairName: string;
  memberCount: number;
  totalShares: string;
  status: string;
}

export interface OrgView extends OrgRecord {
  id: string;
  divisionName: string;
  allocatedShares: string;
  registeredMembers: number;
  isDemo: boolean;
}

export interface OfficerView {
  personId: string;
  realName: string;
  role: 'chair' | 'director' | 'supervisor';
}

export interface MemberView {
  id: string;
  personId: string;
  realName: string;
  idNumberMasked: string;
  joinedOn: string;
  leftOn: string | null;
  shares: string;
}

export interface ShareChangeView {
  id: string;
  memberId: string;
  realName: string;
  oldShares: string;
  newShares: string;
  reason: string;
  changedAt: string;
  actorName: string;
}

export interface OrgFigures {
  operatingIncomeFen: string;
  totalIncomeFen: string;
  reserveFundFen: string;
  distributedFen: string;
}

export interface FieldError {
  field: string;
  error: DomainError;
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

export const ORG_COLUMNS = `o.id, o.level, o.division_code AS "divisionCode", d.name AS "divisionName", o.name, o.credit_code AS "creditCode",
  o.registration_no AS "registrationNo", to_char(o.registered_on, 'YYYY-MM-DD') AS "registeredOn",
  to_char(o.charter_filed_on, 'YYYY-MM-DD') AS "charterFiledOn", o.chair_name AS "chairName", o.member_count AS "memberCount",
  o.total_shares::text AS "totalShares", o.status, o.is_demo AS "isDemo",
  (SELECT coalesce(sum(m.shares), 0)::text FROM collective_member m WHERE m.org_id = o.id) AS "allocatedShares",
  (SELECT count(*)::int FROM collective_member m WHERE m.org_id = o.id AND m.left_on IS NULL) AS "registeredMembers"`;

const FIGURE_COLUMNS = `f.year, f.operating_income_fen::text AS "operatingIncomeFen", f.total_income_fen::text AS "totalIncomeFen",
  f.reserve_fund_fen::text AS "reserveFundFen", f.distributed_fen::text AS "distributedFen"`;

export const recordOf = (v: OrgView | OrgRecord): OrgRecord => ({
  level: v.level,
  divisionCode: v.divisionCode,
  name: v.name,
  creditCode: v.creditCode,
  registrationNo: v.registrationNo ?? null,
  registeredOn: v.registeredOn ?? null,
  charterFiledOn: v.charterFiledOn ?? null,
  chairName: v.chairName,
  memberCount: v.memberCount,
  totalShares: v.totalShares,
  status: v.status,
});

/** Collective economic organizations: registry record, officers, members and shares, yearly figures. */
@Injectable()
export class OrgsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly locks: YearLocksService,
    private readonly people: PeopleService,
  ) {}

  // ---------- registry record ----------

  /** Checks that need no database: name, credit code against level and county. */
  checkInput(input: OrgRecord): FieldError[] {
    const errs: FieldError[] = [];
    if (!input.name.includes('集体经济组织')) errs.push({ field: 'name', error: EconomyErrors.orgNameInvalid() });
    const cc = orgCreditCodeError(input.creditCode, input.level, input.divisionCode);
    if (cc) errs.push({ field: 'creditCode', error: cc });
    return errs;
  }

  /** Checks against the database (inside the import's or request's transaction). */
  async checkAgainstDb(em: EntityManager, actor: Actor, input: OrgRecord, selfId: string | null): Promise<FieldError[]> {
    const errs: FieldError[] = [];
    const want = input.level === 'township' ? 'township' : 'village';
    const div = await queryRows<{ level: string }>(em, `SELECT level FROM division WHERE code = $1`, [input.divisionCode]);
    if (!div.length) errs.push({ field: 'divisionCode', error: EconomyErrors.divisionUnknown() });
    else if (div[0].level !== want) errs.push({ field: 'divisionCode', error: EconomyErrors.orgDivisionInvalid() });
    else if (!isWithinAny(input.divisionCode, actor.scopesFor('economy.org.write')))
      errs.push({ field: 'divisionCode', error: EconomyErrors.divisionOutOfScope() });
    const code = normalizeCreditCode(input.creditCode);
    const taken = await queryRows(
      em,
      `SELECT 1 FROM collective_org WHERE credit_code = $1 AND id IS DISTINCT FROM $2::uuid
       UNION ALL SELECT 1 FROM platform_company WHERE credit_code = $1`,
      [code, selfId],
    );
    if (taken.length) errs.push({ field: 'creditCode', error: EconomyErrors.creditCodeTaken() });
    if (input.level === 'village' && input.status === 'active') {
      const other = await queryRows(
        em,
        `SELECT 1 FROM collective_org WHERE division_code = $1 AND level = 'village' AND status = 'active' AND id IS DISTINCT FROM $2::uuid`,
        [input.divisionCode, selfId],
      );
      if (other.length) errs.push({ field: 'divisionCode', error: EconomyErrors.orgVillageTaken() });
    }
    return errs;
  }

  /**
   * Creates or updates one organization inside `em`, writing history and audit. With `selfId` null the
   * record is matched by credit code (imports); unchanged values write nothing.
   */
  async save(
    em: EntityManager,
    actor: Actor,
    input: OrgRecord,
    selfId: string | null,
    opts: { isDemo?: boolean; matchByCode?: boolean } = {},
  ): Promise<{ id: string; outcome: SaveOutcome }> {
    const rec: OrgRecord = {
      ...input,
      creditCode: normalizeCreditCode(input.creditCode),
      name: input.name.trim(),
      chairName: input.chairName.trim(),
    };
    const errs = this.checkInput(rec);
    if (errs.length) throw errs[0].error;
    let before: OrgView | null = null;
    if (selfId) before = await this.findForUpdate(em, actor, selfId, 'economy.org.write');
    else {
      const found = await queryRows<{ id: string; division_code: string; level: string }>(
        em,
        `SELECT id, division_code, level FROM collective_org WHERE credit_code = $1`,
        [rec.creditCode],
      );
      const f = found[0];
      if (f && !opts.matchByCode) throw EconomyErrors.creditCodeTaken();
      if (
        f &&
        (f.division_code !== rec.divisionCode ||
          f.level !== rec.level ||
          !isWithinAny(f.division_code, actor.scopesFor('economy.org.write')))
      )
        throw EconomyErrors.creditCodeTaken();
      if (f) before = await this.findForUpdate(em, actor, f.id, 'economy.org.write');
    }
    if (before && (before.level !== rec.level || before.divisionCode !== rec.divisionCode)) throw EconomyErrors.orgDivisionInvalid();
    const dbErrs = await this.checkAgainstDb(em, actor, rec, before?.id ?? null);
    if (dbErrs.length) throw dbErrs[0].error;
    const params = [
      rec.name,
      rec.creditCode,
      rec.registrationNo,
      rec.registeredOn,
      rec.charterFiledOn,
      rec.chairName,
      rec.memberCount,
      rec.totalShares,
      rec.status,
    ];
    if (!before) {
      const [{ id }] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO collective_org (name, credit_code, registration_no, registered_on, charter_filed_on, chair_name, member_count, total_shares, status, level, division_code, is_demo, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
        [...params, rec.level, rec.divisionCode, opts.isDemo ?? false, this.clock.now()],
      );
      await recordChange(em, this.clock.now(), actor, { type: 'org', id, divisionCode: rec.divisionCode }, 'create', null, { ...rec });
      await this.audit.record(em, {
        actor,
        action: 'economy.org_create',
        targetType: 'collective_org',
        targetId: id,
        targetDivision: rec.divisionCode,
      });
      return { id, outcome: 'created' };
    }
    const old = recordOf(before);
    const changed = await recordChange(
      em,
      this.clock.now(),
      actor,
      { type: 'org', id: before.id, divisionCode: rec.divisionCode },
      'update',
      { ...old },
      { ...rec },
    );
    if (!changed) return { id: before.id, outcome: 'unchanged' };
    await em.query(
      `UPDATE collective_org SET name = $1, credit_code = $2, registration_no = $3, registered_on = $4, charter_filed_on = $5, chair_name = $6,
              member_count = $7, total_shares = $8, status = $9, updated_at = $11 WHERE id = $10`,
      [...params, before.id, this.clock.now()],
    );
    await this.audit.record(em, {
      actor,
      action: 'economy.org_update',
      targetType: 'collective_org',
      targetId: before.id,
      targetDivision: rec.divisionCode,
    });
    return { id: before.id, outcome: 'updated' };
  }

  async create(actor: Actor, input: OrgInput): Promise<OrgView & { history: ChangeView[] }> {
    const id = await inTransaction(this.db, async (em) => (await this.save(em, actor, this.fromInput(input), null, {})).id);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: OrgPatch): Promise<OrgView & { history: ChangeView[] }> {
    await inTransaction(this.db, async (em) => {
      const cur = recordOf(await this.findForUpdate(em, actor, id, 'economy.org.write'));
      const next: OrgRecord = { ...cur };
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
      await this.save(em, actor, next, id);
    });
    return this.get(actor, id);
  }

  private fromInput(i: OrgInput): OrgRecord {
    return {
      level: i.level,
      divisionCode: i.divisionCode,
      name: i.name,
      creditCode: i.creditCode,
      registrationNo: i.registrationNo ?? null,
      registeredOn: i.registeredOn ?? null,
      charterFiledOn: i.charterFiledOn ?? null,
      chairName: i.chairName,
      memberCount: i.memberCount,
      totalShares: i.totalShares,
      status: i.status ?? 'active',
    };
  }

  /** The organization if it lies inside the caller's scope for `permission`; otherwise 404. Locks the row. */
  async findForUpdate(em: EntityManager, actor: Actor, id: string, permission: string): Promise<OrgView> {
    const rows = await queryRows<OrgView>(
      em,
      `SELECT ${ORG_COLUMNS} FROM collective_org o JOIN division d ON d.code = o.division_code WHERE o.id = $1 FOR UPDATE OF o`,
      [id],
    );
    if (!rows.length || !isWithinAny(rows[0].divisionCode, actor.scopesFor(permission))) throw EconomyErrors.orgNotFound();
    return rows[0];
  }

  private async find(actor: Actor, id: string, permission = 'economy.org.read'): Promise<OrgView> {
    const rows = await queryRows<OrgView>(
      this.db,
      `SELECT ${ORG_COLUMNS} FROM collective_org o JOIN division d ON d.code = o.division_code WHERE o.id = $1`,
      [id],
    );
    if (!rows.length || !isWithinAny(rows[0].divisionCode, actor.scopesFor(permission))) throw EconomyErrors.orgNotFound();
    return rows[0];
  }

  async get(actor: Actor, id: string): Promise<OrgView & { officers: OfficerView[]; history: ChangeView[] }> {
    const org = await this.find(actor, id);
    return { ...org, officers: await this.officersOf(this.db.manager, id), history: await historyOf(this.db.manager, 'org', id) };
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; q?: string; level?: string; status?: string; page: number; pageSize: number },
  ): Promise<Page<OrgView>> {
    const { where, params } = this.listFilter(actor, q);
    const [{ total }] = await queryRows<{ total: number }>(
      this.db,
      `SELECT count(*)::int AS total FROM collective_org o WHERE ${where}`,
      params,
    );
    const items = await queryRows<OrgView>(
      this.db,
      `SELECT ${ORG_COLUMNS} FROM collective_org o JOIN division d ON d.code = o.division_code WHERE ${where}
        ORDER BY o.division_code, o.level, o.name LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return pageOf(items, total, q);
  }

  /** Every organization in scope (exports), ordered like the list. */
  async listAll(actor: Actor, divisionCode?: string): Promise<OrgView[]> {
    const { where, params } = this.listFilter(actor, { divisionCode });
    return queryRows<OrgView>(
      this.db,
      `SELECT ${ORG_COLUMNS} FROM collective_org o JOIN division d ON d.code = o.division_code WHERE ${where} ORDER BY o.division_code, o.level, o.name`,
      params,
    );
  }

  private listFilter(actor: Actor, q: { divisionCode?: string; q?: string; level?: string; status?: string }) {
    const scope = scopeSql('o.division_code', actor.scopesFor('economy.org.read'), 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (q.divisionCode) {
      params.push(`${q.divisionCode}%`);
      where.push(`o.division_code LIKE $${params.length}`);
    }
    if (q.q) {
      params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(o.name LIKE $${params.length} OR o.credit_code LIKE $${params.length})`);
    }
    if (q.level) {
      params.push(q.level);
      where.push(`o.level = $${params.length}`);
    }
    if (q.status) {
      params.push(q.status);
      where.push(`o.status = $${params.length}`);
    }
    return { where: where.join(' AND '), params };
  }

  async history(actor: Actor, id: string): Promise<ChangeView[]> {
    await this.find(actor, id);
    return historyOf(this.db.manager, 'org', id);
  }

  // ---------- officers ----------

  private officersOf(em: Pick<EntityManager, 'query'>, orgId: string): Promise<OfficerView[]> {
    return queryRows<OfficerView>(
      em,
      `SELECT f.person_id AS "personId", p.real_name AS "realName", f.role FROM collective_org_officer f JOIN person p ON p.id = f.person_id
        WHERE f.org_id = $1 ORDER BY CASE f.role WHEN 'chair' THEN 0 WHEN 'director' THEN 1 ELSE 2 END, p.real_name`,
      [orgId],
    );
  }

  /** Checks that every person is in the register inside the organization's division. */
  private async assertPeopleInArea(em: EntityManager, divisionCode: string, personIds: string[]): Promise<Map<string, string>> {
    if (!personIds.length) return new Map();
    const rows = await queryRows<{ id: string; real_name: string }>(
      em,
      `SELECT id, real_name FROM person WHERE id = ANY($1::uuid[]) AND home_division_code LIKE $2`,
      [personIds, `${divisionCode}%`],
    );
    if (rows.length !== new Set(personIds).size) throw EconomyErrors.personNotInRegister();
    return new Map(rows.map((r) => [r.id, r.real_name]));
  }

  /** Replaces the board (理事会, chair included) and the supervisors (监事). A supervisor may not sit on the board. */
  async setOfficers(
    actor: Actor,
    id: string,
    input: { chairPersonId: string; directorPersonIds: string[]; supervisorPersonIds: string[] },
  ) {
    const board = new Set([input.chairPersonId, ...input.directorPersonIds]);
    if (input.supervisorPersonIds.some((s) => board.has(s))) throw EconomyErrors.supervisorIsDirector();
    if (new Set(input.supervisorPersonIds).size !== input.supervisorPersonIds.length) throw EconomyErrors.supervisorIsDirector();
    await inTransaction(this.db, async (em) => {
      const org = await this.findForUpdate(em, actor, id, 'economy.org.write');
      const names = await this.assertPeopleInArea(em, org.divisionCode, [...board, ...input.supervisorPersonIds]);
      const before = await this.officersOf(em, id);
      await em.query(`DELETE FROM collective_org_officer WHERE org_id = $1`, [id]);
      const rows = [
        { personId: input.chairPersonId, role: 'chair' },
        ...[...board].filter((p) => p !== input.chairPersonId).map((personId) => ({ personId, role: 'director' })),
        ...input.supervisorPersonIds.map((personId) => ({ personId, role: 'supervisor' })),
      ];
      await em.query(
        `INSERT INTO collective_org_officer (org_id, person_id, role) SELECT $1, p, r FROM unnest($2::uuid[], $3::text[]) AS t(p, r)`,
        [id, rows.map((r) => r.personId), rows.map((r) => r.role)],
      );
      const chairName = names.get(input.chairPersonId)!;
      if (chairName !== org.chairName)
        await em.query(`UPDATE collective_org SET chair_name = $2, updated_at = $3 WHERE id = $1`, [id, chairName, this.clock.now()]);
      const describe = (list: { personId: string; role: string }[]) =>
        list
          .map(
            (o) =>
              `${o.role === 'chair' ? '理事长' : o.role === 'director' ? '理事' : '监事'}:${names.get(o.personId) ?? (o as OfficerView).realName}`,
          )
          .sort();
      const changed = await recordChange(
        em,
        this.clock.now(),
        actor,
        { type: 'org', id, divisionCode: org.divisionCode },
        'officers',
        { officers: describe(before) },
        { officers: describe(rows) },
      );
      if (changed)
        await this.audit.record(em, {
          actor,
          action: 'economy.org_officers',
          targetType: 'collective_org',
          targetId: id,
          targetDivision: org.divisionCode,
        });
    });
    return this.get(actor, id);
  }

  // ---------- members and shares ----------

  async members(actor: Actor, id: string): Promise<{ items: MemberView[]; totalShares: string; allocatedShares: string }> {
    const org = await this.find(actor, id);
    const items = await queryRows<MemberView>(
      this.db,
      `SELECT m.id, m.person_id AS "personId", p.real_name AS "realName", p.id_number_masked AS "idNumberMasked",
              to_char(m.joined_on, 'YYYY-MM-DD') AS "joinedOn", to_char(m.left_on, 'YYYY-MM-DD') AS "leftOn", m.shares::text AS shares
         FROM collective_member m JOIN person p ON p.id = m.person_id WHERE m.org_id = $1 ORDER BY m.left_on NULLS FIRST, p.real_name, m.id`,
      [id],
    );
    return { items, totalShares: org.totalShares, allocatedShares: org.allocatedShares };
  }

  async shareHistory(actor: Actor, id: string): Promise<ShareChangeView[]> {
    await this.find(actor, id);
    return queryRows<ShareChangeView>(
      this.db,
      `SELECT c.id::text AS id, c.member_id AS "memberId", p.real_name AS "realName", c.old_shares::text AS "oldShares", c.new_shares::text AS "newShares",
              c.reason, c.changed_at AS "changedAt", c.actor_name AS "actorName"
         FROM collective_share_change c JOIN collective_member m ON m.id = c.member_id JOIN person p ON p.id = m.person_id
        WHERE c.org_id = $1 ORDER BY c.id`,
      [id],
    );
  }

  private async assertSharesWithinTotal(em: EntityManager, orgId: string): Promise<void> {
    const [r] = await queryRows<{ allocated: string; total: string; over: boolean }>(
      em,
      `SELECT coalesce(sum(m.shares), 0)::text AS allocated, o.total_shares::text AS total, coalesce(sum(m.shares), 0) > o.total_shares AS over
         FROM collective_org o LEFT JOIN collective_member m ON m.org_id = o.id WHERE o.id = $1 GROUP BY o.id`,
      [orgId],
    );
    if (r.over) throw EconomyErrors.memberSharesOverTotal(r.allocated, r.total);
  }

  private async appendShareChange(
    em: EntityManager,
    actor: Actor,
    orgId: string,
    memberId: string,
    oldShares: string,
    newShares: string,
    reason: string,
  ) {
    await em.query(
      `INSERT INTO collective_share_change (member_id, org_id, old_shares, new_shares, reason, changed_at, account_id, actor_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [memberId, orgId, oldShares, newShares, reason, this.clock.now(), actor.accountId, actor.realName],
    );
  }

  async addMember(
    actor: Actor,
    id: string,
    input: { personId?: string; idNumber?: string; shares: string; joinedOn: string },
  ): Promise<MemberView> {
    const memberId = await inTransaction(this.db, async (em) => {
      const org = await this.findForUpdate(em, actor, id, 'economy.org.write');
      const personId = input.personId ?? (input.idNumber ? await this.people.findIdByIdNumber(em, input.idNumber) : null);
      if (!personId) throw EconomyErrors.personNotInRegister();
      await this.assertPeopleInArea(em, org.divisionCode, [personId]);
      const rows = await queryRows<{ id: string }>(
        em,
        `INSERT INTO collective_member (org_id, person_id, joined_on, shares) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, person_id) DO NOTHING RETURNING id`,
        [id, personId, input.joinedOn, input.shares],
      );
      if (!rows.length) throw EconomyErrors.memberDuplicate();
      await this.appendShareChange(em, actor, id, rows[0].id, '0', input.shares, '加入集体经济组织');
      await this.assertSharesWithinTotal(em, id);
      await recordChange(em, this.clock.now(), actor, { type: 'org', id, divisionCode: org.divisionCode }, 'member_add', null, {
        memberId: rows[0].id,
        personId,
        shares: input.shares,
      });
      await this.audit.record(em, {
        actor,
        action: 'economy.member_add',
        targetType: 'collective_org',
        targetId: id,
        targetDivision: org.divisionCode,
        details: { memberId: rows[0].id },
      });
      return rows[0].id;
    });
    return (await this.members(actor, id)).items.find((m) => m.id === memberId)!;
  }

  /** A new share count for a member: one more history row, never an overwrite of the past. */
  async changeShares(
    actor: Actor,
    id: string,
    memberId: string,
    input: { shares: string; reason: string; leftOn?: string },
  ): Promise<MemberView> {
    await inTransaction(this.db, async (em) => {
      const org = await this.findForUpdate(em, actor, id, 'economy.org.write');
      const rows = await queryRows<{ shares: string; left_on: string | null }>(
        em,
        `SELECT shares::text AS shares, left_on FROM collective_member WHERE id = $1 AND org_id = $2 FOR UPDATE`,
        [memberId, id],
      );
      if (!rows.length || rows[0].left_on) throw EconomyErrors.memberNotFound();
      const newShares = input.leftOn ? '0' : input.shares;
      await em.query(`UPDATE collective_member SET shares = $2, left_on = $3 WHERE id = $1`, [memberId, newShares, input.leftOn ?? null]);
      await this.appendShareChange(em, actor, id, memberId, rows[0].shares, newShares, input.reason);
      await this.assertSharesWithinTotal(em, id);
      await recordChange(
        em,
        this.clock.now(),
        actor,
        { type: 'org', id, divisionCode: org.divisionCode },
        input.leftOn ? 'member_leave' : 'member_shares',
        { memberId, shares: rows[0].shares },
        { memberId, shares: newShares, reason: input.reason },
      );
      await this.audit.record(em, {
        actor,
        action: 'economy.member_shares',
        targetType: 'collective_org',
        targetId: id,
        targetDivision: org.divisionCode,
        details: { memberId },
      });
    });
    return (await this.members(actor, id)).items.find((m) => m.id === memberId)!;
  }

  // ---------- yearly figures ----------

  checkFigures(f: OrgFigures): FieldError[] {
    if (BigInt(f.totalIncomeFen) < BigInt(f.operatingIncomeFen)) {
      return [{ field: 'totalIncomeFen', error: EconomyErrors.totalBelowOperating() }];
    }
    return [];
  }

  /** Writes one year's figures (upsert) unless the year is locked for the organization's township. */
  async saveFigures(em: EntityManager, actor: Actor, org: OrgView, year: number, f: OrgFigures): Promise<SaveOutcome> {
    const errs = this.checkFigures(f);
    if (errs.length) throw errs[0].error;
    await this.locks.assertOpen(em, org.divisionCode, year);
    const before = await queryRows<OrgFigures & { year: number }>(
      em,
      `SELECT ${FIGURE_COLUMNS} FROM org_year_figures f WHERE f.org_id = $1 AND f.year = $2 FOR UPDATE`,
      [org.id, year],
    );
    const after = {
      year,
      operatingIncomeFen: f.operatingIncomeFen,
      totalIncomeFen: f.totalIncomeFen,
      reserveFundFen: f.reserveFundFen,
      distributedFen: f.distributedFen,
    };
    const changed = await recordChange(
      em,
      this.clock.now(),
      actor,
      { type: 'org', id: org.id, divisionCode: org.divisionCode },
      `figures_${year}`,
      before[0] ? { ...before[0] } : null,
      after,
    );
    if (!changed) return 'unchanged';
    await em.query(
      `INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (org_id, year) DO UPDATE SET operating_income_fen = EXCLUDED.operating_income_fen, total_income_fen = EXCLUDED.total_income_fen,
         reserve_fund_fen = EXCLUDED.reserve_fund_fen, distributed_fen = EXCLUDED.distributed_fen, updated_at = EXCLUDED.updated_at`,
      [org.id, year, f.operatingIncomeFen, f.totalIncomeFen, f.reserveFundFen, f.distributedFen, this.clock.now()],
    );
    await this.audit.record(em, {
      actor,
      action: 'economy.org_figures',
      targetType: 'collective_org',
      targetId: org.id,
      targetDivision: org.divisionCode,
      details: { year },
    });
    return before.length ? 'updated' : 'created';
  }

  async putFigures(actor: Actor, id: string, year: number, f: OrgFigures) {
    await inTransaction(this.db, async (em) =>
      this.saveFigures(em, actor, await this.findForUpdate(em, actor, id, 'economy.org.write'), year, f),
    );
    return this.figures(actor, id);
  }

  async figures(actor: Actor, id: string): Promise<(OrgFigures & { year: number; locked: boolean })[]> {
    const org = await this.find(actor, id);
    const rows = await queryRows<OrgFigures & { year: number }>(
      this.db,
      `SELECT ${FIGURE_COLUMNS} FROM org_year_figures f WHERE f.org_id = $1 ORDER BY f.year`,
      [id],
    );
    const out: (OrgFigures & { year: number; locked: boolean })[] = [];
    for (const r of rows) out.push({ ...r, locked: await this.locks.isLocked(this.db.manager, org.divisionCode, r.year) });
    return out;
  }

  /** 民主理财: the yearly report members and the supervision committee read. */
  async yearReport(actor: Actor, id: string, year: number) {
    const org = await this.find(actor, id);
    const [fig] = await queryRows<OrgFigures & { year: number }>(
      this.db,
      `SELECT ${FIGURE_COLUMNS} FROM org_year_figures f WHERE f.org_id = $1 AND f.year = $2`,
      [id, year],
    );
    const dividends = await queryRows<{ companyName: string; amountFen: string }>(
      this.db,
      `SELECT c.name AS "companyName", d.amount_fen::text AS "amountFen" FROM company_dividend d JOIN platform_company c ON c.id = d.company_id
        WHERE d.org_id = $1 AND d.year = $2 ORDER BY c.name`,
      [id, year],
    );
    const holdings = await queryRows<{ companyName: string; contributionFen: string; shareBp: number }>(
      this.db,
      `SELECT c.name AS "companyName", s.contribution_fen::text AS "contributionFen", s.share_bp AS "shareBp"
         FROM company_shareholder s JOIN platform_company c ON c.id = s.company_id WHERE s.org_id = $1 ORDER BY c.name`,
      [id],
    );
    return {
      org: {
        id: org.id,
        name: org.name,
        creditCode: org.creditCode,
        divisionCode: org.divisionCode,
        divisionName: org.divisionName,
        totalShares: org.totalShares,
        memberCount: org.memberCount,
      },
      year,
      figures: fig ?? null,
      locked: await this.locks.isLocked(this.db.manager, org.divisionCode, year),
      dividendsReceived: dividends,
      holdings,
    };
  }
}
