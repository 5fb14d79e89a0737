import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, CommonErrors, type Page, pageOf, queryRows } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { DELIBERATION_SETTINGS, type DeliberationSettings } from './deliberation-settings.js';
import type { JointRequestDto } from './dto/proposal.dto.js';
import { currentElectorateSize, isInElectorateNow, type RoleRoster, shanghaiDay } from './electorate.js';
import { BODY_NAMES, type JointConvenes, type JointKind } from './names.js';
import { NotificationsService } from './notifications.service.js';
import { SqlParams } from './proposal-access.js';
import { jointFraction, jointThreshold, jointThresholdReached } from './quorum.js';
import type { JointRequestView } from './views.js';

export type { JointRequestView } from './views.js';

/** Art. 21: 1/10 of the adult villagers, or 1/3 of the village representatives (not the committee members who sit with them). */
const BASE_BODY: Record<'residents' | 'representatives', RoleRoster> = {
  residents: 'villagers_meeting',
  representatives: 'village_representatives',
};

/** Proposal states in which a forced meeting is not yet convened (its vote not opened). */
const NOT_CONVENED = ['draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'deliberation'];

const SOURCE: Record<JointConvenes, string> = {
  villagers_meeting: '《中华人民共和国村民委员会组织法》第二十一条',
  representatives_meeting: '《中华人民共和国村民委员会组织法》第二十六条',
};

/**
 * 联名提议 (村民委员会组织法 Art. 21, 26): 1/10 of adult residents or 1/3 of the village representatives
 * force a 村民会议; 1/5 of the representatives force a 村民代表会议. The base is frozen when the request
 * is filed; when the threshold is reached the request becomes a draft in the committee's queue, which
 * the committee SHALL convene (应当召集): neither the request nor the draft can be withdrawn, and the
 * township sees those not convened after the overdue period.
 */
@Injectable()
export class JointRequestsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    @Inject(DELIBERATION_SETTINGS) private readonly settings: DeliberationSettings,
  ) {}

  /**
   * Who may sign and who counts in the base: the adult villagers (the 村民会议's electorate), or the village
   * representatives themselves — not the 村民代表会议's other 组成人员 (the committee members), since the
   * statute counts "村民代表".
   */
  private async isSigner(em: EntityManager, personId: string, villageCode: string, kind: JointKind): Promise<boolean> {
    return isInElectorateNow(em, personId, villageCode, BASE_BODY[kind], shanghaiDay(this.clock.now()));
  }

  private async baseOf(em: EntityManager, villageCode: string, kind: JointKind): Promise<number> {
    return currentElectorateSize(em, villageCode, BASE_BODY[kind], shanghaiDay(this.clock.now()));
  }

  private async assertEligible(em: EntityManager, actor: Actor, villageCode: string, kind: JointKind): Promise<void> {
    if (!actor.personId || !(await this.isSigner(em, actor.personId, villageCode, kind))) throw DeliberationErrors.jointNotEligible(kind);
  }

  /**
   * Whether the actor signed the request, or is among those who may sign it (the electors of its base):
   * they see the proposal it forced from the moment it exists (proposal-access.ts).
   */
  async isSignerOrElector(em: EntityManager, actor: Actor, requestId: string): Promise<boolean> {
    if (!actor.personId) return false;
    const [r] = await queryRows<{ village_code: string; kind: JointKind; signed: boolean }>(
      em,
      `SELECT village_code, kind, EXISTS (SELECT 1 FROM joint_signature s WHERE s.request_id = j.id AND s.person_id = $2) AS signed FROM joint_request j WHERE j.id = $1`,
      [requestId, actor.personId],
    );
    if (!r || !isWithinAny(r.village_code, actor.scopesFor('proposal.read'))) return false;
    return r.signed || this.isSigner(em, actor.personId, r.village_code, r.kind);
  }

  async file(actor: Actor, dto: JointRequestDto): Promise<JointRequestView> {
    if (!isWithinAny(dto.villageCode, actor.scopesFor('proposal.cosign'))) throw DeliberationErrors.jointRequestNotFound();
    const convenes = dto.convenes ?? 'villagers_meeting';
    if (jointFraction(dto.kind, convenes) === null) throw DeliberationErrors.jointFormInvalid();
    const id = await this.db.transaction(async (em) => {
      await this.assertEligible(em, actor, dto.villageCode, dto.kind);
      const now = this.clock.now();
      const base = await this.baseOf(em, dto.villageCode, dto.kind);
      const [{ id }] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO joint_request (village_code, kind, convenes, title, body, base, threshold, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [dto.villageCode, dto.kind, convenes, dto.title, dto.body, base, jointThreshold(dto.kind, base, convenes), actor.personId, now],
      );
      await this.audit.record(em, {
        actor,
        action: 'joint_request.file',
        targetType: 'joint_request',
        targetId: id,
        targetDivision: dto.villageCode,
        details: { kind: dto.kind, convenes, base },
      });
      await this.addSignature(em, actor, id);
      return id;
    });
    return this.get(actor, id);
  }

  async sign(actor: Actor, id: string): Promise<JointRequestView> {
    await this.db.transaction(async (em) => {
      const rows = await queryRows<{ village_code: string; kind: JointKind }>(
        em,
        `SELECT village_code, kind FROM joint_request WHERE id = $1`,
        [id],
      );
      const r = rows[0];
      if (!r || !isWithinAny(r.village_code, actor.scopesFor('proposal.cosign'))) throw DeliberationErrors.jointRequestNotFound();
      await this.assertEligible(em, actor, r.village_code, r.kind);
      await this.addSignature(em, actor, id);
    });
    return this.get(actor, id);
  }

  /** Locks the request so the signature that crosses the threshold creates exactly one draft. */
  private async addSignature(em: EntityManager, actor: Actor, id: string): Promise<void> {
    const [r] = await queryRows<{
      village_code: string;
      kind: JointKind;
      convenes: JointConvenes;
      title: string;
      body: string;
      base: number;
      status: string;
    }>(em, `SELECT village_code, kind, convenes, title, body, base, status FROM joint_request WHERE id = $1 FOR UPDATE`, [id]);
    if (r.status === 'withdrawn') throw DeliberationErrors.jointWithdrawn();
    if (r.status !== 'collecting') throw DeliberationErrors.jointClosed();
    const now = this.clock.now();
    const ins = await queryRows(
      em,
      `INSERT INTO joint_signature (request_id, person_id, signed_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING person_id`,
      [id, actor.personId, shanghaiDay(now)],
    );
    if (!ins.length) throw DeliberationErrors.jointAlreadySigned();
    await this.audit.record(em, {
      actor,
      action: 'joint_request.sign',
      targetType: 'joint_request',
      targetId: id,
      targetDivision: r.village_code,
    });
    const signers = await queryRows<{ person_id: string }>(em, `SELECT person_id FROM joint_signature WHERE request_id = $1`, [id]);
    if (!jointThresholdReached(r.kind, signers.length, r.base, r.convenes)) return;
    const [{ id: proposalId }] = await queryRows<{ id: string }>(
      em,
      `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, origin, joint_request_id, created_at, updated_at)
       VALUES ($1, $2, $3, 'other', $4, 'secret', 'joint', $5, $6, $6) RETURNING id`,
      [r.village_code, r.title, r.body, r.convenes, id, now],
    );
    await em.query(
      `INSERT INTO proposal_event (proposal_id, action, from_status, to_status, at, actor_account_id, actor_name, details)
       VALUES ($1, 'joint_request_reached', NULL, 'draft', $2, NULL, '联名提议', $3)`,
      [proposalId, now, JSON.stringify({ jointRequestId: id, signatures: signers.length, base: r.base, kind: r.kind })],
    );
    await em.query(
      `UPDATE joint_request SET status = 'reached', reached_at = $2, proposal_id = $3 WHERE id = $1 AND status = 'collecting'`,
      [id, now, proposalId],
    );
    await this.audit.record(em, {
      actor,
      action: 'joint_request.reached',
      targetType: 'joint_request',
      targetId: id,
      targetDivision: r.village_code,
      details: { proposalId, signatures: signers.length },
    });
    const message = {
      kind: 'joint_threshold_reached' as const,
      proposalId,
      title: `联名提议已达到法定人数：${r.title}`,
      body: `${signers.length} 人联名（应达 ${jointThreshold(r.kind, r.base, r.convenes)} 人），已转为村委会待办议题；依据${SOURCE[r.convenes]}，村民委员会应当召集${BODY_NAMES[r.convenes]}。`,
    };
    await this.notifications.toPeople(
      em,
      signers.map((s) => s.person_id),
      message,
    );
    await this.notifications.toCommittee(em, r.village_code, message);
  }

  /** The initiator withdraws a request still collecting; one that reached its threshold must be convened. */
  async withdraw(actor: Actor, id: string): Promise<JointRequestView> {
    await this.db.transaction(async (em) => {
      const [r] = await queryRows<{ village_code: string; status: string; created_by: string }>(
        em,
        `SELECT village_code, status, created_by FROM joint_request WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!r || !isWithinAny(r.village_code, actor.scopesFor('proposal.read'))) throw DeliberationErrors.jointRequestNotFound();
      if (r.status === 'reached') throw DeliberationErrors.jointRequestMustBeConvened();
      if (r.status !== 'collecting') throw DeliberationErrors.jointWithdrawn();
      if (r.created_by !== actor.personId) throw DeliberationErrors.jointWithdrawForbidden();
      const done = await queryRows(
        em,
        `UPDATE joint_request SET status = 'withdrawn', withdrawn_at = $2 WHERE id = $1 AND status = 'collecting' RETURNING id`,
        [id, this.clock.now()],
      );
      if (!done.length) throw CommonErrors.staleState();
      await this.audit.record(em, {
        actor,
        action: 'joint_request.withdraw',
        targetType: 'joint_request',
        targetId: id,
        targetDivision: r.village_code,
      });
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<JointRequestView> {
    const params = new SqlParams();
    const where = [params.scope('j.village_code', actor.scopesFor('proposal.read')), `j.id = ${params.add(id)}::uuid`];
    const rows = await this.query(actor, params, where, 1, 0);
    if (!rows[0]) throw DeliberationErrors.jointRequestNotFound();
    return rows[0];
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; pending?: boolean; page: number; pageSize: number },
  ): Promise<Page<JointRequestView>> {
    const params = new SqlParams();
    const where = [params.scope('j.village_code', actor.scopesFor('proposal.read'))];
    if (q.divisionCode) where.push(`j.village_code LIKE ${params.add(`${q.divisionCode}%`)}`);
    if (q.pending) where.push(this.pendingSql(params));
    return this.page(actor, params, where, q);
  }

  /**
   * For township staff: requests that reached their threshold and whose meeting is still not convened
   * (no vote opened) more than the overdue period (JOINT_REQUEST_OVERDUE_DAYS) after, oldest first.
   */
  async overdue(actor: Actor, q: { divisionCode?: string; page: number; pageSize: number }): Promise<Page<JointRequestView>> {
    const params = new SqlParams();
    const where = [params.scope('j.village_code', actor.scopesFor('proposal.review')), this.pendingSql(params)];
    where.push(
      `j.reached_at <= ${params.add(new Date(this.clock.now().getTime() - this.settings.jointOverdueDays * 86_400_000))}::timestamptz`,
    );
    if (q.divisionCode) where.push(`j.village_code LIKE ${params.add(`${q.divisionCode}%`)}`);
    return this.page(actor, params, where, q, 'j.reached_at, j.id');
  }

  private pendingSql(params: SqlParams): string {
    return `j.status = 'reached' AND EXISTS (SELECT 1 FROM proposal jp WHERE jp.id = j.proposal_id AND jp.status = ANY(${params.add(NOT_CONVENED)}::text[]))`;
  }

  private async page(
    actor: Actor,
    params: SqlParams,
    where: string[],
    q: { page: number; pageSize: number },
    order?: string,
  ): Promise<Page<JointRequestView>> {
    const [{ total }] = await queryRows<{ total: number }>(
      this.db,
      `SELECT count(*)::int AS total FROM joint_request j WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return pageOf(await this.query(actor, params, where, q.pageSize, (q.page - 1) * q.pageSize, order), total, q);
  }

  private query(
    actor: Actor,
    params: SqlParams,
    where: string[],
    limit: number,
    offset: number,
    order = 'j.created_at DESC, j.id',
  ): Promise<JointRequestView[]> {
    const me = params.add(actor.personId);
    const now = params.add(this.clock.now());
    const notConvened = params.add(NOT_CONVENED);
    const overdueAfter = params.add(this.settings.jointOverdueDays);
    return queryRows<JointRequestView>(
      this.db,
      `SELECT j.id, j.village_code AS "villageCode", d.name AS "villageName", j.kind, j.convenes, j.title, j.body, j.base, j.threshold,
              (SELECT count(*)::int FROM joint_signature s WHERE s.request_id = j.id) AS signatures,
              j.status, j.proposal_id AS "proposalId", p.status AS "proposalStatus", j.created_at AS "createdAt", j.reached_at AS "reachedAt",
              CASE WHEN p.status = ANY(${notConvened}::text[]) THEN floor(extract(epoch FROM ${now}::timestamptz - j.reached_at) / 86400)::int END AS "pendingDays",
              coalesce(p.status = ANY(${notConvened}::text[]) AND j.reached_at <= ${now}::timestamptz - make_interval(days => ${overdueAfter}::int), false) AS overdue,
              EXISTS (SELECT 1 FROM joint_signature s WHERE s.request_id = j.id AND s.person_id = ${me}::uuid) AS "signedByMe",
              coalesce(j.created_by = ${me}::uuid, false) AS "createdByMe"
         FROM joint_request j JOIN division d ON d.code = j.village_code LEFT JOIN proposal p ON p.id = j.proposal_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${order} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params.values,
    );
  }
}
