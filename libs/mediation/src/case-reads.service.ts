import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService } from '#divisions';
import { RegisterRecords } from '#identity';
import { type Actor, Clock, type Conn, type Page, pageOf, pageOffset, PiiCipher } from '#platform';
import { type AgreementRecord, AgreementsRepository } from './agreements.repository.js';
import { caseAccess } from './case-access.js';
import { caseActions } from './case-actions.js';
import { CaseFactsService } from './case-facts.service.js';
import { partyView, type PartyRecord, showsFacts, showsRecords } from './case-privacy.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { type CaseRecord, CasesRepository } from './cases.repository.js';
import { dateDeadlineState, deadlineState } from './deadlines.js';
import type { CaseListQueryDto } from './dto/case.dto.js';
import { MEDIATION_SETTINGS, type MediationSettings } from './mediation-settings.js';
import { MediationErrors } from './mediation.errors.js';
import { PartiesRepository } from './parties.repository.js';
import type {
  AlertListItem,
  AssignableMediator,
  CaseActionsView,
  CaseAgreementView,
  CaseDetail,
  CaseSummary,
  ConfirmationView,
  DeadlineItem,
  DeadlineReport,
  DeadlineState,
  PartyView,
  RevealedIdentifier,
  StaffCaseDetail,
  ViewLevel,
} from './views.js';

/** A case as read for a view or a print: its record and its committee's name. */
export interface CaseRow extends CaseRecord {
  committeeName: string;
}

/** The agreement with how it was executed and any 司法确认 application (the printed documents read it). */
export interface AgreementRow extends Omit<AgreementRecord, 'recordedBy'> {
  recordedByName: string | null;
  /** Written agreements: how each party executed it (Art. 29). */
  partyExecutions: CaseAgreementView['partyExecutions'];
  mediatorSignatures: CaseAgreementView['mediatorSignatures'];
  confirmation: ConfirmationView | null;
}

export type PrintParty = PartyView & { idNumber: string | null; phone: string | null };

