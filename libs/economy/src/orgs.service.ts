import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { GrantsService, PeopleService, PersonCards } from '#identity';
import { type Actor, Clock, type Conn, type Page, type Permission, type ReadConn } from '#platform';
import { normalizeCreditCode, orgCreditCodeError } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import type { ChangeView } from './history.js';
import { HistoryRepository } from './history.repository.js';
import { OrgsRepository } from './orgs.repository.js';
import { OFFICER_ROLE_NAMES, type OfficerRole } from './names.js';
import {
  checkPlacement,
  type FieldError,
  findRecord,
  type Journal,
  journalOf,
  type JournalDeps,
  listAllRecords,
  listRecords,
  type Registry,
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
import type {
  MemberRepresentativesView,
  MemberRepresentativeView,
  MemberView,
  OfficerView,
  OrgDetail,
  OrgFigures,
  OrgInput,
  OrgPatch,
  OrgRecord,
  OrgView,
  ShareChangeView,
} from './views.js';
export type { MemberView, OfficerView, OrgFigures, OrgInput, OrgPatch, OrgRecord, OrgView, ShareChangeView } from './views.js';

/** Text order as PostgreSQL's C collation gives it (code points). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** NULLS FIRST, then text order. */
const byNullsFirst = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : byText(a, b));

/** The calendar day in 长治 (UTC+8). */
const shanghaiToday = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
export { OFFICER_ROLE_NAMES, OFFICER_ROLES, type OfficerRole } from './names.js';

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

/** Checks of a record that need no database: name, credit code against level and county. */
export function orgInputErrors(input: OrgRecord): FieldError[] {
  const errs: FieldError[] = [];
  if (!input.name.includes('集体经济组织')) errs.push({ field: 'name', error: EconomyErrors.orgNameInvalid() });
  const cc = orgCreditCodeError(input.creditCode, input.level, input.divisionCode);
  if (cc) errs.push({ field: 'creditCode', error: cc });
  return errs;
}

/** A year's figures: the total income includes the operating income. */
export function orgFigureErrors(f: OrgFigures): FieldError[] {
  if (BigInt(f.totalIncomeFen) < BigInt(f.operatingIncomeFen))
    return [{ field: 'totalIncomeFen', error: EconomyErrors.totalBelowOperating() }];
  return [];
}

