import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, CommonErrors, execute, queryRows } from '#platform';
import { caseAccess, hasRelation } from './case-access.js';
import { type CaseAction, type CaseStatus, escalationTarget, nextStatus, TRANSITIONS } from './case-lifecycle.js';
import { agreementDates, cstDate, mediationDueAt } from './deadlines.js';
import type { AgreementDto, FollowUpDto, RiskDto, SessionDto, TerminateDto } from './dto/case.dto.js';
import { MEDIATION_SETTINGS, type MediationSettings } from './mediation-settings.js';
import { MediationErrors } from './mediation.errors.js';

interface LockedCase {
  id: string;
  case_no: string;
  status: CaseStatus;
  committee_code: string;
  origin_committee_code: string;
  assigned: string[];
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
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MEDIATION_SETTINGS) private readonly settings: MediationSettings,
  ) {}

  accept(actor: Actor, id: string) {
    return this.transition(actor, id, 'accept', async (em, c, now) => {
      await this.update(em, c, 'accepted', `accepted_at = $3, due_at = $4`, [now, mediationDueAt(now, this.settings)]);
      return {};
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
      if (!c.assigned.length) throw MediationErrors.mediatorsRequired();
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

  agree(actor: Actor, id: string, dto: AgreementDto) {
    return this.transition(actor, id, 'agree', async (em, c, now) => {
      const effectiveOn = dto.effectiveOn ?? cstDate(now);
      if (effectiveOn > cstDate(now)) throw MediationErrors.futureDate('effectiveOn');
      if (dto.performBy < effectiveOn) throw MediationErrors.performByBeforeEffective();
      const { confirmDeadline, followUpDue } = agreementDates(effectiveOn, this.settings);
      await em.query(
        `INSERT INTO mediation_agreement (case_id, facts, dispute_points, responsibilities, terms, performance_method, perform_by,
           effective_on, confirm_deadline, follow_up_due, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [c.id, dto.facts.trim(), dto.disputePoints.trim(), dto.responsibilities.trim(), dto.terms.trim(), dto.performanceMethod.trim(), dto.performBy, effectiveOn, confirmDeadline, followUpDue, now],
      );
      await this.update(em, c, 'agreed', `outcome = 'agreed', concluded_at = $3`, [now]);
      return { details: { effectiveOn, confirmDeadline, followUpDue } };
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
      const target = escalationTarget(c.committee_code);
      if (!target) throw MediationErrors.escalationTop();
      await em.query(`UPDATE mediation_assignment SET ended_at = $2 WHERE case_id = $1 AND ended_at IS NULL`, [c.id, now]);
      await this.update(em, c, 'accepted', `committee_code = $3, due_at = $4, escalation_count = escalation_count + 1`, [
        target,
        mediationDueAt(now, this.settings),
      ]);
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
   * The common shape: lock the row; 404 outside scope; 403 without the relation the action needs;
   * 409 in the wrong state; then the change, an event and an audit row in the same transaction.
   */
  private async transition(
    actor: Actor,
    id: string,
    action: CaseAction,
    work: (em: EntityManager, c: LockedCase, now: Date) => Promise<{ note?: string; toCommittee?: string; details?: Record<string, unknown> }>,
  ): Promise<TransitionResult> {
    return this.db.transaction(async (em) => {
      const [c] = await queryRows<LockedCase>(
        em,
        `SELECT c.id, c.case_no, c.status, c.committee_code, c.origin_committee_code,
                COALESCE((SELECT array_agg(a.person_id::text) FROM mediation_assignment a WHERE a.case_id = c.id AND a.ended_at IS NULL), '{}') AS assigned
           FROM mediation_case c WHERE c.id = $1 FOR UPDATE`,
        [id],
      );
      if (!c) throw MediationErrors.caseNotFound();
      const access = caseAccess(actor, { committeeCode: c.committee_code, originCommitteeCode: c.origin_committee_code }, c.assigned);
      if (!access.visible) throw MediationErrors.caseNotFound();
      if (!hasRelation(access, TRANSITIONS[action].who)) {
        throw TRANSITIONS[action].who === 'committee' ? MediationErrors.notCommitteeMember() : MediationErrors.notAssigned();
      }
      const to = nextStatus(action, c.status);
      if (!to) throw MediationErrors.wrongState(action, c.status);
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
