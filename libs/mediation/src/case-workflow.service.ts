import { Inject, Injectable } from '@nestjs/common';
import type { UpdateObject } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { RegisterRecords, RoleHolders } from '#identity';
import { type Actor, Clock, CommonErrors, type DB, maskResidentId, normalizeResidentId, PiiCipher } from '#platform';
import { AgreementsRepository } from './agreements.repository.js';
import { caseAccess } from './case-access.js';
import { refusalOf } from './case-actions.js';
import { CaseFactsService } from './case-facts.service.js';
import { type CaseAction, type CaseStatus, escalationTarget, nextStatus } from './case-lifecycle.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { type CaseFactsRecord, CasesRepository } from './cases.repository.js';
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
import { PartiesRepository } from './parties.repository.js';
import type { CaseTransition } from './views.js';

type LockedCase = CaseFactsRecord;

export type TransitionResult = CaseTransition;

/** Every state change of a case: one transaction, the row locked, an event and an audit row. */
@Injectable()
export class CaseWorkflowService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly pii: PiiCipher,
    private readonly cases: CasesRepository,
    private readonly parties: PartiesRepository,
    private readonly records: CaseRecordsRepository,
    private readonly agreements: AgreementsRepository,
    private readonly facts: CaseFactsService,
    private readonly roles: RoleHolders,
    private readonly registry: RegisterRecords,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MEDIATION_SETTINGS) private readonly settings: MediationSettings,
  ) {}

  /** Acceptance; the ID numbers the case needs may be completed here (intake may have lacked them). */
  accept(actor: Actor, id: string, identifiers: IdentifierDto[] = []) {
    return this.transition(actor, id, 'accept', async (em, c, now) => {
      for (const i of identifiers) await this.completeId(em, c.id, i.partyId, i.idNumber);
      const due = mediationDue(now, this.settings);
      await this.update(em, c, 'accepted', { accepted_at: now, due_at: due.dueAt, due_unverified_year: due.unverifiedYear });
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
    const p = await this.parties.lockForId(em, caseId, partyId);
    if (!p) throw MediationErrors.partyNotFound();
    if (p.kind !== 'person') throw MediationErrors.partyNotPerson();
    if (p.hasId) throw MediationErrors.partyIdPresent();
    const idNumber = normalizeResidentId(raw);
    const hash = this.pii.hash('id', idNumber);
    const linked = await this.registry.idByIdNumberHash(em, hash);
    await this.parties.setIdNumber(em, caseId, partyId, {
      enc: this.pii.encrypt(idNumber),
      hash,
      masked: maskResidentId(idNumber),
      personId: linked,
    });
  }

  /** Past the month with the parties' consent: the new deadline is the agreed day, to its end (CST). */
  extend(actor: Actor, id: string, dto: ExtensionDto) {
    return this.transition(actor, id, 'extend', async (em, c, now) => {
      if (dto.consentedOn > cstDate(now)) throw MediationErrors.futureDate('consentedOn');
      // An accepted case always has its window (accept sets it); extend applies to accepted and mediating cases only.
      const previous = (await this.cases.dueAt(em, c.id))!;
      const newDueAt = endOfCstDay(dto.newDueOn);
      if (newDueAt.getTime() <= previous.getTime()) throw MediationErrors.extensionNotLater(cstDate(previous));
      await this.records.addExtension(em, {
        caseId: c.id,
        previousDueAt: previous,
        newDueOn: dto.newDueOn,
        newDueAt,
        consentedOn: dto.consentedOn,
        reason: dto.reason.trim(),
        at: now,
        by: actor.accountId,
      });
      await this.update(em, c, c.status, { due_at: newDueAt, due_unverified_year: null });
      return {
        note: dto.reason.trim(),
        details: { previousDueOn: cstDate(previous), newDueOn: dto.newDueOn, consentedOn: dto.consentedOn },
      };
    });
  }

  decline(actor: Actor, id: string, reason: string) {
    return this.transition(actor, id, 'decline', async (em, c, now) => {
      await this.update(em, c, 'declined', { outcome: 'declined', decline_reason: reason.trim(), concluded_at: now });
      return { note: reason.trim() };
    });
  }

  assign(actor: Actor, id: string, personIds: string[]) {
    return this.transition(actor, id, 'assign', async (em, c, now) => {
      const unique = [...new Set(personIds.map((p) => p.toLowerCase()))];
      const ok = await this.roles.holding(em, unique, 'mediator', c.committeeCode);
      const missing = unique.find((p) => !ok.includes(p));
      if (missing) throw MediationErrors.notMediator(missing);
      await this.records.assign(em, c.id, c.committeeCode, unique, now);
      await this.touch(em, c, now);
      return { details: { mediatorPersonIds: unique } };
    });
  }

  recordSession(actor: Actor, id: string, dto: SessionDto) {
    return this.transition(actor, id, 'session', async (em, c, now) => {
      const bad = dto.mediatorPersonIds.map((p) => p.toLowerCase()).find((p) => !c.assigned.includes(p));
      if (bad) throw MediationErrors.sessionMediator(bad);
      if (dto.heldOn > cstDate(now)) throw MediationErrors.futureDate('heldOn');
      await this.records.addSession(em, {
        caseId: c.id,
        heldOn: dto.heldOn,
        place: dto.place.trim(),
        mediatorIds: dto.mediatorPersonIds,
        attendees: dto.attendees.trim(),
        record: dto.record.trim(),
        at: now,
        by: actor.accountId,
      });
      await this.update(em, c, 'mediating');
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
      const parties = await this.parties.principals(em, c.id);
      const principals = parties.filter((p) => p.role !== 'agent');
      let recordedBy: string | null = null;
      let mediators: string[] = [];
      if (form === 'written') {
        if (!dto.facts?.trim() || !dto.disputePoints?.trim() || !dto.responsibilities?.trim()) throw MediationErrors.agreementContents();
        const noId = principals.filter((p) => p.kind === 'person' && !p.hasId);
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
      await this.agreements.insert(em, {
        caseId: c.id,
        form,
        facts: text(dto.facts),
        disputePoints: text(dto.disputePoints),
        responsibilities: text(dto.responsibilities),
        terms: dto.terms.trim(),
        performanceMethod: dto.performanceMethod.trim(),
        performBy: dto.performBy,
        effectiveOn,
        confirmDeadline,
        confirmUnverifiedYear,
        followUpDue,
        committeeSealed: form === 'written' ? true : null,
        recordedBy,
        at: now,
      });
      if (form === 'written') {
        const byOrd = new Map(principals.map((p) => [p.ord, p.id]));
        await this.agreements.addExecutions(
          em,
          c.id,
          dto.partyExecutions!.map((e) => ({ partyId: byOrd.get(e.ord)!, mode: e.mode })),
          mediators,
        );
      }
      await this.update(em, c, 'agreed', { outcome: 'agreed', concluded_at: now });
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
      // refusalOf has made sure there is an agreement and no application yet (the case row is locked).
      const a = (await this.agreements.window(em, c.id))!;
      if (dto.appliedOn < a.effectiveOn) throw MediationErrors.confirmationWindow(a.effectiveOn, a.confirmDeadline);
      // Past the unadjusted last day of a window whose year has no calendar: whether it is late cannot be told.
      if (dto.appliedOn > a.confirmDeadline) {
        if (a.unverifiedYear) throw MediationErrors.calendarMissing(a.unverifiedYear);
        throw MediationErrors.confirmationWindow(a.effectiveOn, a.confirmDeadline);
      }
      await this.agreements.applyForConfirmation(em, c.id, dto.appliedOn, dto.court.trim(), now);
      await this.touch(em, c, now);
      return { details: { appliedOn: dto.appliedOn, court: dto.court.trim() } };
    });
  }

  /** The court's ruling on the application: confirmed, or the application rejected. */
  recordConfirmationOutcome(actor: Actor, id: string, dto: ConfirmationOutcomeDto) {
    return this.transition(actor, id, 'confirm_decide', async (em, c, now) => {
      if (dto.decidedOn > cstDate(now)) throw MediationErrors.futureDate('decidedOn');
      // refusalOf has made sure the application is recorded and not yet ruled on (the case row is locked).
      const appliedOn = (await this.agreements.lockApplication(em, c.id))!;
      if (dto.decidedOn < appliedOn) throw MediationErrors.decidedBeforeApplied();
      const n = await this.agreements.decide(em, c.id, dto.outcome, dto.decidedOn, now);
      if (n !== 1) throw CommonErrors.staleState();
      await this.touch(em, c, now);
      return { details: { outcome: dto.outcome, decidedOn: dto.decidedOn } };
    });
  }

  terminate(actor: Actor, id: string, dto: TerminateDto) {
    return this.transition(actor, id, 'terminate', async (em, c, now) => {
      await this.update(em, c, 'terminated', {
        outcome: 'terminated',
        concluded_at: now,
        terminate_reason: dto.reason.trim(),
        other_channels: [...new Set(dto.otherChannels)],
      });
      return { note: dto.reason.trim(), details: { otherChannels: dto.otherChannels } };
    });
  }

  followUp(actor: Actor, id: string, dto: FollowUpDto) {
    return this.transition(actor, id, 'follow_up', async (em, c, now) => {
      if (dto.visitedOn > cstDate(now)) throw MediationErrors.futureDate('visitedOn');
      await this.records.addFollowUp(em, {
        caseId: c.id,
        visitedOn: dto.visitedOn,
        visitor: dto.visitor.trim(),
        performance: dto.performance,
        note: dto.note?.trim() || null,
        at: now,
      });
      await this.update(em, c, 'follow_up');
      return { details: { performance: dto.performance } };
    });
  }

  close(actor: Actor, id: string) {
    return this.transition(actor, id, 'close', async (em, c, now) => {
      await this.update(em, c, 'closed', { closed_at: now });
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
      const target = escalationTarget(c.committeeCode)!;
      await this.records.endAssignments(em, c.id, now);
      const due = mediationDue(now, this.settings);
      await this.update(em, c, 'accepted', {
        committee_code: target,
        due_at: due.dueAt,
        due_unverified_year: due.unverifiedYear,
        escalation_count: (eb) => eb('escalation_count', '+', 1),
      });
      return { note: reason.trim(), toCommittee: target };
    });
  }

  /** A risk of violence (激化): the township is alerted at once, and the report to the police is recorded (Art. 25). */
  flagRisk(actor: Actor, id: string, dto: RiskDto) {
    return this.transition(actor, id, 'flag_risk', async (em, c, now) => {
      const township = c.committeeCode.slice(0, Math.min(9, c.committeeCode.length));
      await this.records.addAlert(em, {
        caseId: c.id,
        townshipCode: township,
        description: dto.description.trim(),
        policeNotifiedAt: new Date(dto.policeNotifiedAt),
        policeContact: dto.policeContact.trim(),
        at: now,
        by: actor.accountId,
      });
      await this.update(em, c, c.status, { violence_risk: true, risk_level: 'high' });
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
      if (!(await this.cases.lock(em, id))) throw MediationErrors.caseNotFound();
      const read = (await this.facts.read(em, id))!;
      const c = read.record;
      const access = caseAccess(actor, c, c.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      const refused = refusalOf(action, access, read.facts);
      if (refused) throw refused;
      const to = nextStatus(action, c.status)!;
      const now = this.clock.now();
      const r = await work(em, c, now);
      const toCommittee = r.toCommittee ?? c.committeeCode;
      await this.cases.addEvent(em, {
        caseId: c.id,
        at: now,
        action,
        fromStatus: c.status,
        toStatus: to,
        fromCommittee: c.committeeCode,
        toCommittee,
        accountId: actor.accountId,
        note: r.note ?? null,
      });
      await this.audit.record(em, {
        actor,
        action: `mediation.case.${action}`,
        targetType: 'mediation_case',
        targetId: c.id,
        targetDivision: c.committeeCode,
        details: { caseNo: c.caseNo, from: c.status, to, ...(r.toCommittee ? { toCommittee } : {}), ...(r.details ?? {}) },
      });
      return { id: c.id, caseNo: c.caseNo, status: to, committeeCode: toCommittee };
    });
  }

  /** `UPDATE … WHERE id AND status = from`: 0 rows means someone else moved it first. */
  private async update(em: EntityManager, c: LockedCase, to: CaseStatus, set: UpdateObject<DB, 'mediation_case'> = {}): Promise<void> {
    if ((await this.cases.move(em, c.id, c.status, to, set)) !== 1) throw CommonErrors.staleState();
  }

  private async touch(em: EntityManager, c: LockedCase, now: Date): Promise<void> {
    await this.cases.touch(em, c.id, now);
  }
}
