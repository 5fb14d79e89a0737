import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, CommonErrors, type Page, pageOf, queryRows } from '#platform';
import { ApprovalsService, needsApprovals } from './approvals.service.js';
import { AuthorisationsService } from './authorisations.service.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { DELIBERATION_SETTINGS, type DeliberationSettings } from './deliberation-settings.js';
import type {
  AttachmentDto,
  CreateProposalDto,
  MeetingRecordDto,
  PartyReviewDto,
  ProposalQueryDto,
  UpdateProposalDto,
} from './dto/proposal.dto.js';
import { currentElectorateSize, shanghaiDay } from './electorate.js';
import { MeetingNoticeService } from './meeting-notice.service.js';
import { NotificationsService } from './notifications.service.js';
import { JointRequestsService } from './joint-requests.service.js';
import { canSeeProposal, mayGlimpseJointProposal, SqlParams, visibilitySql } from './proposal-access.js';
import {
  availableActions,
  type LifecycleRole,
  type ProposalAction,
  type ProposalState,
  STATE_NAMES,
  transition,
} from './proposal-lifecycle.js';
import { checkMatterBody } from './matter-rules.js';
import type { Category } from './names.js';
import { ProposalTransitions, type ProposalRef } from './proposal-transitions.js';
import {
  BODY_NAMES,
  type DecidingBody,
  decideRecordedPartyMeeting,
  earliestVoting,
  partyCountProblems,
  partyMeetingMinimums,
  RULES,
  STATUTORY_NOTICE,
  statutoryNoticeEnds,
  voteWindowProblem,
} from './quorum.js';
import type { JointProposalGlimpse, MatterRuleView, PartyMeetingView, ProposalSummary } from './views.js';
import { VotingService } from './voting.service.js';

export interface ProposalRow {
  id: string;
  village_code: string;
  village_name: string;
  title: string;
  body: string;
  category: Category;
  amount_fen: string | null;
  deciding_body: DecidingBody;
  ballot_type: 'open' | 'secret';
  allow_ballot_change: boolean;
  deliberation_days: number;
  publicity_days: number;
  status: ProposalState;
  origin: 'committee' | 'joint';
  joint_request_id: string | null;
  deliberation_started_at: Date | null;
  meeting_place: string | null;
  created_at: Date;
  updated_at: Date;
  is_demo: boolean;
}

export type { ProposalSummary } from './views.js';

/** Refuses a deciding body that may not decide the matter, citing the article (matter-rules.ts). */
function requireMatterFits(category: Category, body: DecidingBody): void {
  const fit = checkMatterBody(category, body);
  if (!fit.ok) throw DeliberationErrors.matterBodyNotAllowed(fit.message, category, body);
}

/** The matter's rule as the proposal page shows it, or why its body may not decide it. */
function matterRuleView(category: Category, body: DecidingBody): MatterRuleView {
  const fit = checkMatterBody(category, body);
  return fit.ok
    ? { allowed: true, text: fit.text, threshold: fit.rule.threshold, approvals: fit.approvals.map((a) => `${a.authority}批准`) }
    : { allowed: false, text: fit.message, threshold: null, approvals: [] };
}

const COLS = `p.id, p.village_code, d.name AS village_name, p.title, p.body, p.category, p.amount_fen::text AS amount_fen,
  p.deciding_body, p.ballot_type, p.allow_ballot_change, p.deliberation_days, p.publicity_days, p.status, p.origin,
  p.joint_request_id, p.deliberation_started_at, p.meeting_place, p.created_at, p.updated_at, p.is_demo`;

const summaryOf = (r: ProposalRow): ProposalSummary => ({
  id: r.id,
  villageCode: r.village_code,
  villageName: r.village_name,
  title: r.title,
  category: r.category,
  amountFen: r.amount_fen,
  decidingBody: r.deciding_body,
  decidingBodyName: BODY_NAMES[r.deciding_body],
  ballotType: r.ballot_type,
  status: r.status,
  statusName: STATE_NAMES[r.status],
  origin: r.origin,
  createdAt: r.created_at.toISOString(),
  isDemo: r.is_demo,
});

