import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, CommonErrors, type Page, pageOf, ReadCache } from '#platform';
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
import { canSeeProposal, mayGlimpseJointProposal, visibilityKey, visibleSql } from './proposal-access.js';
import { availableActions, type LifecycleRole, type ProposalAction, STATE_NAMES, transition } from './proposal-lifecycle.js';
import { checkMatterBody } from './matter-rules.js';
import type { Category } from './names.js';
import { MeetingsRepository } from './meetings.repository.js';
import { type AwaitingVote, type ProposalRow, ProposalsRepository } from './proposals.repository.js';
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
import type {
  AttachmentAdded,
  AttachmentLink,
  JointProposalGlimpse,
  MatterRuleView,
  PartyMeetingView,
  ProposalAnswer,
  ProposalDetail,
  ProposalSummary,
} from './views.js';
import { VotingService } from './voting.service.js';

export type { ProposalRow } from './proposals.repository.js';
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

@Injectable()
export class ProposalsService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: ProposalsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly transitions: ProposalTransitions,
    private readonly voting: VotingService,
    private readonly notifications: NotificationsService,
    private readonly authorisations: AuthorisationsService,
    private readonly notices: MeetingNoticeService,
    private readonly approvals: ApprovalsService,
    private readonly jointRequests: JointRequestsService,
    private readonly meetings: MeetingsRepository,
    @Inject(DELIBERATION_SETTINGS) private readonly settings: DeliberationSettings,
    private readonly cache: ReadCache,
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

  private find(em: EntityManager, id: string, lock = false): Promise<ProposalRow | undefined> {
    return this.repo.find(em, id, lock);
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
      if (!(await this.repo.villageExists(em, dto.villageCode))) throw DeliberationErrors.notVillage();
      await this.authorisations.requireAuthorisation(em, dto.villageCode, dto.category, dto.decidingBody);
      const id = await this.repo.insert(em, {
        villageCode: dto.villageCode,
        title: dto.title,
        body: dto.body,
        category: dto.category,
        amountFen: dto.amountFen ?? null,
        decidingBody: dto.decidingBody,
        ballotType: dto.ballotType,
        allowBallotChange: dto.allowBallotChange ?? false,
        deliberationDays: dto.deliberationDays ?? 7,
        publicityDays: dto.publicityDays ?? 7,
        meetingPlace: dto.meetingPlace ?? null,
        createdBy: actor.accountId,
        at: now,
      });
      await this.repo.insertEvent(em, {
        proposalId: id,
        action: 'create',
        from: null,
        to: 'draft',
        at: now,
        actorAccountId: actor.accountId,
        actorName: actor.realName,
        details: null,
      });
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
      await this.repo.updateDraft(em, id, dto);
    });
    return summaryOf(await this.load(this.db.manager, actor, id));
  }

  /**
   * The proposal in full; a joint proposal's signers and electors get its title and state only (jointGlimpse).
   * The row and the detail come from the read cache (decision 062): the detail once per kind of reader
   * (viewerClass), since all it shows beyond the proposal's facts is what that reader may do.
   */
  async get(actor: Actor, id: string): Promise<ProposalAnswer> {
    const r = await this.cachedRow(id);
    if (!r) throw DeliberationErrors.proposalNotFound();
    if (!canSeeProposal(actor, r.village_code, r.status)) {
      const glimpse = await this.jointGlimpse(actor, r);
      if (glimpse) return glimpse;
      throw DeliberationErrors.proposalNotFound();
    }
    return this.cache.get(
      `proposal:${id}:${this.viewerClass(actor, r.village_code)}`,
      () => this.detail(actor, id),
      (d) => [d.villageCode],
    );
  }

  /**
   * The votes open now that await the person, from the read cache (decision 066): kept until they join an
   * electorate or take part (`voter:<person>`, migration 1764388700000), one of those votes changes (its
   * village), or the first of them closes.
   */
  private awaiting(personId: string, now: Date): Promise<readonly AwaitingVote[]> {
    return this.cache.get(
      `awaiting:${personId}`,
      () => this.repo.openVotesAwaiting(personId, now),
      (votes) => [`voter:${personId}`, ...new Set(votes.map((v) => v.villageCode))],
      (votes) => (votes.length ? Math.min(...votes.map((v) => v.closesAt.getTime())) : undefined),
    );
  }

  /** The proposal's row from the read cache (decision 062). */
  private cachedRow(id: string): Promise<ProposalRow | undefined> {
    return this.cache.get(
      `proposal-row:${id}`,
      () => this.find(this.db.manager, id),
      (row) => (row ? [row.village_code] : null),
    );
  }

  /** What in a proposal's detail depends on the reader: their lifecycle roles at its village and recording approvals (detail). */
  private viewerClass(actor: Actor, villageCode: string): string {
    const flag = (b: boolean) => (b ? '1' : '0');
    const record = actor.can('proposal.approval.record', villageCode);
    return flag(actor.can('proposal.write', villageCode)) + flag(actor.can('proposal.review', villageCode) || record) + flag(record);
  }

  /** The meeting notice's A4 page, to whoever may read the proposal in full. */
  async meetingNoticePrint(actor: Actor, id: string): Promise<string> {
    const p = await this.load(this.db.manager, actor, id);
    const m = await this.meetings.meeting(this.db.manager, id);
    return this.notices.printable(this.db.manager, id, {
      villageName: p.village_name,
      decidingBody: p.deciding_body,
      title: p.title,
      isDemo: p.is_demo,
      arranged: m ? { heldAt: m.heldAt, place: m.place, onsitePart: m.onsitePart, onlinePart: m.onlinePart } : null,
    });
  }

  async detail(actor: Actor, id: string): Promise<ProposalDetail> {
    const p = await this.load(this.db.manager, actor, id);
    const [events, attachments, votes, notice, approvals] = await Promise.all([
      this.repo.history(id),
      this.repo.attachments(id),
      this.repo.votes(id),
      this.notices.view(this.db.manager, id, { villageName: p.village_name, decidingBody: p.deciding_body }),
      this.approvals.view(this.db.manager, actor, p),
    ]);
    const roles: LifecycleRole[] = [];
    if (actor.can('proposal.write', p.village_code)) roles.push('committee');
    if (actor.can('proposal.review', p.village_code) || actor.can('proposal.approval.record', p.village_code)) roles.push('township');
    const actions = [...new Set(roles.flatMap((r) => availableActions(p.status, r, { approvalsNeeded: needsApprovals(p.category) })))];
    return {
      access: 'full',
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
    const filter = {
      visible: visibleSql(actor),
      divisionCode: q.divisionCode,
      status: q.status,
      category: q.category,
      decidingBody: q.decidingBody,
      from: q.from,
      to: q.to,
      q: q.q,
      needsVoteOf: q.needsMyVote ? { personId: actor.personId, now: this.clock.now() } : undefined,
      reviewScopes: q.awaitingMyReview ? actor.scopesFor('proposal.review') : undefined,
    };
    const load = async () => {
      const total = await this.repo.count(filter);
      const rows = await this.repo.page(filter, q.pageSize, (q.page - 1) * q.pageSize);
      return pageOf(rows.map(summaryOf), total, q);
    };
    // "Needs my vote" is the reader's own; every other list is the same for all who see the same villages.
    // Without a vote awaiting the reader anywhere, no proposal can meet that term: the list is empty, as
    // its own statements would find (the home screen asks this of every resident on every visit).
    if (filter.needsVoteOf) {
      const { personId, now } = filter.needsVoteOf;
      const ids = personId ? (await this.awaiting(personId, now)).map((v) => v.proposalId) : [];
      if (!ids.length) return pageOf([], 0, q);
      // The home screen's badge asks nothing more than the village: the few candidates' rows come from the
      // read cache, filtered as visibleSql and the division term filter them, in the list's order.
      if (!q.status && !q.category && !q.decidingBody && !q.from && !q.to && !q.q && !q.awaitingMyReview) {
        const rows = (await Promise.all(ids.map((id) => this.cachedRow(id))))
          .filter((r): r is ProposalRow => r !== undefined)
          .filter((r) => canSeeProposal(actor, r.village_code, r.status) && (!q.divisionCode || r.village_code.startsWith(q.divisionCode)))
          .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
        return pageOf(rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map(summaryOf), rows.length, q);
      }
      return load();
    }
    const scopes = actor.scopesFor('proposal.read');
    return this.cache.get(`proposals:${JSON.stringify([visibilityKey(actor), actor.scopesFor('proposal.review'), q])}`, load, () => scopes);
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
            { id: p.id, villageCode: p.village_code, title: p.title, category: p.category },
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
          const at = await this.repo.deliberationStartedAt(em, p.id);
          await this.notices.issue(em, p, at!);
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
          const open = await this.repo.cutOpenVotes(em, p.id, this.clock.now());
          for (const voteId of open) await this.voting.closeVote(em, voteId, true);
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
            { id: row.id, villageCode: row.village_code, title: row.title, category: row.category },
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

  async addAttachment(actor: Actor, id: string, dto: AttachmentDto): Promise<AttachmentAdded> {
    const hasFile = dto.contentBase64 !== undefined;
    if ((dto.url === undefined) === !hasFile || (hasFile && !dto.contentType)) throw DeliberationErrors.attachmentInvalid();
    const content = hasFile ? Buffer.from(dto.contentBase64!, 'base64') : null;
    if (content && (content.length === 0 || content.length > 2 * 1024 * 1024)) throw DeliberationErrors.attachmentInvalid();
    return this.db.transaction(async (em) => {
      const p = await this.load(em, actor, id, true);
      if (!actor.can('proposal.write', p.village_code)) throw CommonErrors.forbidden();
      if (p.status === 'closed' || p.status === 'withdrawn') throw DeliberationErrors.transitionIllegal(p.status, 'edit');
      const attachmentId = await this.repo.insertAttachment(em, {
        proposalId: id,
        name: dto.name,
        url: dto.url ?? null,
        content,
        contentType: dto.contentType ?? null,
        reportKind: dto.reportKind ?? null,
        at: this.clock.now(),
      });
      await this.audit.record(em, {
        actor,
        action: 'proposal.attachment.add',
        targetType: 'proposal',
        targetId: id,
        targetDivision: p.village_code,
        details: { attachmentId, name: dto.name, reportKind: dto.reportKind ?? null },
      });
      return {
        id: attachmentId,
        name: dto.name,
        url: dto.url ?? null,
        sizeBytes: content?.length ?? 0,
        reportKind: dto.reportKind ?? null,
      };
    });
  }

  async attachment(
    actor: Actor,
    id: string,
    attachmentId: string,
  ): Promise<AttachmentLink & { content: Buffer | null; contentType: string | null }> {
    await this.load(this.db.manager, actor, id);
    const a = await this.repo.attachment(id, attachmentId);
    if (!a) throw DeliberationErrors.attachmentNotFound();
    return a;
  }
}
