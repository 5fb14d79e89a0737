import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { scopeSql } from '#divisions';
import { type Actor, Clock, type Page, pageOf, pageOffset, PiiCipher, queryRows } from '#platform';
import { caseAccess } from './case-access.js';
import { CASE_FACTS_COLUMNS, caseActions, type CaseFactsRow, factsOf } from './case-actions.js';
import type { CaseStatus } from './case-lifecycle.js';
import { partyView, type PartyRecord, type PartyView, showsFacts, showsRecords, type ViewLevel } from './case-privacy.js';
import { dateDeadlineState, deadlineState } from './deadlines.js';
import type { CaseListQueryDto } from './dto/case.dto.js';
import type { AgreementForm, ConfirmationOutcome, ExecutionMode } from './names.js';
import type { AssignableMediator, CaseActionsView } from './views.js';
import { MEDIATION_SETTINGS, type MediationSettings } from './mediation-settings.js';
import { MediationErrors } from './mediation.errors.js';

export interface CaseRow {
  id: string;
  caseNo: string;
  committeeCode: string;
  committeeName: string;
  originCommitteeCode: string;
  status: CaseStatus;
  outcome: string | null;
  disputeType: string;
  summary: string;
  claims: string;
  amountFen: string | null;
  source: string;
  referringBody: string | null;
  riskLevel: string;
  violenceRisk: boolean;
  nonPublic: boolean;
  appliedAt: string;
  acceptedAt: string | null;
  dueAt: string | null;
  dueUnverifiedYear: number | null;
  overdueAt: string | null;
  concludedAt: string | null;
  declineReason: string | null;
  terminateReason: string | null;
  otherChannels: string[] | null;
  escalationCount: number;
  closedAt: string | null;
  isDemo: boolean;
  assigned: string[];
}

const CASE_SQL = `SELECT c.id, c.case_no AS "caseNo", c.committee_code AS "committeeCode", d.name AS "committeeName",
       c.origin_committee_code AS "originCommitteeCode", c.status, c.outcome, c.dispute_type AS "disputeType", c.summary, c.claims,
       c.amount_fen::text AS "amountFen", c.source, c.referring_body AS "referringBody", c.risk_level AS "riskLevel",
       c.violence_risk AS "violenceRisk", c.non_public AS "nonPublic", c.applied_at AS "appliedAt", c.accepted_at AS "acceptedAt",
       c.due_at AS "dueAt", c.due_unverified_year AS "dueUnverifiedYear", c.overdue_at AS "overdueAt", c.concluded_at AS "concludedAt", c.decline_reason AS "declineReason",
       c.terminate_reason AS "terminateReason", c.other_channels AS "otherChannels", c.escalation_count AS "escalationCount",
       c.closed_at AS "closedAt", c.is_demo AS "isDemo",
       COALESCE((SELECT array_agg(a.person_id::text) FROM mediation_assignment a WHERE a.case_id = c.id AND a.ended_at IS NULL), '{}') AS assigned
  FROM mediation_case c JOIN division d ON d.code = c.committee_code`;

const PARTY_SQL = `SELECT id, ord, party_role AS "partyRole", kind, name, id_number_masked AS "idNumberMasked", phone_masked AS "phoneMasked",
       address, credit_code AS "creditCode", represents_ord AS "representsOrd", case_id AS "caseId"
  FROM mediation_party WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, ord`;

