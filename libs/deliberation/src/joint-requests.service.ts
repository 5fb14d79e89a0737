import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, CommonErrors, type Page, pageOf } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { DELIBERATION_SETTINGS, type DeliberationSettings } from './deliberation-settings.js';
import type { JointRequestDto } from './dto/proposal.dto.js';
import { currentElectorateSize, isInElectorateNow, type RoleRoster, shanghaiDay } from './electorate.js';
import { BODY_NAMES, type JointConvenes, type JointKind } from './names.js';
import { NotificationsService } from './notifications.service.js';
import { type JointFilter, JointRequestsRepository } from './joint-requests.repository.js';
import { ProposalsRepository } from './proposals.repository.js';
import { jointFraction, jointThreshold, jointThresholdReached } from './quorum.js';
import type { JointRequestView } from './views.js';

export type { JointRequestView } from './views.js';

/** Art. 21: 1/10 of the adult villagers, or 1/3 of the village representatives (not the committee members who sit with them). */
const BASE_BODY: Record<'residents' | 'representatives', RoleRoster> = {
  residents: 'villagers_meeting',
  representatives: 'village_representatives',
};

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
    private readonly repo: JointRequestsRepository,
    private readonly proposals: ProposalsRepository,
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
    const r = await this.repo.signerFacts(em, requestId, actor.personId);
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
      const id = await this.repo.insert(em, {
        villageCode: dto.villageCode,
        kind: dto.kind,
        convenes,
        title: dto.title,
        body: dto.body,
        base,
        threshold: jointThreshold(dto.kind, base, convenes),
        // assertEligible found the actor among the electors: they are a person.
        createdBy: actor.personId!,
        at: now,
      });
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
      const r = await this.repo.head(em, id);
      if (!r || !isWithinAny(r.village_code, actor.scopesFor('proposal.cosign'))) throw DeliberationErrors.jointRequestNotFound();
      await this.assertEligible(em, actor, r.village_code, r.kind);
      await this.addSignature(em, actor, id);
    });
    return this.get(actor, id);
  }

  /** Locks the request so the signature that crosses the threshold creates exactly one draft. */
  private async addSignature(em: EntityManager, actor: Actor, id: string): Promise<void> {
    const r = await this.repo.lock(em, id);
    if (!r) throw DeliberationErrors.jointRequestNotFound();
    if (r.status === 'withdrawn') throw DeliberationErrors.jointWithdrawn();
    if (r.status !== 'collecting') throw DeliberationErrors.jointClosed();
    const now = this.clock.now();
    if (!(await this.repo.addSignature(em, id, actor.personId!, shanghaiDay(now)))) throw DeliberationErrors.jointAlreadySigned();
    await this.audit.record(em, {
      actor,
      action: 'joint_request.sign',
      targetType: 'joint_request',
      targetId: id,
      targetDivision: r.village_code,
    });
    const signers = await this.repo.signers(em, id);
    if (!jointThresholdReached(r.kind, signers.length, r.base, r.convenes)) return;
    const proposalId = await this.proposals.insertJoint(em, {
      villageCode: r.village_code,
      title: r.title,
      body: r.body,
      decidingBody: r.convenes,
      jointRequestId: id,
      at: now,
    });
    await this.proposals.insertEvent(em, {
      proposalId,
      action: 'joint_request_reached',
      from: null,
      to: 'draft',
      at: now,
      actorAccountId: null,
      actorName: '联名提议',
      details: { jointRequestId: id, signatures: signers.length, base: r.base, kind: r.kind },
    });
    await this.repo.markReached(em, id, now, proposalId);
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
    await this.notifications.toPeople(em, signers, message);
    await this.notifications.toCommittee(em, r.village_code, message);
  }

  /** The initiator withdraws a request still collecting; one that reached its threshold must be convened. */
  async withdraw(actor: Actor, id: string): Promise<JointRequestView> {
    await this.db.transaction(async (em) => {
      const r = await this.repo.lock(em, id);
      if (!r || !isWithinAny(r.village_code, actor.scopesFor('proposal.read'))) throw DeliberationErrors.jointRequestNotFound();
      if (r.status === 'reached') throw DeliberationErrors.jointRequestMustBeConvened();
      if (r.status !== 'collecting') throw DeliberationErrors.jointWithdrawn();
      if (r.created_by !== actor.personId) throw DeliberationErrors.jointWithdrawForbidden();
      if (!(await this.repo.withdraw(em, id, this.clock.now()))) throw CommonErrors.staleState();
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
    const [r] = await this.repo.views({ scopes: actor.scopesFor('proposal.read'), id }, this.viewContext(actor), 1, 0);
    if (!r) throw DeliberationErrors.jointRequestNotFound();
    return r;
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; pending?: boolean; page: number; pageSize: number },
  ): Promise<Page<JointRequestView>> {
    return this.page(actor, { scopes: actor.scopesFor('proposal.read'), divisionCode: q.divisionCode, pending: q.pending }, q);
  }

  /**
   * For township staff: requests that reached their threshold and whose meeting is still not convened
   * (no vote opened) more than the overdue period (JOINT_REQUEST_OVERDUE_DAYS) after, oldest first.
   */
  async overdue(actor: Actor, q: { divisionCode?: string; page: number; pageSize: number }): Promise<Page<JointRequestView>> {
    const reachedBy = new Date(this.clock.now().getTime() - this.settings.jointOverdueDays * 86_400_000);
    return this.page(
      actor,
      { scopes: actor.scopesFor('proposal.review'), pending: true, reachedBy, divisionCode: q.divisionCode },
      q,
      true,
    );
  }

  private viewContext(actor: Actor) {
    return { personId: actor.personId, now: this.clock.now(), overdueDays: this.settings.jointOverdueDays };
  }

  private async page(
    actor: Actor,
    f: JointFilter,
    q: { page: number; pageSize: number },
    byReached = false,
  ): Promise<Page<JointRequestView>> {
    const total = await this.repo.count(f);
    const items = await this.repo.views(f, this.viewContext(actor), q.pageSize, (q.page - 1) * q.pageSize, byReached);
    return pageOf(items, total, q);
  }
}
