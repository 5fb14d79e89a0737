import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithinAny } from '#divisions';
import { type Actor, Clock, type Page, pageOf, ReadCache } from '#platform';
import { ApprovalsService, needsApprovals } from './approvals.service.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { MATTER_RULES } from './matter-rules.js';
import { CATEGORY_NAMES, OUTCOME_NAMES } from './names.js';
import { noticeOutcomeOf, partsText } from './notice-outcome.js';
import { type NoticeFilter, type NoticeRow, NoticesRepository } from './notices.repository.js';
import { transition } from './proposal-lifecycle.js';
import { ProposalsService } from './proposals.service.js';
import { ProposalTransitions } from './proposal-transitions.js';
import { BODY_NAMES, type Outcome } from './quorum.js';
import type { NoticeOutcome, NoticeView } from './views.js';
import { NOTICE_PRINT_STYLE } from './notice-print-style.js';
import { VotingService } from './voting.service.js';

export type { NoticeOutcome, NoticeView } from './views.js';

/** A notice states the consequence of a missed quorum as well. */
const noticeOutcomeName = (o: Outcome): string => (o === 'no_quorum' ? `${OUTCOME_NAMES.no_quorum}，决议未成立` : OUTCOME_NAMES[o]);

export { NOTICE_PRINT_STYLE } from './notice-print-style.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** YYYY年M月D日 in 长治 time. */
function chineseDate(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3_600_000);
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日`;
}

/** 村务公开栏: resolution and implementation notices, with their publicity periods. */
@Injectable()
export class NoticesService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly proposals: ProposalsService,
    private readonly transitions: ProposalTransitions,
    private readonly voting: VotingService,
    private readonly approvals: ApprovalsService,
    private readonly repo: NoticesRepository,
    private readonly divisions: DivisionsService,
    private readonly cache: ReadCache,
  ) {}

  private view(r: NoticeRow, villageName: string): NoticeView {
    const now = this.clock.now();
    return {
      ...r,
      villageName,
      outcome: noticeOutcomeOf(r.outcome),
      publishedAt: r.publishedAt.toISOString(),
      publicityEndsAt: r.publicityEndsAt.toISOString(),
      inPublicity: r.publishedAt <= now && now < r.publicityEndsAt,
    };
  }

  /** 决议公开: posts the resolution with the stored tally and moves the proposal to announced. */
  async publishResolution(actor: Actor, proposalId: string, text?: string): Promise<NoticeView> {
    const id = await this.db.transaction(async (em) => {
      const p = await this.proposals.load(em, actor, proposalId, true);
      if (!actor.can('proposal.write', p.village_code)) throw DeliberationErrors.transitionForbidden('publish_resolution');
      const legal = transition(p.status, 'publish_resolution', 'committee');
      if (!legal.ok) throw DeliberationErrors.transitionIllegal(p.status, 'publish_resolution');
      const voteId = await this.repo.latestClosedDecision(em, p.id);
      if (!voteId) throw DeliberationErrors.noVoteYet();
      const r = await this.voting.resultOf(em, voteId);
      const outcome: NoticeOutcome = {
        outcome: r.outcome,
        body: r.body,
        bodyName: BODY_NAMES[r.body],
        ballotType: r.ballotType,
        electorate: r.electorate,
        households: r.households,
        participants: r.participants,
        householdsRepresented: r.householdsRepresented,
        yes: r.yes,
        no: r.no,
        abstain: r.abstain,
        rule: r.rule,
        talliedAt: new Date(r.talliedAt).toISOString(),
        threshold: r.threshold,
        representatives: r.representatives,
        representativesYes: r.representativesYes,
        spoiled: r.spoiled ?? 0,
        parts: r.parts,
      };
      const now = this.clock.now();
      const approvalsNeeded = needsApprovals(p.category);
      // A passed resolution that needs approvals says so on the notice board: published, not yet in effect.
      const needed = MATTER_RULES[p.category].approvals;
      const pending =
        approvalsNeeded && r.outcome === 'passed'
          ? `\n\n本决议须报${needed.map((a) => a.authority).join('和')}批准（${[...new Set(needed.map((a) => a.source))].join('、')}），目前待批准，尚未生效；批准前不得实施。`
          : '';
      const body =
        (text ??
          `${p.village_name}就"${p.title}"（${CATEGORY_NAMES[p.category] ?? p.category}）于${chineseDate(new Date(r.talliedAt))}完成${BODY_NAMES[r.body]}表决，应参加 ${r.electorate} 人，实际参加 ${r.participants} 人（${partsText(r.parts)}），结果为：${noticeOutcomeName(r.outcome)}。\n\n${p.body}`) +
        pending;
      const id = await this.repo.insert(em, {
        proposalId: p.id,
        villageCode: p.village_code,
        kind: 'resolution',
        title: `关于"${p.title}"的决议公告`,
        body,
        outcome,
        committeeName: p.village_name,
        publishedAt: now,
        publicityEndsAt: new Date(now.getTime() + p.publicity_days * 86_400_000),
        isDemo: p.is_demo,
      });
      await this.transitions.apply(
        em,
        { id: p.id, villageCode: p.village_code, status: p.status },
        'publish_resolution',
        'committee',
        actor,
        {
          details: { noticeId: id, outcome: r.outcome },
          ctx: { approvalsNeeded },
        },
      );
      return id;
    });
    return this.get(actor, id);
  }

  /** 实施结果公开: one of possibly several implementation reports (passed proposals only). */
  async reportImplementation(actor: Actor, proposalId: string, text: string): Promise<NoticeView> {
    const id = await this.db.transaction(async (em) => {
      const p = await this.proposals.load(em, actor, proposalId, true);
      if (!actor.can('proposal.write', p.village_code)) throw DeliberationErrors.transitionForbidden('report_implementation');
      await this.approvals.requireInEffect(em, p);
      if (!transition(p.status, 'report_implementation', 'committee').ok)
        throw DeliberationErrors.transitionIllegal(p.status, 'report_implementation');
      const { passed, reports: n } = await this.repo.standing(em, p.id);
      if (!passed) throw DeliberationErrors.implementationOnlyWhenPassed();
      const now = this.clock.now();
      const id = await this.repo.insert(em, {
        proposalId: p.id,
        villageCode: p.village_code,
        kind: 'implementation',
        title: `"${p.title}"实施结果公开（第${n + 1}次）`,
        body: text,
        outcome: null,
        committeeName: p.village_name,
        publishedAt: now,
        publicityEndsAt: new Date(now.getTime() + p.publicity_days * 86_400_000),
        isDemo: p.is_demo,
      });
      await this.transitions.apply(
        em,
        { id: p.id, villageCode: p.village_code, status: p.status },
        'report_implementation',
        'committee',
        actor,
        { details: { noticeId: id, report: n + 1 } },
      );
      return id;
    });
    return this.get(actor, id);
  }

  /** 办结: a passed proposal needs at least one implementation report first. */
  async close(actor: Actor, proposalId: string) {
    await this.db.transaction(async (em) => {
      const p = await this.proposals.load(em, actor, proposalId, true);
      if (!actor.can('proposal.write', p.village_code)) throw DeliberationErrors.transitionForbidden('close');
      await this.approvals.requireInEffect(em, p);
      if (!transition(p.status, 'close', 'committee').ok) throw DeliberationErrors.transitionIllegal(p.status, 'close');
      const { passed, reports } = await this.repo.standing(em, p.id);
      if (passed && reports === 0) throw DeliberationErrors.implementationRequired();
      await this.transitions.apply(em, { id: p.id, villageCode: p.village_code, status: p.status }, 'close', 'committee', actor);
    });
    return this.proposals.detail(actor, proposalId);
  }

  async list(
    actor: Actor,
    q: { divisionCode?: string; kind?: 'resolution' | 'implementation'; current?: boolean; page: number; pageSize: number },
  ): Promise<Page<NoticeView>> {
    const f: NoticeFilter = {
      scopes: actor.scopesFor('notice.read'),
      within: q.divisionCode,
      kind: q.kind,
      currentAt: q.current ? this.clock.now() : undefined,
    };
    const load = async () => {
      const total = await this.repo.count(this.db, f);
      const rows = await this.repo.list(this.db, f, q.pageSize, (q.page - 1) * q.pageSize);
      const names = await this.divisions.namesOf(rows.map((r) => r.villageCode));
      return pageOf(
        rows.map((r) => this.view(r, names.get(r.villageCode) ?? '')),
        total,
        q,
      );
    };
    // The board is the same for everyone who reads the same villages (decision 062); "in publicity" is
    // at most READ_CACHE_SECONDS old.
    return this.cache.get(`notices:${JSON.stringify([f.scopes, q])}`, load, () => f.scopes);
  }

  /**
   * The resolution and implementation notices a village published between two 长治 days (inclusive): what
   * 村务共管's disclosure of decisions and their implementation shows for its period (村民委员会组织法 Art. 30 ¶1
   * item 1). Notices are public to the village; the caller has checked who reads the disclosure.
   */
  async decisionsOf(
    villageCode: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ id: string; proposalId: string; kind: 'resolution' | 'implementation'; title: string; publishedAt: string }[]> {
    const from = new Date(`${fromDay}T00:00:00+08:00`);
    const to = new Date(new Date(`${toDay}T00:00:00+08:00`).getTime() + 86_400_000);
    const rows = await this.repo.publishedBetween(this.db, villageCode, from, to);
    return rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() }));
  }

  async get(actor: Actor, id: string): Promise<NoticeView> {
    const r = await this.repo.byId(this.db, id);
    if (!r || !isWithinAny(r.villageCode, actor.scopesFor('notice.read'))) throw DeliberationErrors.noticeNotFound();
    const names = await this.divisions.namesOf([r.villageCode]);
    return this.view(r, names.get(r.villageCode) ?? '');
  }

  /** A self-contained A4 page for the physical notice board. */
  async printable(actor: Actor, id: string): Promise<string> {
    const n = await this.get(actor, id);
    const o = n.outcome;
    const outcomeHtml = o
      ? `<table class="tally">
  <tr><th>表决机构</th><td>${esc(o.bodyName)}（${o.ballotType === 'secret' ? '无记名投票' : '记名投票'}）</td></tr>
  <tr><th>应参加人数</th><td>${o.electorate}${o.body === 'villagers_meeting' ? `（共 ${o.households} 户）` : ''}</td></tr>
  <tr><th>实际参加人数</th><td>${o.participants}${o.body === 'villagers_meeting' ? `（代表 ${o.householdsRepresented} 户）` : ''}</td></tr>
  ${o.parts ? `<tr><th>参加方式</th><td>${esc(partsText(o.parts))}</td></tr>` : ''}
  <tr><th>赞成</th><td>${o.yes}</td></tr>
  <tr><th>反对</th><td>${o.no}</td></tr>
  <tr><th>弃权</th><td>${o.abstain}</td></tr>
  ${o.spoiled ? `<tr><th>废票及未收回选票</th><td>${o.spoiled}</td></tr>` : ''}
  <tr><th>表决结果</th><td><strong>${esc(noticeOutcomeName(o.outcome))}</strong></td></tr>
</table>`
      : '';
    const paragraphs = n.body
      .split(/\n+/)
      .map((line) => `<p>${esc(line)}</p>`)
      .join('\n');
    return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${esc(n.title)}</title>
<style>${NOTICE_PRINT_STYLE}</style>
</head>
<body>
<h1>${esc(n.title)}</h1>
<div class="kind">${n.kind === 'resolution' ? '决议公开' : '实施结果公开'}${n.isDemo ? '（演示数据）' : ''}</div>
${paragraphs}
${outcomeHtml}
<div class="sign">${esc(n.committeeName)}<br>${chineseDate(new Date(n.publishedAt))}</div>
<div class="period">公示期：${chineseDate(new Date(n.publishedAt))}至${chineseDate(new Date(new Date(n.publicityEndsAt).getTime() - 1))}。如有异议，请在公示期内向村务监督委员会反映。</div>
</body>
</html>
`;
  }
}