/** Reading cases: lists, the detail, "my cases", the audited reveal, deadlines and alerts. */
@Injectable()
export class CaseReadsService {
  constructor(
    private readonly db: DataSource,
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MEDIATION_SETTINGS) private readonly settings: MediationSettings,
  ) {}

  async list(actor: Actor, q: CaseListQueryDto): Promise<Page<Record<string, unknown>>> {
    const scopes = actor.scopesFor('mediation.case.read');
    const scope = scopeSql('c.committee_code', scopes, 1);
    const originScope = scopeSql('c.origin_committee_code', scopes, 1);
    const params: unknown[] = [...scope.params];
    const where = [`(${scope.sql} OR ${originScope.sql})`];
    if (q.status) where.push(`c.status = $${params.push(q.status)}`);
    if (q.disputeType) where.push(`c.dispute_type = $${params.push(q.disputeType)}`);
    if (q.divisionCode) where.push(`c.committee_code LIKE $${params.push(`${q.divisionCode}%`)}`);
    const whereSql = where.join(' AND ');
    const [{ total }] = await queryRows<{ total: number }>(
      this.db,
      `SELECT count(*)::int AS total FROM mediation_case c WHERE ${whereSql}`,
      params,
    );
    const rows = await queryRows<CaseRow>(
      this.db,
      `${CASE_SQL} WHERE ${whereSql} ORDER BY c.applied_at DESC, c.case_no LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, pageOffset(q)],
    );
    const parties = await this.partiesOf(rows.map((r) => r.id));
    const items = rows.map((r) => {
      const level = this.levelFor(actor, r);
      return this.summaryView(r, level, parties.get(r.id) ?? []);
    });
    return pageOf(items, total, q);
  }

  async get(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const r = await this.caseRow(this.db, id);
    if (!r || !caseAccess(actor, r, r.assigned).visible) throw MediationErrors.caseNotFound();
    const { actions, assignable } = await this.actionsFor(actor, r);
    return { ...(await this.detailView(r, this.levelFor(actor, r))), actions, assignable };
  }

  /**
   * What the caller may do with the case now, by the same decision the workflow refuses with; and,
   * when they may assign, the committee's mediators they could assign. A caller whose roles carry no
   * case work (county statistics, say) gets empty lists, not a list of refusals.
   */
  private async actionsFor(actor: Actor, r: CaseRow): Promise<{ actions: CaseActionsView; assignable: AssignableMediator[] }> {
    if (!actor.scopesFor('mediation.case.write').length) return { actions: { allowed: [], blocked: [] }, assignable: [] };
    const [row] = await queryRows<CaseFactsRow>(this.db, `SELECT ${CASE_FACTS_COLUMNS} FROM mediation_case c WHERE c.id = $1`, [r.id]);
    const actions = caseActions(caseAccess(actor, r, row.assigned), factsOf(row));
    const assignable = actions.allowed.includes('assign')
      ? await queryRows<AssignableMediator>(
          this.db,
          `SELECT DISTINCT p.id AS "personId", p.real_name AS name FROM role_grant g JOIN person p ON p.id = g.person_id
            WHERE g.role = 'mediator' AND g.division_code = $1 AND g.revoked_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM mediation_assignment a WHERE a.case_id = $2 AND a.person_id = g.person_id AND a.ended_at IS NULL)
            ORDER BY name, "personId"`,
          [r.committeeCode, r.id],
        )
      : [];
    return { actions, assignable };
  }

  /** The resident's own cases: those where they are a party (linked to their register record). */
  async myCases(actor: Actor, q: { page: number; pageSize: number }): Promise<Page<Record<string, unknown>>> {
    if (!actor.personId) return pageOf([], 0, q);
    const mine = `EXISTS (SELECT 1 FROM mediation_party p WHERE p.case_id = c.id AND p.person_id = $1)`;
    const [{ total }] = await queryRows<{ total: number }>(this.db, `SELECT count(*)::int AS total FROM mediation_case c WHERE ${mine}`, [
      actor.personId,
    ]);
    const rows = await queryRows<CaseRow>(this.db, `${CASE_SQL} WHERE ${mine} ORDER BY c.applied_at DESC LIMIT $2 OFFSET $3`, [
      actor.personId,
      q.pageSize,
      pageOffset(q),
    ]);
    const parties = await this.partiesOf(rows.map((r) => r.id));
    return pageOf(
      rows.map((r) => this.summaryView(r, 'party', parties.get(r.id) ?? [])),
      total,
      q,
    );
  }

  async myCase(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const r = await this.caseRow(this.db, id);
    if (!r || !actor.personId) throw MediationErrors.caseNotFound();
    const rows = await queryRows(this.db, `SELECT 1 FROM mediation_party WHERE case_id = $1 AND person_id = $2`, [id, actor.personId]);
    if (!rows.length) throw MediationErrors.caseNotFound();
    return this.detailView(r, 'party');
  }

  /** The one way to a full ID number or phone: for full viewers only, audited in the same transaction. */
  async reveal(
    actor: Actor,
    caseId: string,
    partyId: string,
    field: 'idNumber' | 'phone',
  ): Promise<{ field: string; value: string | null }> {
    return this.db.transaction(async (em) => {
      const r = await this.caseRow(em, caseId);
      if (!r) throw MediationErrors.caseNotFound();
      const access = caseAccess(actor, r, r.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      if (!access.full || !actor.can('mediation.case.reveal', r.committeeCode)) throw MediationErrors.partiesHidden();
      const [p] = await queryRows<{ id_number_enc: Buffer | null; phone_enc: Buffer | null }>(
        em,
        `SELECT id_number_enc, phone_enc FROM mediation_party WHERE id = $1 AND case_id = $2`,
        [partyId, caseId],
      );
      if (!p) throw MediationErrors.partyNotFound();
      const blob = field === 'idNumber' ? p.id_number_enc : p.phone_enc;
      await this.audit.record(em, {
        actor,
        action: 'mediation.party.reveal',
        targetType: 'mediation_party',
        targetId: partyId,
        targetDivision: r.committeeCode,
        details: { caseId, caseNo: r.caseNo, field },
      });
      return { field, value: blob ? this.pii.decrypt(blob) : null };
    });
  }

  /**
   * The case for printing one of its documents. Identifiers are masked on every document but the
   * 司法确认申请书: the court needs the parties' full identity and contact (最高人民法院关于人民调解协议
   * 司法确认程序的若干规定), so that one prints them in full, for callers who may reveal them, and each
   * print is an audited reveal in the same transaction.
   */
  async forPrint(
    actor: Actor,
    id: string,
    document: PrintDocument,
  ): Promise<{ c: CaseRow; parties: PrintParty[]; agreement: AgreementRow; mediators: string[] }> {
    const full = PRINTS_IN_FULL.includes(document);
    return this.db.transaction(async (em) => {
      const c = await this.caseRow(em, id);
      if (!c) throw MediationErrors.caseNotFound();
      const access = caseAccess(actor, c, c.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      if (!access.full) throw MediationErrors.partiesHidden();
      if (full && !actor.can('mediation.case.reveal', c.committeeCode)) throw MediationErrors.partiesHidden();
      const agreement = await this.agreementOf(em, id);
      if (!agreement) throw MediationErrors.caseNotFound();
      const rows = await queryRows<PartyRecord & { idEnc: Buffer | null; phoneEnc: Buffer | null }>(
        em,
        `SELECT id, ord, party_role AS "partyRole", kind, name, id_number_masked AS "idNumberMasked", phone_masked AS "phoneMasked", address,
                credit_code AS "creditCode", represents_ord AS "representsOrd", id_number_enc AS "idEnc", phone_enc AS "phoneEnc"
           FROM mediation_party WHERE case_id = $1 ORDER BY ord`,
        [id],
      );
      const parties = rows.map((p) => ({
        ...partyView(p, 'full'),
        idNumber: full && p.idEnc ? this.pii.decrypt(p.idEnc) : p.idNumberMasked,
        phone: full && p.phoneEnc ? this.pii.decrypt(p.phoneEnc) : p.phoneMasked,
      }));
      const mediators = await queryRows<{ name: string }>(
        em,
        `SELECT p.real_name AS name FROM mediation_assignment a JOIN person p ON p.id = a.person_id
          WHERE a.case_id = $1 AND a.ended_at IS NULL ORDER BY a.assigned_at, p.real_name`,
        [id],
      );
      if (full) {
        await this.audit.record(em, {
          actor,
          action: 'mediation.case.print_full',
          targetType: 'mediation_case',
          targetId: id,
          targetDivision: c.committeeCode,
          // Which document, and whose identifiers it printed: never the values themselves.
          details: { caseNo: c.caseNo, document, partyIds: rows.filter((p) => p.idEnc || p.phoneEnc).map((p) => p.id) },
        });
      }
      return { c, parties, agreement, mediators: mediators.map((m) => m.name) };
    });
  }

  /**
   * "Due soon" or "overdue" for one committee or a township with its villages: the mediation window
   * (open cases), the follow-up (agreed, not yet visited) and, for due soon, the 司法确认 window.
   */
  async deadlines(actor: Actor, divisionCode: string, scope: 'committee' | 'township', state: 'due_soon' | 'overdue') {
    const scopes = actor.scopesFor('mediation.case.read');
    if (!scopes.some((s) => divisionCode.startsWith(s))) throw MediationErrors.divisionNotFound();
    if (scope === 'township' && divisionCode.length !== 9) throw MediationErrors.divisionNotFound();
    const committeeFilter = scope === 'committee' ? `c.committee_code = $1` : `c.committee_code LIKE $1 || '%'`;
    const now = this.clock.now();
    const rows = await queryRows<{
      id: string;
      caseNo: string;
      committeeCode: string;
      status: CaseStatus;
      disputeType: string;
      dueAt: Date | null;
      followUpDue: string | null;
      confirmDeadline: string | null;
    }>(
      this.db,
      `SELECT c.id, c.case_no AS "caseNo", c.committee_code AS "committeeCode", c.status, c.dispute_type AS "disputeType", c.due_at AS "dueAt",
              to_char(a.follow_up_due, 'YYYY-MM-DD') AS "followUpDue",
              CASE WHEN NOT EXISTS (SELECT 1 FROM mediation_confirmation k WHERE k.case_id = c.id) THEN to_char(a.confirm_deadline, 'YYYY-MM-DD') END AS "confirmDeadline"
         FROM mediation_case c LEFT JOIN mediation_agreement a ON a.case_id = c.id
        WHERE ${committeeFilter} AND c.status IN ('accepted', 'mediating', 'agreed', 'follow_up')
        ORDER BY c.case_no`,
      [divisionCode],
    );
    const items: {
      caseId: string;
      caseNo: string;
      committeeCode: string;
      status: CaseStatus;
      disputeType: string;
      deadline: string;
      due: string;
    }[] = [];
    for (const r of rows) {
      const base = { caseId: r.id, caseNo: r.caseNo, committeeCode: r.committeeCode, status: r.status, disputeType: r.disputeType };
      if (
        (r.status === 'accepted' || r.status === 'mediating') &&
        r.dueAt &&
        deadlineState(new Date(r.dueAt), now, this.settings) === state
      ) {
        items.push({ ...base, deadline: 'mediation', due: new Date(r.dueAt).toISOString() });
      }
      if (r.status === 'agreed' && r.followUpDue && dateDeadlineState(r.followUpDue, now, this.settings) === state) {
        items.push({ ...base, deadline: 'follow_up', due: r.followUpDue });
      }
      if (state === 'due_soon' && r.confirmDeadline && dateDeadlineState(r.confirmDeadline, now, this.settings) === 'due_soon') {
        items.push({ ...base, deadline: 'confirmation', due: r.confirmDeadline });
      }
    }
    return { divisionCode, scope, state, asOf: now.toISOString(), items };
  }

  async alerts(actor: Actor, q: { page: number; pageSize: number }) {
    const s = scopeSql('al.township_code', actor.scopesFor('mediation.case.read'), 1);
    const rows = await queryRows<Record<string, unknown>>(
      this.db,
      `SELECT al.id, al.case_id AS "caseId", c.case_no AS "caseNo", al.township_code AS "townshipCode", al.kind, al.description,
              al.police_notified_at AS "policeNotifiedAt", al.police_contact AS "policeContact", al.raised_at AS "raisedAt",
              count(*) OVER ()::int AS total
         FROM mediation_alert al JOIN mediation_case c ON c.id = al.case_id
        WHERE ${s.sql} ORDER BY al.raised_at DESC LIMIT $${s.params.length + 1} OFFSET $${s.params.length + 2}`,
      [...s.params, q.pageSize, pageOffset(q)],
    );
    const total = (rows[0]?.total as number | undefined) ?? 0;
    return pageOf(
      rows.map(({ total: _t, ...r }) => r),
      total,
      q,
    );
  }

  /** The agreement with how it was executed and any 司法确认 application. */
  private async agreementOf(q: DataSource | EntityManager, caseId: string): Promise<AgreementRow | null> {
    const [a] = await queryRows<Omit<AgreementRow, 'partyExecutions' | 'mediatorSignatures' | 'confirmation'>>(q, AGREEMENT_SQL, [caseId]);
    if (!a) return null;
    const executions = await queryRows<{
      partyId: string | null;
      ord: number | null;
      mediatorPersonId: string | null;
      name: string;
      mode: ExecutionMode;
    }>(
      q,
      `SELECT e.party_id AS "partyId", p.ord, e.mediator_person_id AS "mediatorPersonId", COALESCE(p.name, m.real_name) AS name, e.mode
         FROM mediation_agreement_execution e
         LEFT JOIN mediation_party p ON p.id = e.party_id
         LEFT JOIN person m ON m.id = e.mediator_person_id
        WHERE e.case_id = $1 ORDER BY p.ord NULLS LAST, m.real_name`,
      [caseId],
    );
    const [confirmation] = await queryRows<ConfirmationView>(
      q,
      `SELECT to_char(applied_on, 'YYYY-MM-DD') AS "appliedOn", court, outcome, to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn"
         FROM mediation_confirmation WHERE case_id = $1`,
      [caseId],
    );
    return {
      ...a,
      partyExecutions: executions.filter((e) => e.partyId).map((e) => ({ partyId: e.partyId!, ord: e.ord!, mode: e.mode })),
      mediatorSignatures: executions.filter((e) => e.mediatorPersonId).map((e) => ({ personId: e.mediatorPersonId!, name: e.name })),
      confirmation: confirmation ?? null,
    };
  }

  private levelFor(actor: Actor, r: CaseRow): ViewLevel {
    return caseAccess(actor, r, r.assigned).full ? 'full' : 'restricted';
  }

  private async caseRow(q: DataSource | EntityManager, id: string): Promise<CaseRow | undefined> {
    const [r] = await queryRows<CaseRow>(q, `${CASE_SQL} WHERE c.id = $1`, [id]);
    return r;
  }

  private async partiesOf(ids: string[]): Promise<Map<string, (PartyRecord & { caseId: string })[]>> {
    const map = new Map<string, (PartyRecord & { caseId: string })[]>();
    if (!ids.length) return map;
    for (const p of await queryRows<PartyRecord & { caseId: string }>(this.db, PARTY_SQL, [ids])) {
      if (!map.has(p.caseId)) map.set(p.caseId, []);
      map.get(p.caseId)!.push(p);
    }
    return map;
  }

  private summaryView(r: CaseRow, level: ViewLevel, parties: PartyRecord[]): Record<string, unknown> {
    const now = this.clock.now();
    return {
      id: r.id,
      caseNo: r.caseNo,
      committeeCode: r.committeeCode,
      committeeName: r.committeeName,
      originCommitteeCode: r.originCommitteeCode,
      status: r.status,
      disputeType: r.disputeType,
      source: r.source,
      nonPublic: r.nonPublic,
      violenceRisk: r.violenceRisk,
      appliedAt: r.appliedAt,
      dueAt: r.dueAt,
      deadlineState:
        r.dueAt && (r.status === 'accepted' || r.status === 'mediating') ? deadlineState(new Date(r.dueAt), now, this.settings) : null,
      escalationCount: r.escalationCount,
      view: level,
      parties: parties
        .filter((p) => p.partyRole === 'applicant' || p.partyRole === 'respondent')
        .map((p) => {
          const v = partyView(p, level);
          return { role: v.role, kind: v.kind, name: v.name };
        }),
    };
  }

  private async detailView(r: CaseRow, level: ViewLevel): Promise<Record<string, unknown>> {
    const facts = showsFacts(level, r.nonPublic);
    const records = showsRecords(level);
    const parties: PartyView[] = ((await this.partiesOf([r.id])).get(r.id) ?? []).map((p) => partyView(p, level));
    const mediators = await queryRows<{
      personId: string;
      name: string;
      assignedAt: string;
      endedAt: string | null;
      committeeCode: string;
    }>(
      this.db,
      `SELECT a.person_id AS "personId", p.real_name AS name, a.assigned_at AS "assignedAt", a.ended_at AS "endedAt", a.committee_code AS "committeeCode"
         FROM mediation_assignment a JOIN person p ON p.id = a.person_id WHERE a.case_id = $1 ORDER BY a.assigned_at, p.real_name`,
      [r.id],
    );
    const sessions = await queryRows<{
      id: string;
      heldOn: string;
      place: string;
      attendees: string;
      record: string;
      mediatorPersonIds: string[];
    }>(
      this.db,
      `SELECT id, to_char(held_on, 'YYYY-MM-DD') AS "heldOn", place, attendees, record, mediator_ids::text[] AS "mediatorPersonIds"
         FROM mediation_session WHERE case_id = $1 ORDER BY held_on, created_at`,
      [r.id],
    );
    const agreement = await this.agreementOf(this.db, r.id);
    const extensions = await queryRows<{ previousDueAt: string; newDueOn: string; consentedOn: string; reason: string; createdAt: string }>(
      this.db,
      `SELECT previous_due_at AS "previousDueAt", to_char(new_due_on, 'YYYY-MM-DD') AS "newDueOn", to_char(consented_on, 'YYYY-MM-DD') AS "consentedOn",
              reason, created_at AS "createdAt"
         FROM mediation_extension WHERE case_id = $1 ORDER BY created_at`,
      [r.id],
    );
    const followUps = await queryRows(
      this.db,
      `SELECT id, to_char(visited_on, 'YYYY-MM-DD') AS "visitedOn", visitor, performance, note FROM mediation_follow_up WHERE case_id = $1 ORDER BY visited_on, created_at`,
      [r.id],
    );
    const history = await queryRows(
      this.db,
      `SELECT at, action, from_status AS "fromStatus", to_status AS "toStatus", from_committee AS "fromCommittee", to_committee AS "toCommittee", note
         FROM mediation_case_event WHERE case_id = $1 ORDER BY at, id`,
      [r.id],
    );
    const alerts = await queryRows(
      this.db,
      `SELECT id, township_code AS "townshipCode", kind, description, police_notified_at AS "policeNotifiedAt", police_contact AS "policeContact", raised_at AS "raisedAt"
         FROM mediation_alert WHERE case_id = $1 ORDER BY raised_at`,
      [r.id],
    );
    const now = this.clock.now();
    return {
      id: r.id,
      caseNo: r.caseNo,
      committeeCode: r.committeeCode,
      committeeName: r.committeeName,
      originCommitteeCode: r.originCommitteeCode,
      status: r.status,
      outcome: r.outcome,
      disputeType: r.disputeType,
      summary: facts ? r.summary : null,
      claims: facts ? r.claims : null,
      amountFen: r.amountFen,
      source: r.source,
      referringBody: r.referringBody,
      riskLevel: level === 'party' ? null : r.riskLevel,
      violenceRisk: level === 'party' ? null : r.violenceRisk,
      nonPublic: r.nonPublic,
      appliedAt: r.appliedAt,
      acceptedAt: r.acceptedAt,
      dueAt: r.dueAt,
      dueUnverifiedYear: r.dueUnverifiedYear,
      deadlineState:
        r.dueAt && (r.status === 'accepted' || r.status === 'mediating') ? deadlineState(new Date(r.dueAt), now, this.settings) : null,
      overdueAt: r.overdueAt,
      extensions: extensions.map((e) => (records ? e : { ...e, reason: null })),
      concludedAt: r.concludedAt,
      declineReason: r.declineReason,
      terminateReason: facts ? r.terminateReason : null,
      otherChannels: r.otherChannels,
      escalationCount: r.escalationCount,
      closedAt: r.closedAt,
      isDemo: r.isDemo,
      view: level,
      parties,
      mediators,
      sessions: sessions.map((s) =>
        records ? s : { id: s.id, heldOn: s.heldOn, place: s.place, attendees: null, record: null, mediatorPersonIds: s.mediatorPersonIds },
      ),
      // The agreement's text names the parties and the facts: full viewers and the parties only.
      agreement: agreement
        ? {
            form: agreement.form,
            effectiveOn: agreement.effectiveOn,
            performBy: agreement.performBy,
            confirmDeadline: agreement.confirmDeadline,
            confirmUnverifiedYear: agreement.confirmUnverifiedYear,
            followUpDue: agreement.followUpDue,
            committeeSealed: agreement.committeeSealed,
            recordedByName: agreement.recordedByName,
            partyExecutions: agreement.partyExecutions,
            mediatorSignatures: agreement.mediatorSignatures,
            confirmation: agreement.confirmation,
            ...(level === 'restricted'
              ? { facts: null, disputePoints: null, responsibilities: null, terms: null, performanceMethod: null }
              : {
                  facts: agreement.facts,
                  disputePoints: agreement.disputePoints,
                  responsibilities: agreement.responsibilities,
                  terms: agreement.terms,
                  performanceMethod: agreement.performanceMethod,
                }),
          }
        : null,
      followUps: records ? followUps : followUps.map((f) => ({ ...(f as object), note: null })),
      history: records ? history : history.map((h) => ({ ...(h as object), note: null })),
      alerts: level === 'full' ? alerts : [],
    };
  }
}

export interface ConfirmationView {
  appliedOn: string;
  court: string;
  outcome: ConfirmationOutcome | null;
  decidedOn: string | null;
}

export interface AgreementRow {
  form: AgreementForm;
  facts: string | null;
  disputePoints: string | null;
  responsibilities: string | null;
  terms: string;
  performanceMethod: string;
  performBy: string;
  effectiveOn: string;
  confirmDeadline: string;
  confirmUnverifiedYear: number | null;
  followUpDue: string;
  committeeSealed: boolean | null;
  recordedByName: string | null;
  /** Written agreements: how each party executed it (Art. 29). */
  partyExecutions: { partyId: string; ord: number; mode: ExecutionMode }[];
  mediatorSignatures: { personId: string; name: string }[];
  confirmation: ConfirmationView | null;
}

export type PrintParty = PartyView & { idNumber: string | null; phone: string | null };

/** The printable documents of a case. */
export type PrintDocument = 'agreement' | 'confirmation_application';
/** The documents that carry the parties' identifiers in full (an audited reveal); every other one is masked. */
export const PRINTS_IN_FULL: readonly PrintDocument[] = ['confirmation_application'];

const AGREEMENT_SQL = `SELECT a.form, a.facts, a.dispute_points AS "disputePoints", a.responsibilities, a.terms, a.performance_method AS "performanceMethod",
       to_char(a.perform_by, 'YYYY-MM-DD') AS "performBy", to_char(a.effective_on, 'YYYY-MM-DD') AS "effectiveOn",
       to_char(a.confirm_deadline, 'YYYY-MM-DD') AS "confirmDeadline", a.confirm_unverified_year AS "confirmUnverifiedYear",
       to_char(a.follow_up_due, 'YYYY-MM-DD') AS "followUpDue", a.committee_sealed AS "committeeSealed", r.real_name AS "recordedByName"
  FROM mediation_agreement a LEFT JOIN person r ON r.id = a.recorded_by WHERE a.case_id = $1`;