/** The printable documents of a case. */
export type PrintDocument = 'agreement' | 'confirmation_application';
/** The documents that carry the parties' identifiers in full (an audited reveal); every other one is masked. */
export const PRINTS_IN_FULL: readonly PrintDocument[] = ['confirmation_application'];

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** Code-point order, as the database's C collation sorts names. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Reading cases: lists, the detail, "my cases", the audited reveal, deadlines and alerts. */
@Injectable()
export class CaseReadsService {
  constructor(
    private readonly db: DataSource,
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MEDIATION_SETTINGS) private readonly settings: MediationSettings,
    private readonly cases: CasesRepository,
    private readonly parties: PartiesRepository,
    private readonly records: CaseRecordsRepository,
    private readonly agreements: AgreementsRepository,
    private readonly facts: CaseFactsService,
    private readonly register: RegisterRecords,
    private readonly divisions: DivisionsService,
  ) {}

  async list(actor: Actor, q: CaseListQueryDto): Promise<Page<CaseSummary>> {
    const { total, rows } = await this.cases.list(
      { scopes: actor.scopesFor('mediation.case.read'), status: q.status, disputeType: q.disputeType, divisionCode: q.divisionCode },
      q.pageSize,
      pageOffset(q),
    );
    const named = await this.named(rows);
    const parties = await this.parties.ofCases(
      this.db,
      rows.map((r) => r.id),
    );
    return pageOf(
      named.map((r) => this.summaryView(r, this.levelFor(actor, r), parties.get(r.id) ?? [])),
      total,
      q,
    );
  }

  async get(actor: Actor, id: string): Promise<StaffCaseDetail> {
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
    const read = await this.facts.read(this.db, r.id);
    if (!read) throw MediationErrors.caseNotFound();
    const actions = caseActions(caseAccess(actor, r, read.record.assigned), read.facts);
    return { actions, assignable: actions.allowed.includes('assign') ? read.assignable : [] };
  }

  /** The resident's own cases: those where they are a party (linked to their register record). */
  async myCases(actor: Actor, q: { page: number; pageSize: number }): Promise<Page<CaseSummary>> {
    if (!actor.personId) return pageOf([], 0, q);
    const { total, rows } = await this.cases.ofParty(actor.personId, q.pageSize, pageOffset(q));
    const named = await this.named(rows);
    const parties = await this.parties.ofCases(
      this.db,
      rows.map((r) => r.id),
    );
    return pageOf(
      named.map((r) => this.summaryView(r, 'party', parties.get(r.id) ?? [])),
      total,
      q,
    );
  }

  async myCase(actor: Actor, id: string): Promise<CaseDetail> {
    const r = await this.caseRow(this.db, id);
    if (!r || !actor.personId) throw MediationErrors.caseNotFound();
    if (!(await this.cases.isParty(id, actor.personId))) throw MediationErrors.caseNotFound();
    return this.detailView(r, 'party');
  }

  /** The one way to a full ID number or phone: for full viewers only, audited in the same transaction. */
  async reveal(actor: Actor, caseId: string, partyId: string, field: 'idNumber' | 'phone'): Promise<RevealedIdentifier> {
    return this.db.transaction(async (em) => {
      const r = await this.cases.get(em, caseId);
      if (!r) throw MediationErrors.caseNotFound();
      const access = caseAccess(actor, r, r.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      if (!access.full || !actor.can('mediation.case.reveal', r.committeeCode)) throw MediationErrors.partiesHidden();
      const p = await this.parties.secrets(em, caseId, partyId);
      if (!p) throw MediationErrors.partyNotFound();
      const blob = field === 'idNumber' ? p.idEnc : p.phoneEnc;
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
    const printed = await this.db.transaction(async (em) => {
      const c = await this.cases.get(em, id);
      if (!c) throw MediationErrors.caseNotFound();
      const access = caseAccess(actor, c, c.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      if (!access.full) throw MediationErrors.partiesHidden();
      if (full && !actor.can('mediation.case.reveal', c.committeeCode)) throw MediationErrors.partiesHidden();
      const agreement = await this.agreementOf(em, id);
      if (!agreement) throw MediationErrors.caseNotFound();
      const rows = await this.parties.withSecrets(em, id);
      const parties = rows.map((p) => ({
        ...partyView(p, 'full'),
        idNumber: full && p.idEnc ? this.pii.decrypt(p.idEnc) : p.idNumberMasked,
        phone: full && p.phoneEnc ? this.pii.decrypt(p.phoneEnc) : p.phoneMasked,
      }));
      const mediators = (await this.mediatorsOf(em, id)).filter((m) => m.endedAt === null).map((m) => m.name);
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
      return { c, parties, agreement, mediators };
    });
    // The committee's name after the transaction: the divisions are read on a connection of their own.
    const [c] = await this.named([printed.c]);
    return { ...printed, c };
  }

  /**
   * "Due soon" or "overdue" for one committee or a township with its villages: the mediation window
   * (open cases), the follow-up (agreed, not yet visited) and, for due soon, the 司法确认 window.
   */
  async deadlines(
    actor: Actor,
    divisionCode: string,
    scope: 'committee' | 'township',
    state: 'due_soon' | 'overdue',
  ): Promise<DeadlineReport> {
    const scopes = actor.scopesFor('mediation.case.read');
    if (!scopes.some((s) => divisionCode.startsWith(s))) throw MediationErrors.divisionNotFound();
    if (scope === 'township' && divisionCode.length !== 9) throw MediationErrors.divisionNotFound();
    const now = this.clock.now();
    const rows = await this.cases.withDeadlines(divisionCode, scope === 'committee');
    const items: DeadlineItem[] = [];
    for (const r of rows) {
      const base = { caseId: r.id, caseNo: r.caseNo, committeeCode: r.committeeCode, status: r.status, disputeType: r.disputeType };
      if ((r.status === 'accepted' || r.status === 'mediating') && r.dueAt && deadlineState(r.dueAt, now, this.settings) === state) {
        items.push({ ...base, deadline: 'mediation', due: r.dueAt.toISOString() });
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

  async alerts(actor: Actor, q: { page: number; pageSize: number }): Promise<Page<AlertListItem>> {
    const { total, rows } = await this.records.alertsWithin(actor.scopesFor('mediation.case.read'), q.pageSize, pageOffset(q));
    return pageOf(
      rows.map((a) => ({
        ...a,
        policeNotifiedAt: iso(a.policeNotifiedAt),
        raisedAt: iso(a.raisedAt),
      })),
      total,
      q,
    );
  }

  /** The agreement with how it was executed and any 司法确认 application. */
  private async agreementOf(conn: Conn, caseId: string): Promise<AgreementRow | null> {
    const a = await this.agreements.get(conn, caseId);
    if (!a) return null;
    const executions = await this.agreements.executions(conn, caseId);
    const confirmation = await this.agreements.confirmation(conn, caseId);
    const signers = executions.flatMap((e) => (e.mediatorPersonId ? [e.mediatorPersonId] : []));
    const names = await this.register.names(conn, [...signers, ...(a.recordedBy ? [a.recordedBy] : [])]);
    const { recordedBy, ...rest } = a;
    return {
      ...rest,
      recordedByName: recordedBy ? (names.get(recordedBy) ?? null) : null,
      partyExecutions: executions.flatMap((e) =>
        e.partyId !== null && e.ord !== null ? [{ partyId: e.partyId, ord: e.ord, mode: e.mode }] : [],
      ),
      mediatorSignatures: signers.map((personId) => ({ personId, name: names.get(personId) ?? '' })).sort((x, y) => byText(x.name, y.name)),
      confirmation: confirmation ?? null,
    };
  }

  /** Every assignment of the case with the mediator's name, in the order made (then by name). */
  private async mediatorsOf(conn: Conn, caseId: string) {
    const rows = await this.records.assignments(conn, caseId);
    const names = await this.register.names(
      conn,
      rows.map((r) => r.personId),
    );
    return rows
      .map((r) => ({
        personId: r.personId,
        name: names.get(r.personId) ?? '',
        assignedAt: iso(r.assignedAt),
        endedAt: isoOrNull(r.endedAt),
        committeeCode: r.committeeCode,
      }))
      .sort((x, y) => byText(x.assignedAt, y.assignedAt) || byText(x.name, y.name));
  }

  private levelFor(actor: Actor, r: CaseRecord): ViewLevel {
    return caseAccess(actor, r, r.assigned).full ? 'full' : 'restricted';
  }

  private async caseRow(conn: Conn, id: string): Promise<CaseRow | undefined> {
    const r = await this.cases.get(conn, id);
    return r && (await this.named([r]))[0];
  }

  /** The cases with their committees' names (one lookup for the page). */
  private async named(rows: CaseRecord[]): Promise<CaseRow[]> {
    const names = await this.divisions.namesOf(rows.map((r) => r.committeeCode));
    return rows.map((r) => ({ ...r, committeeName: names.get(r.committeeCode) ?? r.committeeCode }));
  }

  private deadlineStateOf(r: CaseRecord): DeadlineState | null {
    return r.dueAt && (r.status === 'accepted' || r.status === 'mediating')
      ? deadlineState(r.dueAt, this.clock.now(), this.settings)
      : null;
  }

  private summaryView(r: CaseRow, level: ViewLevel, parties: PartyRecord[]): CaseSummary {
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
      appliedAt: iso(r.appliedAt),
      dueAt: isoOrNull(r.dueAt),
      deadlineState: this.deadlineStateOf(r),
      escalationCount: r.escalationCount,
      isDemo: r.isDemo,
      view: level,
      parties: parties
        .filter((p) => p.partyRole === 'applicant' || p.partyRole === 'respondent')
        .map((p) => {
          const v = partyView(p, level);
          return { role: v.role, kind: v.kind, name: v.name };
        }),
    };
  }

  private async detailView(r: CaseRow, level: ViewLevel): Promise<CaseDetail> {
    const facts = showsFacts(level, r.nonPublic);
    const records = showsRecords(level);
    const parties: PartyView[] = ((await this.parties.ofCases(this.db, [r.id])).get(r.id) ?? []).map((p) => partyView(p, level));
    const mediators = await this.mediatorsOf(this.db, r.id);
    const sessions = await this.records.sessions(this.db, r.id);
    const agreement = await this.agreementOf(this.db, r.id);
    const extensions = await this.records.extensions(this.db, r.id);
    const followUps = await this.records.followUps(this.db, r.id);
    const history = await this.records.history(this.db, r.id);
    const alerts = level === 'full' ? await this.records.alertsOf(this.db, r.id) : [];
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
      appliedAt: iso(r.appliedAt),
      acceptedAt: isoOrNull(r.acceptedAt),
      dueAt: isoOrNull(r.dueAt),
      dueUnverifiedYear: r.dueUnverifiedYear,
      deadlineState: this.deadlineStateOf(r),
      overdueAt: isoOrNull(r.overdueAt),
      extensions: extensions.map((e) => ({
        previousDueAt: iso(e.previousDueAt),
        newDueOn: e.newDueOn,
        consentedOn: e.consentedOn,
        reason: records ? e.reason : null,
        createdAt: iso(e.createdAt),
      })),
      concludedAt: isoOrNull(r.concludedAt),
      declineReason: r.declineReason,
      terminateReason: facts ? r.terminateReason : null,
      otherChannels: r.otherChannels,
      escalationCount: r.escalationCount,
      closedAt: isoOrNull(r.closedAt),
      isDemo: r.isDemo,
      view: level,
      parties,
      mediators,
      sessions: sessions.map((s) => (records ? s : { ...s, attendees: null, record: null })),
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
      followUps: records ? followUps : followUps.map((f) => ({ ...f, note: null })),
      history: history.map((h) => ({ ...h, at: iso(h.at), note: records ? h.note : null })),
      alerts: alerts.map((a) => ({ ...a, policeNotifiedAt: iso(a.policeNotifiedAt), raisedAt: iso(a.raisedAt) })),
    };
  }
}
