import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, CommonErrors, execute, maskResidentId, normalizeResidentId, PiiCipher, queryRows } from '#platform';
import { caseAccess } from './case-access.js';
import { CASE_FACTS_COLUMNS, type CaseFactsRow, factsOf, refusalOf } from './case-actions.js';
import { type CaseAction, type CaseStatus, escalationTarget, nextStatus } from './case-lifecycle.js';
import { agreementDates, cstDate, endOfCstDay, mediationDue } from './deadlines.js';
import type {
  AgreementDto,
  ConfirmationDto,
  ConfirmationOutcomeDto,
  ExtensionDto,
  FollowUpDto,
  IdentifierDto,
  RiskDto,
  SessionDto,
  TerminateDto,
} from './dto/case.dto.js';
import { MEDIATION_SETTINGS, type MediationSettings } from './mediation-settings.js';
import { MediationErrors } from './mediation.errors.js';

interface LockedCase extends CaseFactsRow {
  id: string;
  case_no: string;
  origin_committee_code: string;
}

export interface TransitionResult {
  id: string;
  caseNo: string;
  status: CaseStatus;
  committeeCode: string;
}

/** Every state change of a case: one transaction, the row locked, an event and an audit row. */
@Injectable()
export class CaseWorkflowService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly pii: PiiCipher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MEDIATION_SETTINGS) private readonly settings: MediationSettings,
  ) {}

  /** Acceptance; the ID numbers the case needs may be completed here (intake may have lacked them). */
  accept(actor: Actor, id: string, identifiers: IdentifierDto[] = []) {
    return this.transition(actor, id, 'accept', async (em, c, now) => {
      for (const i of identifiers) await this.completeId(em, c.id, i.partyId, i.idNumber);
      const due = mediationDue(now, this.settings);
      await this.update(em, c, 'accepted', `accepted_at = $3, due_at = $4, due_unverified_year = $5`, [now, due.dueAt, due.unverifiedYear]);
      return { details: { dueOn: due.dueOn, ...(identifiers.length ? { identified: identifiers.map((i) => i.partyId) } : {}) } };
    });
  }

  /** Completes a person party's ID number after intake (the value never goes to the audit log). */
  identify(actor: Actor, id: string, partyId: string, idNumber: string) {
    return this.transition(actor, id, 'identify', async (em, c, now) => {
      await this.completeId(em, c.id, partyId, idNumber);
      await this.touch(em, c, now);
      return { details: { partyId } };
    });
  }

  private async completeId(em: EntityManager, caseId: string, partyId: string, raw: string): Promise<void> {
    const [p] = await queryRows<{ kind: string; has_id: boolean }>(
      em,
      `SELECT kind, id_number_hash IS NOT NULL AS has_id FROM mediation_party WHERE id = $1 AND case_id = $2 FOR UPDATE`,
      [partyId, caseId],
    );
    if (!p) throw MediationErrors.partyNotFound();
    if (p.kind !== 'person') throw MediationErrors.partyNotPerson();
    if (p.has_id) throw MediationErrors.partyIdPresent();
    const idNumber = normalizeResidentId(raw);
    const hash = this.pii.hash('id', idNumber);
    const [linked] = await queryRows<{ id: string }>(em, `SELECT id FROM person WHERE id_number_hash = $1`, [hash]);
    await em.query(
      `UPDATE mediation_party SET id_number_enc = $3, id_number_hash = $4, id_number_masked = $5, person_id = COALESCE(person_id, $6)
        WHERE id = $1 AND case_id = $2`,
      [partyId, caseId, this.pii.encrypt(idNumber), hash, maskResidentId(idNumber), linked?.id ?? null],
    );
  }

  /** Past the month with the parties' consent: the new deadline is the agreed day, to its end (CST). */
  extend(actor: Actor, id: string, dto: ExtensionDto) {
    return this.transition(actor, id, 'extend', async (em, c, now) => {
      if (dto.consentedOn > cstDate(now)) throw MediationErrors.futureDate('consentedOn');
      const [{ due_at: previous }] = await queryRows<{ due_at: Date }>(em, `SELECT due_at FROM mediation_case WHERE id = $1`, [c.id]);
      const newDueAt = endOfCstDay(dto.newDueOn);
      if (newDueAt.getTime() <= new Date(previous).getTime()) throw MediationErrors.extensionNotLater(cstDate(new Date(previous)));
      await em.query(
        `INSERT INTO mediation_extension (case_id, previous_due_at, new_due_on, new_due_at, consented_on, reason, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [c.id, previous, dto.newDueOn, newDueAt, dto.consentedOn, dto.reason.trim(), now, actor.accountId],
      );
      await this.update(em, c, c.status, `due_at = $3, due_unverified_year = NULL`, [newDueAt]);
      return {
        note: dto.reason.trim(),
        details: { previousDueOn: cstDate(new Date(previous)), newDueOn: dto.newDueOn, consentedOn: dto.consentedOn },
      };
    });
  }

  decline(actor: Actor, id: string, reason: string) {
    return this.transition(actor, id, 'decline', async (em, c, now) => {
      await this.update(em, c, 'declined', `outcome = 'declined', decline_reason = $3, concluded_at = $4`, [reason.trim(), now]);
      return { note: reason.trim() };
    });
  }

  assign(actor: Actor, id: string, personIds: string[]) {
    return this.transition(actor, id, 'assign', async (em, c, now) => {
      const unique = [...new Set(personIds.map((p) => p.toLowerCase()))];
      const ok = await queryRows<{ person_id: string }>(
        em,
        `SELECT DISTINCT person_id FROM role_grant WHERE person_id = ANY($1::uuid[]) AND role = 'mediator' AND division_code = $2 AND revoked_at IS NULL`,
        [unique, c.committee_code],
      );
      const missing = unique.find((p) => !ok.some((r) => r.person_id === p));
      if (missing) throw MediationErrors.notMediator(missing);
      await em.query(
        `INSERT INTO mediation_assignment (case_id, person_id, committee_code, assigned_at)
         SELECT $1, p, $2, $3 FROM unnest($4::uuid[]) AS p
         ON CONFLICT (case_id, person_id) WHERE ended_at IS NULL DO NOTHING`,
        [c.id, c.committee_code, now, unique],
      );
      await this.touch(em, c, now);
      return { details: { mediatorPersonIds: unique } };
    });
  }

  recordSession(actor: Actor, id: string, dto: SessionDto) {
    return this.transition(actor, id, 'session', async (em, c, now) => {
      const bad = dto.mediatorPersonIds.map((p) => p.toLowerCase()).find((p) => !c.assigned.includes(p));
      if (bad) throw MediationErrors.sessionMediator(bad);
      if (dto.heldOn > cstDate(now)) throw MediationErrors.futureDate('heldOn');
      await em.query(
        `INSERT INTO mediation_session (case_id, held_on, place, mediator_ids, attendees, record, created_at, created_by)
         VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7, $8)`,
        [c.id, dto.heldOn, dto.place.trim(), dto.mediatorPersonIds, dto.attendees.trim(), dto.record.trim(), now, actor.accountId],
      );
      await this.update(em, c, 'mediating', '', []);
      return { details: { heldOn: dto.heldOn } };
    });
  }

  /**
   * The agreement (人民调解法 Art. 28–30). Written: it takes effect when every party has signed, sealed
   * or thumb-printed it, the mediators have signed it and the committee has sealed it; all of that is
   * recorded here, and the day it was complete is its effective date. Oral: recorded by a mediator,
   * effective the day the parties agreed; nobody signs.
   */
  agree(actor: Actor, id: string, dto: AgreementDto) {
    return this.transition(actor, id, 'agree', async (em, c, now) => {
      const form = dto.form ?? 'written';
      const effectiveOn = dto.effectiveOn ?? cstDate(now);
      if (effectiveOn > cstDate(now)) throw MediationErrors.futureDate('effectiveOn');
      if (dto.performBy < effectiveOn) throw MediationErrors.performByBeforeEffective();
      const parties = await queryRows<{ id: string; ord: number; role: string; kind: string; name: string; has_id: boolean }>(
        em,
        `SELECT id, ord, party_role AS role, kind, name, id_number_hash IS NOT NULL AS has_id FROM mediation_party WHERE case_id = $1 ORDER BY ord`,
        [c.id],
      );
      const principals = parties.filter((p) => p.role !== 'agent');
      let recordedBy: string | null = null;
      let mediators: string[] = [];
      if (form === 'written') {
        if (!dto.facts?.trim() || !dto.disputePoints?.trim() || !dto.responsibilities?.trim()) throw MediationErrors.agreementContents();
        const noId = principals.filter((p) => p.kind === 'person' && !p.has_id);
        if (noId.length) throw MediationErrors.partyIdsRequired(noId.map((p) => p.name));
        const executions = dto.partyExecutions ?? [];
        const seen = new Set<number>();
        for (const e of executions) {
          if (seen.has(e.ord) || !principals.some((p) => p.ord === e.ord)) throw MediationErrors.agreementExecutionParty(e.ord);
          seen.add(e.ord);
        }
        const missing = principals.filter((p) => !seen.has(p.ord));
        if (missing.length) throw MediationErrors.agreementNotExecuted(missing.map((p) => p.name));
        mediators = [...new Set((dto.mediatorPersonIds ?? c.assigned).map((p) => p.toLowerCase()))];
        if (!mediators.length || mediators.some((m) => !c.assigned.includes(m))) throw MediationErrors.agreementMediator();
        if (dto.committeeSealed !== true) throw MediationErrors.agreementNotSealed();
      } else {
        if (dto.partyExecutions?.length || dto.mediatorPersonIds?.length || dto.committeeSealed !== undefined)
          throw MediationErrors.oralAgreementExecution();
        recordedBy =
          (dto.recordedBy ?? (actor.personId && c.assigned.includes(actor.personId) ? actor.personId : c.assigned[0]))?.toLowerCase() ??
          null;
        if (!recordedBy || !c.assigned.includes(recordedBy)) throw MediationErrors.agreementMediator();
      }
      const { confirmDeadline, confirmUnverifiedYear, followUpDue } = agreementDates(effectiveOn, this.settings);
      const text = (v: string | undefined) => v?.trim() || null;
      await em.query(
        `INSERT INTO mediation_agreement (case_id, form, facts, dispute_points, responsibilities, terms, performance_method, perform_by,
           effective_on, confirm_deadline, confirm_unverified_year, follow_up_due, committee_sealed, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          c.id,
          form,
          text(dto.facts),
          text(dto.disputePoints),
          text(dto.responsibilities),
          dto.terms.trim(),
          dto.performanceMethod.trim(),
          dto.performBy,
          effectiveOn,
          confirmDeadline,
          confirmUnverifiedYear,
          followUpDue,
          form === 'written' ? true : null,
          recordedBy,
          now,
        ],
      );
      if (form === 'written') {
        const byOrd = new Map(principals.map((p) => [p.ord, p.id]));
        await em.query(
          `INSERT INTO mediation_agreement_execution (case_id, party_id, mode) SELECT $1, p, m FROM unnest($2::uuid[], $3::text[]) AS t(p, m)`,
          [c.id, dto.partyExecutions!.map((e) => byOrd.get(e.ord)), dto.partyExecutions!.map((e) => e.mode)],
        );
        await em.query(
          `INSERT INTO mediation_agreement_execution (case_id, mediator_person_id, mode) SELECT $1, m, 'sign' FROM unnest($2::uuid[]) AS m`,
          [c.id, mediators],
        );
      }
      await this.update(em, c, 'agreed', `outcome = 'agreed', concluded_at = $3`, [now]);
      return {
        details: {
          form,
          effectiveOn,
          confirmDeadline,
          followUpDue,
          ...(form === 'written' ? { executions: dto.partyExecutions!.map((e) => [e.ord, e.mode]) } : { recordedBy }),
        },
      };
    });
  }

  /** The parties' joint application for 司法确认, within 30 days of the agreement taking effect (Art. 33). */
  applyForConfirmation(actor: Actor, id: string, dto: ConfirmationDto) {
    return this.transition(actor, id, 'confirm_apply', async (em, c, now) => {
      if (dto.appliedOn > cstDate(now)) throw MediationErrors.futureDate('appliedOn');
      const [a] = await queryRows<{ effective_on: string; confirm_deadline: string; unverified: number | null }>(
        em,
        `SELECT to_char(a.effective_on, 'YYYY-MM-DD') AS effective_on, to_char(a.confirm_deadline, 'YYYY-MM-DD') AS confirm_deadline,
                a.confirm_unverified_year AS unverified
           FROM mediation_agreement a WHERE a.case_id = $1`,
        [c.id],
      );
      // refusalOf has made sure there is an agreement and no application yet (the case row is locked).
      if (dto.appliedOn < a.effective_on) throw MediationErrors.confirmationWindow(a.effective_on, a.confirm_deadline);
      // Past the unadjusted last day of a window whose year has no calendar: whether it is late cannot be told.
      if (dto.appliedOn > a.confirm_deadline) {
        if (a.unverified) throw MediationErrors.calendarMissing(a.unverified);
        throw MediationErrors.confirmationWindow(a.effective_on, a.confirm_deadline);
      }
      await em.query(
        `INSERT INTO mediation_confirmation (case_id, applied_on, court, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
        [c.id, dto.appliedOn, dto.court.trim(), now],
      );
      await this.touch(em, c, now);
      return { details: { appliedOn: dto.appliedOn, court: dto.court.trim() } };
    });
  }

  /** The court's ruling on the application: confirmed, or the application rejected. */
  recordConfirmationOutcome(actor: Actor, id: string, dto: ConfirmationOutcomeDto) {
    return this.transition(actor, id, 'confirm_decide', async (em, c, now) => {
      if (dto.decidedOn > cstDate(now)) throw MediationErrors.futureDate('decidedOn');
      // refusalOf has made sure the application is recorded and not yet ruled on (the case row is locked).
      const [k] = await queryRows<{ applied_on: string }>(
        em,
        `SELECT to_char(applied_on, 'YYYY-MM-DD') AS applied_on FROM mediation_confirmation WHERE case_id = $1 FOR UPDATE`,
        [c.id],
      );
      if (dto.decidedOn < k.applied_on) throw MediationErrors.decidedBeforeApplied();
      const n = await execute(
        em,
        `UPDATE mediation_confirmation SET outcome = $2, decided_on = $3, updated_at = $4 WHERE case_id = $1 AND outcome IS NULL`,
        [c.id, dto.outcome, dto.decidedOn, now],
      );
      if (n !== 1) throw CommonErrors.staleState();
      await this.touch(em, c, now);
      return { details: { outcome: dto.outcome, decidedOn: dto.decidedOn } };
    });
  }

  terminate(actor: Actor, id: string, dto: TerminateDto) {
    return this.transition(actor, id, 'terminate', async (em, c, now) => {
      await this.update(em, c, 'terminated', `outcome = 'terminated', concluded_at = $3, terminate_reason = $4, other_channels = $5`, [
        now,
        dto.reason.trim(),
        [...new Set(dto.otherChannels)],
      ]);
      return { note: dto.reason.trim(), details: { otherChannels: dto.otherChannels } };
    });
  }

  followUp(actor: Actor, id: string, dto: FollowUpDto) {
    return this.transition(actor, id, 'follow_up', async (em, c, now) => {
      if (dto.visitedOn > cstDate(now)) throw MediationErrors.futureDate('visitedOn');
      await em.query(
        `INSERT INTO mediation_follow_up (case_id, visited_on, visitor, performance, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.id, dto.visitedOn, dto.visitor.trim(), dto.performance, dto.note?.trim() || null, now],
      );
      await this.update(em, c, 'follow_up', '', []);
      return { details: { performance: dto.performance } };
    });
  }

  close(actor: Actor, id: string) {
    return this.transition(actor, id, 'close', async (em, c, now) => {
      await this.update(em, c, 'closed', `closed_at = $3`, [now]);
      return {};
    });
  }

  /**
   * Hands the case to the higher committee: it joins that committee's queue as accepted, with a new
   * mediation window; the lower committee's assignments end; the history stays with the case.
   * A case that went overdue below stays marked (overdue_at records that it once did).
   */
  escalate(actor: Actor, id: string, reason: string) {
    return this.transition(actor, id, 'escalate', async (em, c, now) => {
      // refusalOf has refused the county committee, the top.
      const target = escalationTarget(c.committee_code)!;
      await em.query(`UPDATE mediation_assignment SET ended_at = $2 WHERE case_id = $1 AND ended_at IS NULL`, [c.id, now]);
      const due = mediationDue(now, this.settings);
      await this.update(
        em,
        c,
        'accepted',
        `committee_code = $3, due_at = $4, due_unverified_year = $5, escalation_count = escalation_count + 1`,
        [target, due.dueAt, due.unverifiedYear],
      );
      return { note: reason.trim(), toCommittee: target };
    });
  }

  /** A risk of violence (激化): the township is alerted at once, and the report to the police is recorded (Art. 25). */
  flagRisk(actor: Actor, id: string, dto: RiskDto) {
    return this.transition(actor, id, 'flag_risk', async (em, c, now) => {
      const township = c.committee_code.slice(0, Math.min(9, c.committee_code.length));
      await em.query(
        `INSERT INTO mediation_alert (case_id, township_code, kind, description, police_notified_at, police_contact, raised_at, raised_by)
         VALUES ($1, $2, 'violence_risk', $3, $4, $5, $6, $7)`,
        [c.id, township, dto.description.trim(), new Date(dto.policeNotifiedAt), dto.policeContact.trim(), now, actor.accountId],
      );
      await this.update(em, c, c.status, `violence_risk = true, risk_level = 'high'`, []);
      return { note: dto.description.trim(), details: { townshipCode: township, policeNotifiedAt: dto.policeNotifiedAt } };
    });
  }

  /**
   * The common shape: lock the row; 404 outside scope; then refusalOf (case-actions.ts, the same
   * decision the case view lists the actions by): 403 without the relation the action needs, 409 in
   * the wrong state or while the case lacks what the action needs; then the change, an event and an
   * audit row in the same transaction.
   */
  private async transition(
    actor: Actor,
    id: string,
    action: CaseAction,
    work: (
      em: EntityManager,
      c: LockedCase,
      now: Date,
    ) => Promise<{ note?: string; toCommittee?: string; details?: Record<string, unknown> }>,
  ): Promise<TransitionResult> {
    return this.db.transaction(async (em) => {
      // Lock the case row first; the facts below are read under that lock (every writer takes it).
      const locked = await queryRows<{ id: string }>(em, `SELECT id FROM mediation_case WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked.length) throw MediationErrors.caseNotFound();
      const [c] = await queryRows<LockedCase>(
        em,
        `SELECT c.id, c.case_no, c.origin_committee_code, ${CASE_FACTS_COLUMNS} FROM mediation_case c WHERE c.id = $1`,
        [id],
      );
      const access = caseAccess(actor, { committeeCode: c.committee_code, originCommitteeCode: c.origin_committee_code }, c.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      const refused = refusalOf(action, access, factsOf(c));
      if (refused) throw refused;
      const to = nextStatus(action, c.status)!;
      const now = this.clock.now();
      const r = await work(em, c, now);
      const toCommittee = r.toCommittee ?? c.committee_code;
      await em.query(
        `INSERT INTO mediation_case_event (case_id, at, action, from_status, to_status, from_committee, to_committee, account_id, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [c.id, now, action, c.status, to, c.committee_code, toCommittee, actor.accountId, r.note ?? null],
      );
      await this.audit.record(em, {
        actor,
        action: `mediation.case.${action}`,
        targetType: 'mediation_case',
        targetId: c.id,
        targetDivision: c.committee_code,
        details: { caseNo: c.case_no, from: c.status, to, ...(r.toCommittee ? { toCommittee } : {}), ...(r.details ?? {}) },
      });
      return { id: c.id, caseNo: c.case_no, status: to, committeeCode: toCommittee };
    });
  }

  /** `UPDATE … WHERE id AND status = from`: 0 rows means someone else moved it first. */
  private async update(em: EntityManager, c: LockedCase, to: CaseStatus, set: string, params: unknown[]): Promise<void> {
    const toParam = `$${params.length + 3}`;
    const count = await execute(
      em,
      `UPDATE mediation_case SET status = ${toParam}, updated_at = now()${set ? `, ${set}` : ''} WHERE id = $1 AND status = $2`,
      [c.id, c.status, ...params, to],
    );
    if (count !== 1) throw CommonErrors.staleState();
  }

  private async touch(em: EntityManager, c: LockedCase, now: Date): Promise<void> {
    await em.query(`UPDATE mediation_case SET updated_at = $2 WHERE id = $1`, [c.id, now]);
  }
}
