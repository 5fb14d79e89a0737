import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, type Page, pageOf, queryRows } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import type { JointRequestDto } from './dto/proposal.dto.js';
import { currentElectorateSize, isInElectorateNow, type RoleRoster, shanghaiDay } from './electorate.js';
import { NotificationsService } from './notifications.service.js';
import { SqlParams } from './proposal-access.js';
import { jointThreshold, jointThresholdReached } from './quorum.js';

export interface JointRequestView {
  id: string;
  villageCode: string;
  kind: 'residents' | 'representatives';
  title: string;
  body: string;
  base: number;
  threshold: number;
  signatures: number;
  status: 'collecting' | 'reached';
  proposalId: string | null;
  createdAt: string;
  reachedAt: string | null;
  signedByMe: boolean;
}

/** Art. 21: 1/10 of the adult villagers, or 1/3 of the village representatives (not the committee members who sit with them). */
const BASE_BODY: Record<'residents' | 'representatives', RoleRoster> = { residents: 'villagers_meeting', representatives: 'village_representatives' };

/**
 * 联名提议 (村民委员会组织法 Art. 21, 26): 1/10 of adult residents or 1/3 of representatives.
 * The base is frozen when the request is filed; when the threshold is reached the request becomes a
 * draft in the committee's queue and the signers are told.
 */