const ORGS: RegistryKind<OrgRecord, OrgView> = {
  table: 'collective_org',
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
    private readonly repo: OrgsRepository,
    private readonly historyRepo: HistoryRepository,
    private readonly cards: PersonCards,
  ) {
    this.registry = { ...ORGS, store: repo };
    this.deps = { clock, audit, history: historyRepo };
  }

  private readonly registry: Registry<OrgRecord, OrgView>;
  private readonly deps: JournalDeps;

  // ---------- registry record ----------

  /** Checks that need no database: name, credit code against level and county. */
  checkInput(input: OrgRecord): FieldError[] {
    return orgInputErrors(input);
  }

  /** Checks against the database (inside the import's or request's transaction). */
  async checkAgainstDb(em: EntityManager, actor: Actor, input: OrgRecord, selfId: string | null): Promise<FieldError[]> {
    const errs = await checkPlacement(em, ORGS, actor, input, input.level === 'township' ? 'township' : 'village', selfId);
    if (input.level === 'village' && input.status === 'active' && (await this.repo.otherActiveVillageOrg(em, input.divisionCode, selfId)))
      errs.push({ field: 'divisionCode', error: EconomyErrors.orgVillageTaken() });
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
    return saveRecord({ em, actor, deps: this.deps, registry: this.registry, rules: this, rec, selfId, ...opts });
  }

  async create(actor: Actor, input: OrgInput): Promise<OrgDetail> {
    const rec = recordOf({ ...input, status: input.status ?? 'active' });
    const id = await inTransaction(this.db, async (em) => (await this.save(em, actor, rec, null, {})).id);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: OrgPatch): Promise<OrgDetail> {
    await withLockedRecord(this.db, this.registry, actor, id, (em, org) => this.save(em, actor, withPatch(recordOf(org), patch), id));
    return this.get(actor, id);
  }

  /** The organization if it lies inside the caller's scope for `permission`; otherwise 404. Locks the row. */
  findForUpdate(em: EntityManager, actor: Actor, id: string, permission: Permission): Promise<OrgView> {
    return findRecord(em, this.registry, actor, id, permission, true);
  }

  private find(actor: Actor, id: string): Promise<OrgView> {
    return findRecord(this.db, this.registry, actor, id, ORGS.readPermission, false);
  }

  private journal(em: EntityManager, actor: Actor, target: { id: string; divisionCode: string }): Journal {
    return journalOf(em, actor, this.deps, ORGS, target);
  }

  async get(actor: Actor, id: string): Promise<OrgDetail> {
    const org = await this.find(actor, id);
    return { ...org, officers: await this.officersOf(this.db, id), history: await this.historyRepo.of(this.db, 'org', id) };
  }

  list(
    actor: Actor,
    q: { divisionCode?: string; q?: string; level?: string; status?: string; page: number; pageSize: number },
  ): Promise<Page<OrgView>> {
    return listRecords(this.db, this.registry, actor, q);
  }

  /** Every organization in scope (exports), ordered like the list. */
  /** `conn`: an export passes the reporting connection (ReportingDb). */
  listAll(actor: Actor, divisionCode?: string, conn: ReadConn = this.db): Promise<OrgView[]> {
    return listAllRecords(conn, this.registry, actor, divisionCode);
  }

  async history(actor: Actor, id: string): Promise<ChangeView[]> {
    await this.find(actor, id);
    return this.historyRepo.of(this.db, 'org', id);
  }

  // ---------- officers ----------

  private async officersOf(conn: Conn, orgId: string): Promise<OfficerView[]> {
    const rows = await this.repo.officers(conn, orgId);
    const cards = await this.cards.byIds(
      conn,
      rows.map((r) => r.personId),
    );
    const rank: Record<OfficerRole, number> = { chair: 0, director: 1, supervisor: 2 };
    return rows
      .filter((r) => cards.has(r.personId))
      .map((r) => ({ personId: r.personId, realName: cards.get(r.personId)!.realName, role: r.role }))
      .sort((a, b) => rank[a.role] - rank[b.role] || byText(a.realName, b.realName));
  }

  /** Checks that every person is in the register inside the organization's division. */
  private async assertPeopleInArea(em: EntityManager, divisionCode: string, personIds: string[]): Promise<Map<string, string>> {
    if (!personIds.length) return new Map();
    const found = await this.cards.livingWithin(em, personIds, divisionCode);
    if (found.size !== new Set(personIds).size) throw EconomyErrors.personNotInRegister();
    return new Map([...found.values()].map((c) => [c.id, c.realName]));
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
    await withLockedRecord(this.db, this.registry, actor, id, async (em, org) => {
      const names = await this.assertPeopleInArea(em, org.divisionCode, [...board, ...input.supervisorPersonIds]);
      const before = await this.officersOf(em, id);
      const rows: { personId: string; role: OfficerRole }[] = [
        { personId: input.chairPersonId, role: 'chair' },
        ...[...board].filter((p) => p !== input.chairPersonId).map((personId) => ({ personId, role: 'director' as const })),
        ...input.supervisorPersonIds.map((personId) => ({ personId, role: 'supervisor' as const })),
      ];
      await this.repo.replaceOfficers(em, id, rows);
      const chairName = names.get(input.chairPersonId)!;
      if (chairName !== org.chairName) await this.repo.setChairName(em, id, chairName, this.clock.now());
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
    const rows = await this.repo.members(this.db, id);
    const cards = await this.cards.byIds(
      this.db,
      rows.map((r) => r.personId),
    );
    const items: MemberView[] = rows
      .filter((m) => cards.has(m.personId))
      .map((m) => ({ ...m, realName: cards.get(m.personId)!.realName, idNumberMasked: cards.get(m.personId)!.idNumberMasked }))
      .sort((a, b) => byNullsFirst(a.leftOn, b.leftOn) || byText(a.realName, b.realName) || byText(a.id, b.id));
    return { items, totalShares: org.totalShares, allocatedShares: org.allocatedShares };
  }

  async shareHistory(actor: Actor, id: string): Promise<ShareChangeView[]> {
    await this.find(actor, id);
    const rows = await this.repo.shareChanges(this.db, id);
    const cards = await this.cards.byIds(
      this.db,
      rows.map((r) => r.personId),
    );
    return rows
      .filter((c) => cards.has(c.personId))
      .map(({ personId, changedAt, ...c }) => ({ ...c, realName: cards.get(personId)!.realName, changedAt: changedAt.toISOString() }));
  }

  private async assertSharesWithinTotal(em: EntityManager, orgId: string): Promise<void> {
    const r = await this.repo.sharesAgainstTotal(em, orgId);
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
    await this.repo.appendShareChange(em, {
      memberId,
      orgId,
      oldShares,
      newShares,
      reason,
      at: this.clock.now(),
      accountId: actor.accountId,
      actorName: actor.realName,
    });
  }

  async addMember(
    actor: Actor,
    id: string,
    input: { personId?: string; idNumber?: string; shares: string; joinedOn: string },
  ): Promise<MemberView> {
    const memberId = await withLockedRecord(this.db, this.registry, actor, id, async (em, org) => {
      const personId = input.personId ?? (input.idNumber ? await this.people.findIdByIdNumber(em, input.idNumber) : null);
      if (!personId) throw EconomyErrors.personNotInRegister();
      await this.assertPeopleInArea(em, org.divisionCode, [personId]);
      const memberId = await this.repo.insertMember(em, { orgId: id, personId, joinedOn: input.joinedOn, shares: input.shares });
      if (!memberId) throw EconomyErrors.memberDuplicate();
      await this.appendShareChange(em, actor, id, memberId, '0', input.shares, '加入集体经济组织');
      // The register is the one source of membership: the access role follows it (decision 012).
      if (org.level !== 'township') await this.grants.ensureGrant(em, actor, personId, 'collective_member', org.divisionCode);
      await this.assertSharesWithinTotal(em, id);
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change('member_add', null, { memberId, personId, shares: input.shares });
      await journal.audit('economy.member_add', { memberId });
      return memberId;
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
    await withLockedRecord(this.db, this.registry, actor, id, async (em, org) => {
      const member = await this.repo.memberForUpdate(em, memberId, id);
      if (!member || member.leftOn) throw EconomyErrors.memberNotFound();
      const newShares = input.leftOn ? '0' : input.shares;
      await this.repo.setMemberShares(em, memberId, newShares, input.leftOn ?? null);
      await this.appendShareChange(em, actor, id, memberId, member.shares, newShares, input.reason);
      await this.assertSharesWithinTotal(em, id);
      if (input.leftOn && org.level !== 'township' && !(await this.repo.stillMemberIn(em, member.personId, org.divisionCode, memberId)))
        await this.grants.endGrant(em, actor, member.personId, 'collective_member', org.divisionCode);
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change(
        input.leftOn ? 'member_leave' : 'member_shares',
        { memberId, shares: member.shares },
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
    const rows = await this.repo.representatives(this.db, id, today);
    const cards = await this.cards.byIds(
      this.db,
      rows.map((r) => r.personId),
    );
    const items: MemberRepresentativeView[] = rows
      .filter((r) => cards.has(r.personId))
      .map((r) => ({ ...r, realName: cards.get(r.personId)!.realName, gender: cards.get(r.personId)!.gender }))
      .sort((a, b) => Number(b.inOffice) - Number(a.inOffice) || byText(a.realName, b.realName) || byText(a.electedOn, b.electedOn));
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
    await withLockedRecord(this.db, this.registry, actor, id, async (em, org) => {
      const member = await this.repo.member(em, input.memberId, id);
      if (!member || member.leftOn) throw EconomyErrors.memberNotFound();
      if (input.electedOn < member.joinedOn) throw EconomyErrors.memberRepresentativeBeforeJoining();
      // One term at a time: no other election of this member whose term covers any day of the new one.
      if (await this.repo.overlappingTerm(em, input.memberId, input.electedOn, MEMBER_REPRESENTATIVE_TERM_YEARS))
        throw EconomyErrors.memberRepresentativeDuplicate();
      const representativeId = await this.repo.insertRepresentative(em, {
        orgId: id,
        memberId: input.memberId,
        electedOn: input.electedOn,
        termYears: MEMBER_REPRESENTATIVE_TERM_YEARS,
      });
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change('member_representative_elect', null, {
        representativeId,
        memberId: input.memberId,
        electedOn: input.electedOn,
      });
      await journal.audit('economy.member_representative_elect', { representativeId, memberId: input.memberId });
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
    await withLockedRecord(this.db, this.registry, actor, id, async (em, org) => {
      const rep = await this.repo.openRepresentativeForUpdate(em, representativeId, id);
      if (!rep) throw EconomyErrors.memberRepresentativeNotFound();
      if (input.endedOn < rep.electedOn) throw EconomyErrors.memberRepresentativeEndBeforeElection();
      await this.repo.endRepresentative(em, representativeId, input.endedOn);
      const journal = this.journal(em, actor, { id, divisionCode: org.divisionCode });
      await journal.change('member_representative_end', { representativeId }, { representativeId, endedOn: input.endedOn });
      await journal.audit('economy.member_representative_end', { representativeId });
    });
    return this.memberRepresentatives(actor, id);
  }

  // ---------- yearly figures ----------

  checkFigures(f: OrgFigures): FieldError[] {
    return orgFigureErrors(f);
  }

  /** Writes one year's figures (upsert) unless the year is locked for the organization's township. */
  async saveFigures(em: EntityManager, actor: Actor, org: OrgView, year: number, f: OrgFigures): Promise<SaveOutcome> {
    const errs = this.checkFigures(f);
    if (errs.length) throw errs[0].error;
    await this.locks.assertOpen(em, org.divisionCode, year);
    const before = await this.repo.figuresOfYear(em, org.id, year, true);
    const after = {
      year,
      operatingIncomeFen: f.operatingIncomeFen,
      totalIncomeFen: f.totalIncomeFen,
      reserveFundFen: f.reserveFundFen,
      distributedFen: f.distributedFen,
    };
    const journal = this.journal(em, actor, org);
    if (!(await journal.change(`figures_${year}`, before ? { ...before } : null, after))) return 'unchanged';
    await this.repo.upsertFigures(em, org.id, year, f, this.clock.now());
    await journal.audit('economy.org_figures', { year });
    return before ? 'updated' : 'created';
  }

  async putFigures(actor: Actor, id: string, year: number, f: OrgFigures) {
    await withLockedRecord(this.db, this.registry, actor, id, (em, org) => this.saveFigures(em, actor, org, year, f));
    return this.figures(actor, id);
  }

  async figures(actor: Actor, id: string): Promise<(OrgFigures & { year: number; locked: boolean })[]> {
    const org = await this.find(actor, id);
    const rows = await this.repo.figures(this.db, id);
    return withLockFlags(this.locks, this.db, org.divisionCode, rows);
  }

  /** 民主理财: the yearly report members and the supervision committee read. */
  async yearReport(actor: Actor, id: string, year: number) {
    const org = await this.find(actor, id);
    const fig = await this.repo.figuresOfYear(this.db, id, year);
    const dividends = await this.repo.dividendsReceived(this.db, id, year);
    const holdings = await this.repo.holdings(this.db, id);
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
      locked: await this.locks.isLocked(this.db, org.divisionCode, year),
      dividendsReceived: dividends,
      holdings,
    };
  }
}
