import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { GrantsService, PeopleService } from '#identity';
import { type Actor, Clock, type Page, type Permission, queryRows } from '#platform';
import { normalizeCreditCode, type OrgLevel, orgCreditCodeError } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import { type ChangeView, historyOf } from './history.js';
import { OFFICER_ROLE_NAMES, type OfficerRole } from './names.js';
import {
  checkPlacement,
  type FieldError,
  findRecord,
  type Journal,
  journalOf,
  listAllRecords,
  listRecords,
  type RegistryKind,
  type SaveOutcome,
  saveRecord,
  withLockedRecord,
  withLockFlags,
  withPatch,
} from './registry-common.js';
import { MEMBER_REPRESENTATIVE_TERM_YEARS, MEMBER_REPRESENTATIVES_MORE_THAN } from './member-registers.js';
import { YearLocksService } from './year-locks.js';

export type { FieldError, SaveOutcome } from './registry-common.js';
export type { MemberRepresentativesView, MemberRepresentativeView } from './views.js';
import type { MemberRepresentativesView, MemberRepresentativeView } from './views.js';

/** The calendar day in 长治 (UTC+8). */
const shanghaiToday = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
export { OFFICER_ROLE_NAMES, OFFICER_ROLES, type OfficerRole } from './names.js';

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
  role: OfficerRole;
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

export const ORG_COLUMNS = `o.id, o.level, o.division_code AS "divisionCode", d.name AS "divisionName", o.name, o.credit_code AS "creditCode",
  o.registration_no AS "registrationNo", to_char(o.registered_on, 'YYYY-MM-DD') AS "registeredOn",
  to_char(o.charter_filed_on, 'YYYY-MM-DD') AS "charterFiledOn", o.chair_name AS "chairName", o.member_count AS "memberCount",
  o.total_shares::text AS "totalShares", o.status, o.is_demo AS "isDemo",
  (SELECT coalesce(sum(m.shares), 0)::text FROM collective_member m WHERE m.org_id = o.id) AS "allocatedShares",
  (SELECT count(*)::int FROM collective_member m WHERE m.org_id = o.id AND m.left_on IS NULL) AS "registeredMembers"`;

const FIGURE_COLUMNS = `f.year, f.operating_income_fen::text AS "operatingIncomeFen", f.total_income_fen::text AS "totalIncomeFen",
  f.reserve_fund_fen::text AS "reserveFundFen", f.distributed_fen::text AS "distributedFen"`;