@Injectable()
export class JointRequestsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  private async assertEligible(em: EntityManager, actor: Actor, villageCode: string, kind: 'residents' | 'representatives'): Promise<void> {
    if (!actor.personId || !(await isInElectorateNow(em, actor.personId, villageCode, BASE_BODY[kind], shanghaiDay(this.clock.now())))) {
      throw DeliberationErrors.jointNotEligible(kind);
    }
  }

  async file(actor: Actor, dto: JointRequestDto): Promise<JointRequestView> {
    if (!isWithinAny(dto.villageCode, actor.scopesFor('proposal.cosign'))) throw DeliberationErrors.jointRequestNotFound();
    const id = await this.db.transaction(async (em) => {
      await this.assertEligible(em, actor, dto.villageCode, dto.kind);
      const now = this.clock.now();
      const base = await currentElectorateSize(em, dto.villageCode, BASE_BODY[dto.kind], shanghaiDay(now));
      const [{ id }] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO joint_request (village_code, kind, title, body, base, threshold, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [dto.villageCode, dto.kind, dto.title, dto.body, base, jointThreshold(dto.kind, base), actor.personId, now],
      );
      await this.audit.record(em, { actor, action: 'joint_request.file', targetType: 'joint_request', targetId: id, targetDivision: dto.villageCode, details: { kind: dto.kind, base } });
      await this.addSignature(em, actor, id);
      return id;
    });
    return this.get(actor, id);
  }

  async sign(actor: Actor, id: string): Promise<JointRequestView> {
    await this.db.transaction(async (em) => {
      const rows = await queryRows<{ village_code: string; kind: 'residents' | 'representatives' }>(em, `SELECT village_code, kind FROM joint_request WHERE id = $1`, [id]);
      const r = rows[0];
      if (!r || !isWithinAny(r.village_code, actor.scopesFor('proposal.cosign'))) throw DeliberationErrors.jointRequestNotFound();
      await this.assertEligible(em, actor, r.village_code, r.kind);
      await this.addSignature(em, actor, id);
    });
    return this.get(actor, id);
  }

  /** Locks the request so the signature that crosses the threshold creates exactly one draft. */
  private async addSignature(em: EntityManager, actor: Actor, id: string): Promise<void> {
    const [r] = await queryRows<{ village_code: string; kind: 'residents' | 'representatives'; title: string; body: string; base: number; status: string }>(
      em,
      `SELECT village_code, kind, title, body, base, status FROM joint_request WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (r.status !== 'collecting') throw DeliberationErrors.jointClosed();
    const now = this.clock.now();
    const ins = await queryRows(em, `INSERT INTO joint_signature (request_id, person_id, signed_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING person_id`, [id, actor.personId, shanghaiDay(now)]);
    if (!ins.length) throw DeliberationErrors.jointAlreadySigned();
    await this.audit.record(em, { actor, action: 'joint_request.sign', targetType: 'joint_request', targetId: id, targetDivision: r.village_code });
    const signers = await queryRows<{ person_id: string }>(em, `SELECT person_id FROM joint_signature WHERE request_id = $1`, [id]);
    if (!jointThresholdReached(r.kind, signers.length, r.base)) return;
    const [{ id: proposalId }] = await queryRows<{ id: string }>(
      em,
      `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, origin, joint_request_id, created_at, updated_at)
       VALUES ($1, $2, $3, 'other', 'villagers_meeting', 'secret', 'joint', $4, $5, $5) RETURNING id`,
      [r.village_code, r.title, r.body, id, now],
    );
    await em.query(
      `INSERT INTO proposal_event (proposal_id, action, from_status, to_status, at, actor_account_id, actor_name, details)
       VALUES ($1, 'joint_request_reached', NULL, 'draft', $2, NULL, '联名提议', $3)`,
      [proposalId, now, JSON.stringify({ jointRequestId: id, signatures: signers.length, base: r.base, kind: r.kind })],
    );
    await em.query(`UPDATE joint_request SET status = 'reached', reached_at = $2, proposal_id = $3 WHERE id = $1 AND status = 'collecting'`, [id, now, proposalId]);
    await this.audit.record(em, { actor, action: 'joint_request.reached', targetType: 'joint_request', targetId: id, targetDivision: r.village_code, details: { proposalId, signatures: signers.length } });
    const message = {
      kind: 'joint_threshold_reached' as const,
      proposalId,
      title: `联名提议已达到法定人数：${r.title}`,
      body: `${signers.length} 人联名（应达 ${jointThreshold(r.kind, r.base)} 人），已转为村委会待办议题。`,
    };
    await this.notifications.toPeople(em, signers.map((s) => s.person_id), message);
    await this.notifications.toCommittee(em, r.village_code, message);
  }

  async get(actor: Actor, id: string): Promise<JointRequestView> {
    const rows = await this.rows(actor, 'j.id = $X', id);
    if (!rows[0]) throw DeliberationErrors.jointRequestNotFound();
    return rows[0];
  }

  async list(actor: Actor, q: { divisionCode?: string; page: number; pageSize: number }): Promise<Page<JointRequestView>> {
    const params = new SqlParams();
    const where = [params.scope('j.village_code', actor.scopesFor('proposal.read'))];
    if (q.divisionCode) where.push(`j.village_code LIKE ${params.add(`${q.divisionCode}%`)}`);
    const [{ total }] = await queryRows<{ total: number }>(this.db, `SELECT count(*)::int AS total FROM joint_request j WHERE ${where.join(' AND ')}`, params.values);
    const items = await this.query(actor, params, where, q.pageSize, (q.page - 1) * q.pageSize);
    return pageOf(items, total, q);
  }

  private async rows(actor: Actor, cond: string, id: string): Promise<JointRequestView[]> {
    const params = new SqlParams();
    const where = [params.scope('j.village_code', actor.scopesFor('proposal.read')), cond.replace('$X', `${params.add(id)}::uuid`)];
    return this.query(actor, params, where, 1, 0);
  }

  private query(actor: Actor, params: SqlParams, where: string[], limit: number, offset: number): Promise<JointRequestView[]> {
    const me = params.add(actor.personId);
    return queryRows<JointRequestView>(
      this.db,
      `SELECT j.id, j.village_code AS "villageCode", j.kind, j.title, j.body, j.base, j.threshold,
              (SELECT count(*)::int FROM joint_signature s WHERE s.request_id = j.id) AS signatures,
              j.status, j.proposal_id AS "proposalId", j.created_at AS "createdAt", j.reached_at AS "reachedAt",
              EXISTS (SELECT 1 FROM joint_signature s WHERE s.request_id = j.id AND s.person_id = ${me}::uuid) AS "signedByMe"
         FROM joint_request j WHERE ${where.join(' AND ')}
        ORDER BY j.created_at DESC, j.id LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params.values,
    );
  }
}