/** The article under which the committee must convene what a joint request forced. */
const JOINT_SOURCE: Partial<Record<DecidingBody, string>> = {
  villagers_meeting: '《中华人民共和国村民委员会组织法》第二十一条',
  representatives_meeting: '《中华人民共和国村民委员会组织法》第二十六条',
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class ProposalsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly transitions: ProposalTransitions,
    private readonly voting: VotingService,
    private readonly notifications: NotificationsService,
    private readonly authorisations: AuthorisationsService,
    private readonly notices: MeetingNoticeService,
    private readonly approvals: ApprovalsService,
    private readonly jointRequests: JointRequestsService,
    @Inject(DELIBERATION_SETTINGS) private readonly settings: DeliberationSettings,
  ) {}

  /** A vote lasts at least VOTE_MIN_WINDOW_HOURS and closes after the earliest voting time. */
  private requireVoteWindow(closesAt: Date, earliest: Date | null): void {
    const problem = voteWindowProblem(this.clock.now(), closesAt, this.settings.voteMinWindowHours, earliest);
    if (problem === 'too_short') throw DeliberationErrors.voteWindowTooShort(this.settings.voteMinWindowHours);
    if (problem === 'before_earliest') throw DeliberationErrors.voteWindowInvalid();
  }

  /** Loads a proposal the actor may see (else 404), optionally locking it. */
  async load(em: EntityManager, actor: Actor, id: string, lock = false): Promise<ProposalRow> {
    const r = await this.find(em, id, lock);
    if (!r || !canSeeProposal(actor, r.village_code, r.status)) throw DeliberationErrors.proposalNotFound();
    return r;
  }

  private async find(em: EntityManager, id: string, lock = false): Promise<ProposalRow | undefined> {
    const rows = await queryRows<ProposalRow>(
      em,
      `SELECT ${COLS} FROM proposal p JOIN division d ON d.code = p.village_code WHERE p.id = $1 ${lock ? 'FOR UPDATE OF p' : ''}`,
      [id],
    );
    return rows[0];
  }

  /** A joint proposal the actor may not read in full, as its signers and electors see it; null for anyone else (proposal-access.ts). */
  private async jointGlimpse(actor: Actor, r: ProposalRow): Promise<JointProposalGlimpse | null> {
    if (!r.joint_request_id || !mayGlimpseJointProposal(actor, r.village_code, r.origin)) return null;
    if (!(await this.jointRequests.isSignerOrElector(this.db.manager, actor, r.joint_request_id))) return null;
    return {
      access: 'joint_request',
      id: r.id,
      villageCode: r.village_code,
      villageName: r.village_name,
      title: r.title,
      status: r.status,
      statusName: STATE_NAMES[r.status],
      origin: 'joint',
      decidingBody: r.deciding_body,
      decidingBodyName: BODY_NAMES[r.deciding_body],
      jointRequestId: r.joint_request_id,
      createdAt: r.created_at.toISOString(),
      isDemo: r.is_demo,
    };
  }

  /** The 党员大会 figures the committee's forms show while it may record or open the 审议. */
  private async partyMeeting(p: ProposalRow, actions: readonly ProposalAction[]): Promise<PartyMeetingView | null> {
    if (!actions.includes('party_review_passed') && !actions.includes('open_party_vote')) return null;
    const members = await currentElectorateSize(this.db.manager, p.village_code, 'party_meeting', shanghaiDay(this.clock.now()));
    const min = partyMeetingMinimums(members);
    const rule = RULES.party_meeting;
    return { members, minAttendees: min.attend, minYes: min.yes, quorum: rule.quorum, majority: rule.majority, source: rule.source };
  }

  /** The lifecycle role the actor plays for `action` at the proposal's village; 403 if none. */
  private roleFor(actor: Actor, p: ProposalRow, permission: 'proposal.write' | 'proposal.review', action: ProposalAction): LifecycleRole {
    if (!actor.can(permission, p.village_code)) throw DeliberationErrors.transitionForbidden(action);
    return permission === 'proposal.write' ? 'committee' : 'township';
  }

  private ref = (p: ProposalRow): ProposalRef => ({ id: p.id, villageCode: p.village_code, status: p.status });

  async create(actor: Actor, dto: CreateProposalDto): Promise<ProposalSummary> {
    if (!isWithinAny(dto.villageCode, actor.scopesFor('proposal.write'))) throw DeliberationErrors.proposalNotFound();
    if (dto.villageCode.length !== 12) throw DeliberationErrors.notVillage();
    requireMatterFits(dto.category, dto.decidingBody);
    const now = this.clock.now();
    const id = await this.db.transaction(async (em) => {
      const village = await queryRows(em, `SELECT 1 FROM division WHERE code = $1 AND level = 'village'`, [dto.villageCode]);
      if (!village.length) throw DeliberationErrors.notVillage();
      await this.authorisations.requireAuthorisation(em, dto.villageCode, dto.category, dto.decidingBody);
      const [{ id }] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO proposal (village_code, title, body, category, amount_fen, deciding_body, ballot_type, allow_ballot_change,
                               deliberation_days, publicity_days, meeting_place, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
        [
          dto.villageCode,
          dto.title,
          dto.body,
          dto.category,
          dto.amountFen ?? null,
          dto.decidingBody,
          dto.ballotType,
          dto.allowBallotChange ?? false,
          dto.deliberationDays ?? 7,
          dto.publicityDays ?? 7,
          dto.meetingPlace ?? null,
          actor.accountId,
          now,
        ],
      );
      await em.query(
        `INSERT INTO proposal_event (proposal_id, action, from_status, to_status, at, actor_account_id, actor_name) VALUES ($1, 'create', NULL, 'draft', $2, $3, $4)`,
        [id, now, actor.accountId, actor.realName],
      );
      await this.audit.record(em, {
        actor,
        action: 'proposal.create',
        targetType: 'proposal',
        targetId: id,
        targetDivision: dto.villageCode,
        details: { title: dto.title },
      });
      return id;
    });
    return summaryOf(await this.load(this.db.manager, actor, id));
  }

  async update(actor: Actor, id: string, dto: UpdateProposalDto): Promise<ProposalSummary> {
    await this.db.transaction(async (em) => {
      const p = await this.load(em, actor, id, true);
      const role = this.roleFor(actor, p, 'proposal.write', 'edit');
      const body = dto.decidingBody ?? p.deciding_body;
      const category = dto.category ?? p.category;
      requireMatterFits(category, body);
      await this.authorisations.requireAuthorisation(em, p.village_code, category, body);
      await this.transitions.apply(em, this.ref(p), 'edit', role, actor, { details: { fields: Object.keys(dto) } });
      await em.query(
        `UPDATE proposal SET title = coalesce($2, title), body = coalesce($3, body), category = coalesce($4, category),
                amount_fen = CASE WHEN $5::boolean THEN $6::bigint ELSE amount_fen END, deciding_body = coalesce($7, deciding_body),
                ballot_type = coalesce($8, ballot_type), allow_ballot_change = coalesce($9, allow_ballot_change),
                deliberation_days = coalesce($10, deliberation_days), publicity_days = coalesce($11, publicity_days),
                meeting_place = coalesce($12, meeting_place), predates_matter_rules = false
          WHERE id = $1 AND status = 'draft'`,
        [
          id,
          dto.title ?? null,
          dto.body ?? null,
          dto.category ?? null,
          dto.amountFen !== undefined,
          dto.amountFen ?? null,
          dto.decidingBody ?? null,
          dto.ballotType ?? null,
          dto.allowBallotChange ?? null,
          dto.deliberationDays ?? null,
          dto.publicityDays ?? null,
          dto.meetingPlace ?? null,
        ],
      );
    });
    return summaryOf(await this.load(this.db.manager, actor, id));
  }

  /** The proposal in full; a joint proposal's signers and electors get its title and state only (jointGlimpse). */
  async get(actor: Actor, id: string) {
    const r = await this.find(this.db.manager, id);
    if (r && !canSeeProposal(actor, r.village_code, r.status)) {
      const glimpse = await this.jointGlimpse(actor, r);
      if (glimpse) return glimpse;
    }
    return this.detail(actor, id);
  }

  async detail(actor: Actor, id: string) {
    const p = await this.load(this.db.manager, actor, id);
    const [events, attachments, votes, notice, approvals] = await Promise.all([
      queryRows(
        this.db,
        `SELECT action, from_status AS "fromStatus", to_status AS "toStatus", at, actor_name AS "actorName", details FROM proposal_event WHERE proposal_id = $1 ORDER BY at, id`,
        [id],
      ),
      queryRows(
        this.db,
        `SELECT id, name, url, content_type AS "contentType", size_bytes AS "sizeBytes", report_kind AS "reportKind", created_at AS "createdAt" FROM proposal_attachment WHERE proposal_id = $1 ORDER BY created_at`,
        [id],
      ),
      queryRows(
        this.db,
        `SELECT id, purpose, body, ballot_type AS "ballotType", status, opens_at AS "opensAt", closes_at AS "closesAt", electorate, households, outcome FROM vote WHERE proposal_id = $1 ORDER BY opens_at`,
        [id],
      ),
      this.notices.view(this.db.manager, id),
      this.approvals.view(this.db.manager, actor, p),
    ]);
    const roles: LifecycleRole[] = [];
    if (actor.can('proposal.write', p.village_code)) roles.push('committee');
    if (actor.can('proposal.review', p.village_code) || actor.can('proposal.approval.record', p.village_code)) roles.push('township');
    const actions = [...new Set(roles.flatMap((r) => availableActions(p.status, r, { approvalsNeeded: needsApprovals(p.category) })))];
    return {
      access: 'full' as const,
      ...summaryOf(p),
      body: p.body,
      allowBallotChange: p.allow_ballot_change,
      deliberationDays: p.deliberation_days,
      publicityDays: p.publicity_days,
      jointRequestId: p.joint_request_id,
      deliberationStartedAt: p.deliberation_started_at?.toISOString() ?? null,
      earliestVotingAt: earliestVoting(p)?.toISOString() ?? null,
      meetingPlace: p.meeting_place,
      notice,
      voteMinWindowHours: this.settings.voteMinWindowHours,
      matterRule: matterRuleView(p.category, p.deciding_body),
      approvals,
      availableActions: actions,
      partyMeeting: await this.partyMeeting(p, actions),
      history: events,
      attachments,
      votes,
    };
  }

  async list(actor: Actor, q: ProposalQueryDto): Promise<Page<ProposalSummary>> {
    const params = new SqlParams();
    const where = [visibilitySql(actor, params)];
    if (q.divisionCode) where.push(`p.village_code LIKE ${params.add(`${q.divisionCode}%`)}`);
    if (q.status) where.push(`p.status = ${params.add(q.status)}`);
    if (q.category) where.push(`p.category = ${params.add(q.category)}`);
    if (q.decidingBody) where.push(`p.deciding_body = ${params.add(q.decidingBody)}`);
    if (q.from) where.push(`p.created_at >= ${params.add(q.from)}::timestamptz`);
    if (q.to) where.push(`p.created_at < ${params.add(q.to)}::timestamptz`);
    if (q.q) {
      const term = q.q.trim() || q.q;
      const like = `(p.title || ' ' || p.body) ILIKE ${params.add(`%${escapeLike(term)}%`)}`;
      // One or two characters: no trigram to use; the character/pair index finds the candidates
      // (migration 1764376000000), ILIKE stays the exact check. Longer terms use the trigram index.
      if ([...term].length <= 2 && !/\s/.test(term)) {
        where.push(`text_short_grams(p.title || ' ' || p.body) @> ARRAY[lower(${params.add(term)}::text)]`, like);
      } else {
        where.push(like);
      }
    }
    if (q.needsMyVote) {
      const person = params.add(actor.personId);
      const now = params.add(this.clock.now());
      where.push(`EXISTS (SELECT 1 FROM vote v JOIN vote_elector e ON e.vote_id = v.id AND e.person_id = ${person}::uuid
                          WHERE v.proposal_id = p.id AND v.status = 'open' AND v.opens_at <= ${now} AND v.closes_at > ${now}
                            AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = e.person_id))`);
    }
    if (q.awaitingMyReview) {
      where.push(`p.status = 'pending_review'`, params.scope('p.village_code', actor.scopesFor('proposal.review')));
    }
    const whereSql = where.join(' AND ');
    const [{ total }] = await queryRows<{ total: number }>(
      this.db,
      `SELECT count(*)::int AS total FROM proposal p WHERE ${whereSql}`,
      params.values,
    );
    const limit = params.add(q.pageSize);
    const offset = params.add((q.page - 1) * q.pageSize);
    const rows = await queryRows<ProposalRow>(
      this.db,
      `SELECT ${COLS} FROM proposal p JOIN division d ON d.code = p.village_code WHERE ${whereSql}
        ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
    return pageOf(rows.map(summaryOf), total, q);
  }

  /**
   * One transition in one transaction: lock, role, legality (checked first so a side effect never
   * masks an illegal move), `before` (may add details, e.g. the vote it opened), the transition, `after`.
   */
  private async step(
    actor: Actor,
    id: string,
    action: ProposalAction,
    permission: 'proposal.write' | 'proposal.review',
    details: Record<string, unknown>,
    hooks: {
      before?: (em: EntityManager, p: ProposalRow) => Promise<Record<string, unknown>>;
      after?: (em: EntityManager, p: ProposalRow) => Promise<void>;
    } = {},
  ) {
    await this.db.transaction(async (em) => {
      const p = await this.load(em, actor, id, true);
      const role = this.roleFor(actor, p, permission, action);
      const legal = transition(p.status, action, role);
      if (!legal.ok)
        throw legal.reason === 'role_not_allowed'
          ? DeliberationErrors.transitionForbidden(action)
          : DeliberationErrors.transitionIllegal(p.status, action);
      const extra = hooks.before ? await hooks.before(em, p) : {};
      const set = action === 'approve' ? { deliberation_started_at: this.clock.now() } : undefined;
      await this.transitions.apply(em, this.ref(p), action, role, actor, { details: { ...details, ...extra }, set });
      if (hooks.after) await hooks.after(em, p);
    });
    return this.detail(actor, id);
  }

  recordProposalMeeting(actor: Actor, id: string, dto: MeetingRecordDto, merged: boolean) {
    return this.step(actor, id, merged ? 'record_merged_meeting' : 'record_proposal', 'proposal.write', {
      meeting: merged ? '提议与商议' : '村党组织提议',
      ...dto,
    });
  }

  recordConsultation(actor: Actor, id: string, dto: MeetingRecordDto) {
    return this.step(actor, id, 'record_consultation', 'proposal.write', { meeting: '村"两委"商议', ...dto });
  }

  /** 审议 held as a meeting: half of the voting members attend, yes votes more than half of all of them (quorum.ts). */
  async recordPartyReview(actor: Actor, id: string, dto: PartyReviewDto) {
    const p = await this.load(this.db.manager, actor, id);
    const members = await currentElectorateSize(this.db.manager, p.village_code, 'party_meeting', shanghaiDay(this.clock.now()));
    const problems = partyCountProblems(members, dto.attendees, dto.yes, dto.no);
    if (problems.length) throw DeliberationErrors.partyReviewCountsInvalid(members, problems);
    const d = decideRecordedPartyMeeting(members, dto.attendees, dto.yes, dto.no);
    return this.step(actor, id, d.passed ? 'party_review_passed' : 'party_review_failed', 'proposal.write', {
      meeting: '党员大会审议',
      ...dto,
      members,
      outcome: d.outcome,
      rule: d.rule,
    });
  }

  async openPartyVote(actor: Actor, id: string, closesAt: Date) {
    this.requireVoteWindow(closesAt, null);
    return this.step(
      actor,
      id,
      'open_party_vote',
      'proposal.write',
      { closesAt: closesAt.toISOString() },
      {
        before: async (em, p) => {
          const v = await this.voting.openVote(
            em,
            { id: p.id, villageCode: p.village_code, title: p.title },
            {
              purpose: 'party_review',
              body: 'party_meeting',
              ballotType: p.ballot_type,
              allowChange: p.allow_ballot_change,
              closesAt,
            },
          );
          return { voteId: v.voteId, electorate: v.electorate };
        },
      },
    );
  }

  approve(actor: Actor, id: string, comment?: string) {
    return this.step(
      actor,
      id,
      'approve',
      'proposal.review',
      { comment: comment ?? null },
      {
        // The township's review refuses a matter its body may not decide (filed before the rules).
        before: async (em, p) => {
          requireMatterFits(p.category, p.deciding_body);
          await this.authorisations.requireAuthorisation(em, p.village_code, p.category, p.deciding_body);
          await this.notices.requireReports(em, p);
          return {};
        },
        // Approval is the notice day: the statutory notice goes to every elector of the deciding body.
        after: async (em, p) => {
          const [{ deliberation_started_at: at }] = await queryRows<{ deliberation_started_at: Date }>(
            em,
            `SELECT deliberation_started_at FROM proposal WHERE id = $1`,
            [p.id],
          );
          await this.notices.issue(em, p, at);
          await this.notifications.toCommittee(em, p.village_code, {
            kind: 'proposal_approved',
            proposalId: p.id,
            title: `乡镇审核通过：${p.title}`,
            body: comment ?? '议题已进入公开讨论。',
          });
        },
      },
    );
  }

  returnForRevision(actor: Actor, id: string, reason: string) {
    return this.step(
      actor,
      id,
      'return',
      'proposal.review',
      { reason },
      {
        after: async (em, p) => {
          await this.notifications.toCommittee(em, p.village_code, {
            kind: 'proposal_returned',
            proposalId: p.id,
            title: `乡镇退回修改：${p.title}`,
            body: reason,
          });
        },
      },
    );
  }

  withdraw(actor: Actor, id: string, reason: string) {
    return this.step(
      actor,
      id,
      'withdraw',
      'proposal.write',
      { reason },
      {
        // The committee SHALL convene what a joint request forced (村民委员会组织法 Art. 21, 26).
        before: async (_em, p) => {
          if (p.origin === 'joint')
            throw DeliberationErrors.jointProposalMustBeConvened(JOINT_SOURCE[p.deciding_body] ?? JOINT_SOURCE.villagers_meeting!);
          return {};
        },
        after: async (em, p) => {
          // An open 审议 vote ends with the proposal: its window is cut to now and it is tallied at once
          // (the tally no longer moves the withdrawn proposal).
          const open = await queryRows<{ id: string }>(
            em,
            `UPDATE vote SET closes_at = greatest(opens_at + interval '1 millisecond', $2) WHERE proposal_id = $1 AND status = 'open' RETURNING id`,
            [p.id, this.clock.now()],
          );
          for (const v of open) await this.voting.closeVote(em, v.id, true);
        },
      },
    );
  }

  async openVoting(actor: Actor, id: string, closesAt: Date) {
    const p = await this.load(this.db.manager, actor, id);
    const now = this.clock.now();
    const noticeAt = p.status === 'deliberation' ? p.deliberation_started_at : null;
    // The statutory notice first (it cites its article), then any longer discussion period set on the proposal.
    const noticeEnds = noticeAt ? statutoryNoticeEnds(noticeAt, p.deciding_body) : null;
    if (noticeAt && noticeEnds && now < noticeEnds) {
      const rule = STATUTORY_NOTICE[p.deciding_body]!;
      throw DeliberationErrors.noticePeriodNotOver(noticeAt, noticeEnds, rule.days, rule.source);
    }
    const earliest = noticeAt ? earliestVoting(p) : null;
    if (earliest && now < earliest) throw DeliberationErrors.deliberationTooShort(earliest);
    if (p.status === 'deliberation') this.requireVoteWindow(closesAt, earliest);
    return this.step(
      actor,
      id,
      'open_voting',
      'proposal.write',
      { closesAt: closesAt.toISOString() },
      {
        before: async (em, row) => {
          requireMatterFits(row.category, row.deciding_body);
          await this.authorisations.requireAuthorisation(em, row.village_code, row.category, row.deciding_body);
          const v = await this.voting.openVote(
            em,
            { id: row.id, villageCode: row.village_code, title: row.title },
            {
              purpose: 'decision',
              body: row.deciding_body,
              ballotType: row.ballot_type,
              allowChange: row.allow_ballot_change,
              closesAt,
            },
          );
          return { voteId: v.voteId, electorate: v.electorate, households: v.households };
        },
      },
    );
  }

  async addAttachment(actor: Actor, id: string, dto: AttachmentDto) {
    const hasFile = dto.contentBase64 !== undefined;
    if ((dto.url === undefined) === !hasFile || (hasFile && !dto.contentType)) throw DeliberationErrors.attachmentInvalid();
    const content = hasFile ? Buffer.from(dto.contentBase64!, 'base64') : null;
    if (content && (content.length === 0 || content.length > 2 * 1024 * 1024)) throw DeliberationErrors.attachmentInvalid();
    return this.db.transaction(async (em) => {
      const p = await this.load(em, actor, id, true);
      if (!actor.can('proposal.write', p.village_code)) throw CommonErrors.forbidden();
      if (p.status === 'closed' || p.status === 'withdrawn') throw DeliberationErrors.transitionIllegal(p.status, 'edit');
      const [row] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO proposal_attachment (proposal_id, name, url, content, content_type, size_bytes, report_kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [id, dto.name, dto.url ?? null, content, dto.contentType ?? null, content?.length ?? 0, dto.reportKind ?? null, this.clock.now()],
      );
      await this.audit.record(em, {
        actor,
        action: 'proposal.attachment.add',
        targetType: 'proposal',
        targetId: id,
        targetDivision: p.village_code,
        details: { attachmentId: row.id, name: dto.name, reportKind: dto.reportKind ?? null },
      });
      return { id: row.id, name: dto.name, url: dto.url ?? null, sizeBytes: content?.length ?? 0, reportKind: dto.reportKind ?? null };
    });
  }

  async attachment(
    actor: Actor,
    id: string,
    attachmentId: string,
  ): Promise<{ name: string; url: string | null; content: Buffer | null; contentType: string | null }> {
    await this.load(this.db.manager, actor, id);
    const rows = await queryRows<{ name: string; url: string | null; content: Buffer | null; content_type: string | null }>(
      this.db,
      `SELECT name, url, content, content_type FROM proposal_attachment WHERE id = $1 AND proposal_id = $2`,
      [attachmentId, id],
    );
    if (!rows[0]) throw DeliberationErrors.attachmentNotFound();
    return { name: rows[0].name, url: rows[0].url, content: rows[0].content, contentType: rows[0].content_type };
  }
}