/** The fields kept in history, from a view, a record or an input with its status settled. */
export const recordOf = (v: Omit<OrgInput, 'status'> & { status: string }): OrgRecord => ({
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

const ORGS: RegistryKind<OrgRecord, OrgView> = {
  table: 'collective_org',
  alias: 'o',
  columns: ORG_COLUMNS,
  writable: [
    ['name', 'name'],
    ['credit_code', 'creditCode'],
    ['registration_no', 'registrationNo'],
    ['registered_on', 'registeredOn'],
    ['charter_filed_on', 'charterFiledOn'],
    ['chair_name', 'chairName'],
    ['member_count', 'memberCount'],
    ['total_shares', 'totalShares'],
    ['status', 'status'],
  ],
  listOrder: 'o.division_code, o.level, o.name',
  entityType: 'org',
  readPermission: 'economy.org.read',
  writePermission: 'economy.org.write',
  auditPrefix: 'economy.org',
  notFound: EconomyErrors.orgNotFound,
  divisionInvalid: EconomyErrors.orgDivisionInvalid,
  recordOf,
};

/** Collective economic organizations: registry record, officers, members and shares, yearly figures. */
@Injectable()
export class OrgsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly locks: YearLocksService,
    private readonly people: PeopleService,
    private readonly grants: GrantsService,
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
    const errs = await checkPlacement(em, ORGS, actor, input, input.level === 'township' ? 'township' : 'village', selfId);
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
    return saveRecord(em, actor, { clock: this.clock, audit: this.audit }, ORGS, this, rec, selfId, opts);
  }

  async create(actor: Actor, input: OrgInput): Promise<OrgView & { history: ChangeView[] }> {
    const rec = recordOf({ ...input, status: input.status ?? 'active' });
    const id = await inTransaction(this.db, async (em) => (await this.save(em, actor, rec, null, {})).id);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: OrgPatch): Promise<OrgView & { history: ChangeView[] }> {
    await withLockedRecord(this.db, ORGS, actor, id, (em, org) => this.save(em, actor, withPatch(recordOf(org), patch), id));
    return this.get(actor, id);
  }

  /** The organization if it lies inside the caller's scope for `permission`; otherwise 404. Locks the row. */
  findForUpdate(em: EntityManager, actor: Actor, id: string, permission: Permission): Promise<OrgView> {
    return findRecord(em, ORGS, actor, id, permission, true);
  }

  private find(actor: Actor, id: string): Promise<OrgView> {
    return findRecord(this.db, ORGS, actor, id, ORGS.readPermission, false);
  }

  private journal(em: EntityManager, actor: Actor, target: { id: string; divisionCode: string }): Journal {
    return journalOf(em, actor, { clock: this.clock, audit: this.audit }, ORGS, target);
  }

  async get(actor: Actor, id: string): Promise<OrgView & { officers: OfficerView[]; history: ChangeView[] }> {
    const org = await this.find(actor, id);
    return { ...org, officers: await this.officersOf(this.db.manager, id), history: await historyOf(this.db.manager, 'org', id) };
  }

  list(
    actor: Actor,
    q: { divisionCode?: string; q?: string; level?: string; status?: string; page: number; pageSize: number },
  ): Promise<Page<OrgView>> {
    return listRecords(this.db, ORGS, actor, q);
  }

  /** Every organization in scope (exports), ordered like the list. */
  listAll(actor: Actor, divisionCode?: string): Promise<OrgView[]> {
    return listAllRecords(this.db, ORGS, actor, divisionCode);
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
    await withLockedRecord(this.db, ORGS, actor, id, async (em, org) => {
      const names = await this.assertPeopleInArea(em, org.divisionCode, [...board, ...input.supervisorPersonIds]);
      const before = await this.officersOf(em, id);
      await em.query(`DELETE FROM collective_org_officer WHERE org_id = $1`, [id]);
      const rows: { personId: string; role: OfficerRole }[] = [
        { personId: input.chairPersonId, role: 'chair' },
        ...[...board].filter((p) => p !== input.chairPersonId).map((personId) => ({ personId, role: 'director' as const })),
        ...input.supervisorPersonIds.map((personId) => ({ personId, role: 'supervisor' as const })),
      ];
      await em.query(
        `INSERT INTO collective_org_officer (org_id, person_id, role) SELECT $1, p, r FROM unnest($2::uuid[], $3::text[]) AS t(p, r)`,
        [id, rows.map((r) => r.personId), rows.map((r) => r.role)],
      );
      const chairName = names.get(input.chairPersonId)!;
      if (chairName !== org.chairName)
        await em.query(`UPDATE collective_org SET chair_name = $2, updated_at = $3 WHERE id = $1`, [id, chairName, this.clock.now()]);
      const describe = (list: { personId: string; role: OfficerRole }[]) =>
        list.map((o) => `${OFFICER_ROLE_NAMES[o.role]}:${names.get(o.personId) ?? (o as OfficerView).realName}`).sort();
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      if (await journal.change('officers', { officers: describe(before) }, { officers: describe(rows) }))
        await journal.audit('economy.org_officers');
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
    const memberId = await withLockedRecord(this.db, ORGS, actor, id, async (em, org) => {
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
      // The register is the one source of membership: the access role follows it (decision 012).
      if (org.level !== 'township') await this.grants.ensureGrant(em, actor, personId, 'collective_member', org.divisionCode);
      await this.assertSharesWithinTotal(em, id);
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change('member_add', null, { memberId: rows[0].id, personId, shares: input.shares });
      await journal.audit('economy.member_add', { memberId: rows[0].id });
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
    await withLockedRecord(this.db, ORGS, actor, id, async (em, org) => {
      const rows = await queryRows<{ shares: string; left_on: string | null; person_id: string }>(
        em,
        `SELECT shares::text AS shares, left_on, person_id FROM collective_member WHERE id = $1 AND org_id = $2 FOR UPDATE`,
        [memberId, id],
      );
      if (!rows.length || rows[0].left_on) throw EconomyErrors.memberNotFound();
      const newShares = input.leftOn ? '0' : input.shares;
      await em.query(`UPDATE collective_member SET shares = $2, left_on = $3 WHERE id = $1`, [memberId, newShares, input.leftOn ?? null]);
      await this.appendShareChange(em, actor, id, memberId, rows[0].shares, newShares, input.reason);
      await this.assertSharesWithinTotal(em, id);
      if (input.leftOn && org.level !== 'township') {
        const still = await queryRows(
          em,
          `SELECT 1 FROM collective_member m JOIN collective_org o ON o.id = m.org_id
            WHERE m.person_id = $1 AND o.division_code = $2 AND m.left_on IS NULL AND m.id <> $3`,
          [rows[0].person_id, org.divisionCode, memberId],
        );
        if (!still.length) await this.grants.endGrant(em, actor, rows[0].person_id, 'collective_member', org.divisionCode);
      }
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change(
        input.leftOn ? 'member_leave' : 'member_shares',
        { memberId, shares: rows[0].shares },
        { memberId, shares: newShares, reason: input.reason },
      );
      await journal.audit('economy.member_shares', { memberId });
    });
    return (await this.members(actor, id)).items.find((m) => m.id === memberId)!;
  }

  // ---------- 成员代表 (Art. 28) ----------

  async memberRepresentatives(actor: Actor, id: string): Promise<MemberRepresentativesView> {
    await this.find(actor, id);
    const today = shanghaiToday(this.clock.now());
    const items = await queryRows<MemberRepresentativeView>(
      this.db,
      `SELECT r.id, r.member_id AS "memberId", p.id AS "personId", p.real_name AS "realName", p.gender,
              to_char(r.elected_on, 'YYYY-MM-DD') AS "electedOn", to_char(r.term_ends_on, 'YYYY-MM-DD') AS "termEndsOn",
              to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn",
              (r.elected_on <= $2::date AND r.term_ends_on > $2::date AND (r.ended_on IS NULL OR r.ended_on > $2::date)
                AND m.joined_on <= $2::date AND (m.left_on IS NULL OR m.left_on > $2::date)) AS "inOffice"
         FROM collective_member_representative r JOIN collective_member m ON m.id = r.member_id JOIN person p ON p.id = m.person_id
        WHERE r.org_id = $1 ORDER BY "inOffice" DESC, p.real_name, r.elected_on`,
      [id, today],
    );
    const seated = new Set(items.filter((r) => r.inOffice).map((r) => r.personId));
    const women = new Set(items.filter((r) => r.inOffice && r.gender === 'F').map((r) => r.personId)).size;
    const warnings: string[] = [];
    if (seated.size <= MEMBER_REPRESENTATIVES_MORE_THAN) {
      warnings.push(
        `成员代表应当多于二十人（《中华人民共和国农村集体经济组织法》第二十八条），现有在任成员代表 ${seated.size} 名，成员代表大会不能召开`,
      );
    }
    if (seated.size > 0 && women === 0)
      warnings.push('成员代表中应当有适当数量的妇女代表（《中华人民共和国农村集体经济组织法》第二十八条），现无在任妇女成员代表');
    return { items, seated: seated.size, women, warnings };
  }

  /** Records the election of a current member as 成员代表; the term runs five years from the election day. */
  async electMemberRepresentative(
    actor: Actor,
    id: string,
    input: { memberId: string; electedOn: string },
  ): Promise<MemberRepresentativesView> {
    await withLockedRecord(this.db, ORGS, actor, id, async (em, org) => {
      const member = await queryRows<{ left_on: string | null; joined_on: string }>(
        em,
        `SELECT left_on, to_char(joined_on, 'YYYY-MM-DD') AS joined_on FROM collective_member WHERE id = $1 AND org_id = $2`,
        [input.memberId, id],
      );
      if (!member.length || member[0].left_on) throw EconomyErrors.memberNotFound();
      if (input.electedOn < member[0].joined_on) throw EconomyErrors.memberRepresentativeBeforeJoining();
      // One term at a time: no other election of this member whose term covers any day of the new one.
      const overlapping = await queryRows(
        em,
        `SELECT 1 FROM collective_member_representative
          WHERE member_id = $1 AND elected_on < ($2::date + interval '${MEMBER_REPRESENTATIVE_TERM_YEARS} years')::date
            AND term_ends_on > $2::date AND (ended_on IS NULL OR ended_on > $2::date)`,
        [input.memberId, input.electedOn],
      );
      if (overlapping.length) throw EconomyErrors.memberRepresentativeDuplicate();
      const [row] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO collective_member_representative (org_id, member_id, elected_on, term_ends_on)
         VALUES ($1, $2, $3::date, ($3::date + interval '${MEMBER_REPRESENTATIVE_TERM_YEARS} years')::date) RETURNING id`,
        [id, input.memberId, input.electedOn],
      );
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change('member_representative_elect', null, {
        representativeId: row.id,
        memberId: input.memberId,
        electedOn: input.electedOn,
      });
      await journal.audit('economy.member_representative_elect', { representativeId: row.id, memberId: input.memberId });
    });
    return this.memberRepresentatives(actor, id);
  }

  /** Ends a 成员代表's term early (resignation, recall, leaving the organization). */
  async endMemberRepresentative(
    actor: Actor,
    id: string,
    representativeId: string,
    input: { endedOn: string },
  ): Promise<MemberRepresentativesView> {
    await withLockedRecord(this.db, ORGS, actor, id, async (em, org) => {
      const rows = await queryRows<{ elected_on: string }>(
        em,
        `SELECT to_char(elected_on, 'YYYY-MM-DD') AS elected_on FROM collective_member_representative
          WHERE id = $1 AND org_id = $2 AND ended_on IS NULL FOR UPDATE`,
        [representativeId, id],
      );
      if (!rows.length) throw EconomyErrors.memberRepresentativeNotFound();
      if (input.endedOn < rows[0].elected_on) throw EconomyErrors.memberRepresentativeEndBeforeElection();
      await em.query(`UPDATE collective_member_representative SET ended_on = $2 WHERE id = $1`, [representativeId, input.endedOn]);
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change('member_representative_end', { representativeId }, { representativeId, endedOn: input.endedOn });
      await journal.audit('economy.member_representative_end', { representativeId });
    });
    return this.memberRepresentatives(actor, id);
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
    const journal = this.journal(em, actor, org);
    if (!(await journal.change(`figures_${year}`, before[0] ? { ...before[0] } : null, after))) return 'unchanged';
    await em.query(
      `INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (org_id, year) DO UPDATE SET operating_income_fen = EXCLUDED.operating_income_fen, total_income_fen = EXCLUDED.total_income_fen,
         reserve_fund_fen = EXCLUDED.reserve_fund_fen, distributed_fen = EXCLUDED.distributed_fen, updated_at = EXCLUDED.updated_at`,
      [org.id, year, f.operatingIncomeFen, f.totalIncomeFen, f.reserveFundFen, f.distributedFen, this.clock.now()],
    );
    await journal.audit('economy.org_figures', { year });
    return before.length ? 'updated' : 'created';
  }

  async putFigures(actor: Actor, id: string, year: number, f: OrgFigures) {
    await withLockedRecord(this.db, ORGS, actor, id, (em, org) => this.saveFigures(em, actor, org, year, f));
    return this.figures(actor, id);
  }

  async figures(actor: Actor, id: string): Promise<(OrgFigures & { year: number; locked: boolean })[]> {
    const org = await this.find(actor, id);
    const rows = await queryRows<OrgFigures & { year: number }>(
      this.db,
      `SELECT ${FIGURE_COLUMNS} FROM org_year_figures f WHERE f.org_id = $1 ORDER BY f.year`,
      [id],
    );
    return withLockFlags(this.locks, this.db.manager, org.divisionCode, rows);
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
