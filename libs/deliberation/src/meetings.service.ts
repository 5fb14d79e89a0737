import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { AttendeeCards, PersonCards, PersonNames } from '#identity';
import { type Actor, Clock, CommonErrors, ReadCache } from '#platform';
import { newReceiptCode } from './ballot-box.service.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { Electorates, shanghaiDay } from './electorate.js';
import { NotificationsService } from './notifications.service.js';
import { ARRANGEABLE_STATES, meetingActions } from './meeting-actions.js';
import type { AssistedBallotBody, MeetingBody, OnsiteChoiceBody, PaperTotalsBody, TallySheetBody } from './meeting-routes.js';
import { type MeetingRow, MeetingsRepository, type MeetingVote, type OnsiteRow } from './meetings.repository.js';
import { MATTER_RULES, quorumText } from './matter-rules.js';
import { BODY_NAMES, CHOICE_NAMES, type MeetingDuty, MEETING_DUTY_NAMES, STATE_NAMES } from './names.js';
import { canSeeProposal } from './proposal-access.js';
import { type ProposalRow, ProposalsRepository } from './proposals.repository.js';
import { VotesRepository } from './votes.repository.js';
import { earliestVoting, householdsNeeded, quorumMet, quorumNeed } from './quorum.js';
import type {
  AssistedBallotView,
  BallotReceiptView,
  LiveTurnoutView,
  MeetingAnswer,
  MeetingPerson,
  MeetingView,
  PaperEntryAnswer,
  PaperTotals,
  SignInAnswer,
  SignInRow,
  SignInSheet,
} from './views.js';

/** An instant as 长治 local time, to the minute. */
const localMinute = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const MAX_SHEET_BYTES = 2 * 1024 * 1024;
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A vote's on-site part as loaded for a use case: the proposal, the vote, the part, the caller's duties. */
interface OnsiteContext {
  p: ProposalRow;
  m: MeetingRow;
  vote: MeetingVote;
  onsite: OnsiteRow;
  duties: MeetingDuty[];
  staff: boolean;
}

const totalsEqual = (a: PaperTotals, b: PaperTotals) =>
  a.issued === b.issued &&
  a.returned === b.returned &&
  a.yes === b.yes &&
  a.no === b.no &&
  a.abstain === b.abstain &&
  a.spoiled === b.spoiled &&
  a.representativesYes === b.representativesYes;

/**
 * The meeting of a decision vote as it really happens (issue 14; docs/decisions/017-meetings-with-everyone.md):
 * its arrangement, the on-site sign-in that shares the one-participation key with online ballots, open
 * on-site choices recorded by tellers, secret paper totals entered twice by two tellers and confirmed by
 * a scrutineer with the photo of the 计票单, live turnout for the chair, and 代投 on a staff device.
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly repo: MeetingsRepository,
    private readonly votes: VotesRepository,
    private readonly proposals: ProposalsRepository,
    private readonly people: PersonCards,
    private readonly cards: AttendeeCards,
    private readonly names: PersonNames,
    private readonly electorates: Electorates,
    private readonly notifications: NotificationsService,
    private readonly reads: ReadCache,
  ) {}

  private async proposal(em: EntityManager, actor: Actor, id: string, lock = false): Promise<ProposalRow> {
    const p = await this.proposals.find(em, id, lock);
    if (!p || !canSeeProposal(actor, p.village_code, p.status)) throw DeliberationErrors.proposalNotFound();
    return p;
  }

  /** The account acting (meeting work is done by people signed in, never by the system). */
  private account(actor: Actor): string {
    if (!actor.accountId) throw CommonErrors.forbidden();
    return actor.accountId;
  }

  private dutiesOf(actor: Actor, m: MeetingRow | undefined): MeetingDuty[] {
    if (!m || !actor.personId) return [];
    return m.officers.filter((o) => o.personId === actor.personId).map((o) => o.duty);
  }

  /** The proposal, its meeting, its decision vote and the vote's on-site part; each must exist. */
  private async onsiteContext(em: EntityManager, actor: Actor, proposalId: string, lock = false): Promise<OnsiteContext> {
    const p = await this.proposal(em, actor, proposalId);
    const m = await this.repo.meeting(em, proposalId);
    if (!m) throw DeliberationErrors.meetingNotArranged();
    const vote = await this.repo.decisionVote(em, proposalId);
    const onsite = vote?.onsitePart ? await this.repo.onsite(em, vote.id, lock) : undefined;
    if (!vote || !onsite) throw DeliberationErrors.onsitePartNotHeld();
    return { p, m, vote, onsite, duties: this.dutiesOf(actor, m), staff: actor.can('proposal.write', p.village_code) };
  }

  private requireDuty(c: OnsiteContext, duty: MeetingDuty, orStaff = false): void {
    if (c.duties.includes(duty) || (orStaff && c.staff)) return;
    throw DeliberationErrors.meetingDutyRequired(orStaff ? `村民委员会工作人员或${MEETING_DUTY_NAMES[duty]}` : MEETING_DUTY_NAMES[duty]);
  }

  /** The on-site part may still take entries: the vote is open (not yet tallied), started, and not confirmed. */
  private requireOnsiteOpen(c: OnsiteContext, what: string, now: Date): void {
    if (c.vote.status !== 'open') throw DeliberationErrors.onsiteStepClosed(what, '表决结果已经确定');
    if (now < c.vote.opensAt) throw DeliberationErrors.onsiteStepClosed(what, '表决尚未开始');
    if (c.onsite.state === 'confirmed') throw DeliberationErrors.onsiteStepClosed(what, '现场表决结果已由监票人确认');
  }

  async get(actor: Actor, proposalId: string): Promise<MeetingAnswer> {
    const em = this.db.manager;
    const p = await this.proposal(em, actor, proposalId);
    const m = await this.repo.meeting(em, proposalId);
    const mayArrange = actor.can('proposal.write', p.village_code) && ARRANGEABLE_STATES.includes(p.status);
    return { meeting: m ? await this.view(em, actor, p, m) : null, mayArrange };
  }

  private async view(em: EntityManager, actor: Actor, p: ProposalRow, m: MeetingRow): Promise<MeetingView> {
    const vote = await this.repo.decisionVote(em, p.id);
    const onsite = vote?.onsitePart ? await this.repo.onsite(em, vote.id) : undefined;
    const ids = [m.chairPersonId, ...m.officers.map((o) => o.personId)];
    const names = await this.names.ofPeople(em, ids);
    const person = (id: string): MeetingPerson => ({ personId: id, name: names.get(id) ?? '（已不在名册）' });
    const duties = this.dutiesOf(actor, m);
    const staff = actor.can('proposal.write', p.village_code);
    const ballotType = vote?.ballotType ?? p.ballot_type;
    const { actions, blocked } = meetingActions({
      proposalStatus: p.status,
      staff,
      duties,
      arranged: true,
      onlinePart: vote ? vote.onlinePart : m.onlinePart,
      vote: vote ? { status: vote.status, ballotType: vote.ballotType, opensAt: vote.opensAt, closesAt: vote.closesAt } : null,
      onsite: onsite
        ? {
            state: onsite.state,
            signedIn: onsite.signedIn,
            choicesRecorded: onsite.choicesRecorded,
            tallySheetAttached: !!onsite.tallySheetId,
          }
        : null,
      now: this.clock.now(),
    });
    const confirmer = onsite?.confirmedBy ? (await this.names.ofAccounts(em, [onsite.confirmedBy])).get(onsite.confirmedBy) : undefined;
    // The first teller's entry stays hidden until the second has entered hers (the answer says only that one is
    // waiting); the accepted totals are the officers' until the vote is closed, like every count (results are sealed).
    const accepted = onsite && onsite.state !== 'signing_in' && onsite.state !== 'counting';
    const visibleTotals = accepted && (vote?.status === 'closed' || duties.length > 0) ? onsite.totals : null;
    return {
      proposalId: p.id,
      heldAt: m.heldAt.toISOString(),
      place: m.place,
      chair: person(m.chairPersonId),
      tellers: m.officers.filter((o) => o.duty === 'teller').map((o) => person(o.personId)),
      scrutineers: m.officers.filter((o) => o.duty === 'scrutineer').map((o) => person(o.personId)),
      onlinePart: vote ? vote.onlinePart : m.onlinePart,
      onsitePart: vote ? vote.onsitePart : m.onsitePart,
      voteId: vote?.id ?? null,
      voteStatus: vote?.status ?? null,
      ballotType,
      onsite: onsite
        ? {
            state: onsite.state,
            signedIn: onsite.signedIn,
            choicesRecorded: onsite.choicesRecorded,
            entries: onsite.entries,
            totals: visibleTotals,
            representativesYesRequired: this.representativesYesRequired(p, vote!),
            tallySheetAttached: !!onsite.tallySheetId,
            tallySheetId: onsite.tallySheetId,
            confirmedAt: onsite.confirmedAt?.toISOString() ?? null,
            confirmedBy: onsite.confirmedBy ? (confirmer ?? null) : null,
          }
        : null,
      myDuties: duties,
      actions,
      blocked,
    };
  }

  /** A 村民代表会议 matter counted by "2/3 of all village representatives": paper yes ballots of representatives are counted apart. */
  private representativesYesRequired(p: ProposalRow, vote: MeetingVote): boolean {
    if (vote.body !== 'representatives_meeting') return false;
    const rule = MATTER_RULES[p.category].bodies.representatives_meeting;
    return rule.allowed && rule.threshold === 'two_thirds_of_all_representatives';
  }

  /**
   * Arranges (or re-arranges) the meeting: after the township's approval and until the vote closes.
   * Chair, tellers and scrutineers are people of the village; one duty per person; an on-site part
   * needs at least two tellers (a secret ballot's totals are entered twice) and one scrutineer. Once
   * the vote has opened, the parts the villagers were told of cannot be taken away (an on-site part
   * can still be added).
   */
  async arrange(actor: Actor, proposalId: string, b: MeetingBody): Promise<MeetingView> {
    return this.db.transaction(async (em) => {
      const p = await this.proposal(em, actor, proposalId, true);
      if (!actor.can('proposal.write', p.village_code)) throw CommonErrors.forbidden();
      if (!ARRANGEABLE_STATES.includes(p.status)) throw DeliberationErrors.meetingNotArrangeable(STATE_NAMES[p.status]);
      const problems: { field: string; message: string }[] = [];
      const tellers = [...new Set(b.tellerPersonIds)];
      const scrutineers = [...new Set(b.scrutineerPersonIds)];
      if (!b.onlinePart && !b.onsitePart) problems.push({ field: 'onsitePart', message: '会议至少要有现场或网上一种参加方式' });
      if (b.onsitePart && tellers.length < 2)
        problems.push({ field: 'tellerPersonIds', message: '现场会议至少需要两名计票人（纸质票数须由两人分别清点录入）' });
      if (b.onsitePart && scrutineers.length < 1) problems.push({ field: 'scrutineerPersonIds', message: '现场会议至少需要一名监票人' });
      const both = tellers.filter((t) => scrutineers.includes(t));
      if (both.length) problems.push({ field: 'scrutineerPersonIds', message: '同一人不能既当计票人又当监票人' });
      const everyone = [b.chairPersonId, ...tellers, ...scrutineers];
      const local = await this.people.livingWithin(em, everyone, p.village_code);
      const outside = everyone.filter((id) => !local.has(id));
      if (outside.length)
        problems.push({ field: 'chairPersonId', message: `主持人、计票人和监票人须为本村登记人员（有 ${new Set(outside).size} 人不是）` });
      // The meeting cannot be held before the statutory notice (and the discussion period) has run.
      const earliest = earliestVoting(p);
      if (earliest && new Date(b.heldAt) < earliest)
        problems.push({ field: 'heldAt', message: `会议时间须在通知期满之后（最早 ${localMinute(earliest)}）` });
      if (problems.length) throw DeliberationErrors.meetingInvalid(problems);

      const vote = await this.repo.decisionVote(em, proposalId);
      const open = vote?.status === 'open' ? vote : undefined;
      const before = await this.repo.meeting(em, proposalId);
      if (open && ((open.onlinePart && !b.onlinePart) || (open.onsitePart && !b.onsitePart))) throw DeliberationErrors.meetingPartsFixed();
      const now = this.clock.now();
      await this.repo.arrange(
        em,
        {
          proposalId,
          heldAt: new Date(b.heldAt),
          place: b.place,
          chairPersonId: b.chairPersonId,
          onlinePart: b.onlinePart,
          onsitePart: b.onsitePart,
        },
        [
          ...tellers.map((personId) => ({ personId, duty: 'teller' as const })),
          ...scrutineers.map((personId) => ({ personId, duty: 'scrutineer' as const })),
        ],
        this.account(actor),
        now,
      );
      if (open) await this.repo.setVoteParts(em, open.id, { onlinePart: b.onlinePart, onsitePart: b.onsitePart });
      // The electorate is told the meeting's time and place when it is first arranged and whenever they change.
      const heldAt = new Date(b.heldAt);
      if (!before || before.heldAt.getTime() !== heldAt.getTime() || before.place !== b.place || before.onsitePart !== b.onsitePart) {
        const day = shanghaiDay(now);
        const recipients = open
          ? await this.repo.electorIds(em, open.id)
          : await this.electorates.currentIds(em, p.village_code, p.deciding_body, p.category, day);
        await this.notifications.toPeople(em, recipients, {
          kind: 'meeting_arranged',
          proposalId,
          title: `${before ? '会议安排变更' : '会议安排'}：${p.title}`,
          body: b.onsitePart
            ? `${BODY_NAMES[p.deciding_body]}定于 ${localMinute(heldAt)} 在${b.place}召开现场会议${b.onlinePart ? '；也可在"三共"平台网上投票' : '（不设网上投票）'}，每人只参加一次。`
            : `本次${BODY_NAMES[p.deciding_body]}只设网上投票，不设现场会议。`,
        });
      }
      await this.audit.record(em, {
        actor,
        action: 'meeting.arrange',
        targetType: 'proposal',
        targetId: proposalId,
        targetDivision: p.village_code,
        details: {
          heldAt: b.heldAt,
          place: b.place,
          chair: b.chairPersonId,
          tellers,
          scrutineers,
          onlinePart: b.onlinePart,
          onsitePart: b.onsitePart,
        },
      });
      const m = (await this.repo.meeting(em, proposalId))!;
      return this.view(em, actor, p, m);
    });
  }

  /** The vote that opens takes its parts from the meeting (no meeting: online only, as before). */
  async onVoteOpened(em: EntityManager, proposalId: string, voteId: string): Promise<void> {
    const parts = await this.repo.parts(em, proposalId);
    if (parts) await this.repo.setVoteParts(em, voteId, parts);
  }

  private async rows(em: EntityManager, voteId: string, only?: readonly string[]): Promise<SignInRow[]> {
    const picked = await this.repo.electorate(em, voteId, only);
    const cards = await this.cards.byIds(
      em,
      picked.map((e) => e.personId),
    );
    const rows = picked.map((e): SignInRow => {
      const c = cards.get(e.personId);
      return {
        personId: e.personId,
        name: c?.name ?? '（已不在名册）',
        householdNo: e.householdNo,
        idLast4: c?.idLast4 ?? null,
        noSmartphone: c?.noSmartphone ?? false,
        helperName: c?.helperName ?? null,
        took: e.channel,
        onsiteChoice: e.onsiteChoice,
      };
    });
    if (only) rows.sort((a, b) => only.indexOf(a.personId) - only.indexOf(b.personId));
    return rows;
  }

  /** May read the meeting's sign-in figures and rows: the committee's staff and the meeting's officers. */
  private requireMeetingReader(c: OnsiteContext): void {
    if (!c.staff && !c.duties.length) throw DeliberationErrors.meetingDutyRequired('村民委员会工作人员、计票人或监票人');
  }

  /** The printable sign-in sheet (签到表): every elector of the frozen electorate, by household. */
  async sheet(actor: Actor, proposalId: string): Promise<SignInSheet> {
    const em = this.db.manager;
    const c = await this.onsiteContext(em, actor, proposalId);
    this.requireMeetingReader(c);
    // A secret ballot's on-site choices are never recorded per person; an open ballot's are the tellers' record.
    const rows = await this.rows(em, c.vote.id);
    return {
      proposalId,
      voteId: c.vote.id,
      villageName: c.p.village_name,
      title: c.p.title,
      bodyName: BODY_NAMES[c.vote.body],
      heldAt: c.m.heldAt.toISOString(),
      place: c.m.place,
      ballotType: c.vote.ballotType,
      electorate: c.vote.electorate,
      rows,
    };
  }

  /** The staff phone's search: electors by name or household number (at most 30). */
  async electors(actor: Actor, proposalId: string, q: string | undefined): Promise<SignInRow[]> {
    const em = this.db.manager;
    const c = await this.onsiteContext(em, actor, proposalId);
    this.requireMeetingReader(c);
    const ids = await this.repo.electorIds(em, c.vote.id);
    const found = q?.trim() ? await this.cards.matching(em, ids, q.trim(), 30) : ids.slice(0, 30);
    return this.rows(em, c.vote.id, found);
  }

  /**
   * One tap: the elector is signed in on site. The statement shares ballot_participation's primary key
   * with online ballots, so of any number of concurrent attempts (two staff phones, the elector's own
   * phone) exactly one participation exists; a refusal says which channel came first.
   */
  async signIn(actor: Actor, proposalId: string, personId: string): Promise<SignInAnswer> {
    const em = this.db.manager;
    const c = await this.onsiteContext(em, actor, proposalId);
    this.requireDuty(c, 'teller', true);
    const now = this.clock.now();
    const taken = await this.db.transaction(async (tx) => {
      const ok = await this.repo.signIn(tx, { voteId: c.vote.id, personId, now, day: shanghaiDay(now) });
      if (ok) {
        await this.audit.record(tx, {
          actor,
          action: 'meeting.sign_in',
          targetType: 'vote',
          targetId: c.vote.id,
          targetDivision: c.p.village_code,
          details: { proposalId, personId },
        });
      }
      return ok;
    });
    // The route keeps the read cache: the elector's "needs my vote" goes now, not when the notification arrives.
    if (taken) this.reads.invalidate(`voter:${personId}`);
    const [row] = await this.rows(em, c.vote.id, [personId]);
    if (!taken) {
      if (!row) throw DeliberationErrors.notInElectorate();
      if (row.took === 'onsite') throw DeliberationErrors.alreadySignedIn(row.name);
      if (row.took) throw DeliberationErrors.alreadyVotedOnline(row.name);
      if (now >= c.vote.closesAt || c.vote.status !== 'open') throw DeliberationErrors.signInClosed();
      if (now < c.vote.opensAt) throw DeliberationErrors.voteNotYetOpen();
      throw DeliberationErrors.signInClosed();
    }
    return { row, signedIn: await this.repo.signedIn(em, c.vote.id) };
  }

  /** An open on-site ballot (举手 / 记名): a teller records (or corrects) a signed-in elector's choice. */
  async recordChoice(actor: Actor, proposalId: string, b: OnsiteChoiceBody): Promise<SignInRow> {
    const em = this.db.manager;
    const c = await this.onsiteContext(em, actor, proposalId);
    this.requireDuty(c, 'teller');
    if (c.vote.ballotType !== 'open') throw DeliberationErrors.onsiteMethodMismatch('无记名投票（纸质选票，录入票数）');
    const now = this.clock.now();
    this.requireOnsiteOpen(c, '登记现场表决', now);
    const stored = await this.db.transaction(async (tx) => {
      const choice = await this.repo.recordChoice(tx, {
        voteId: c.vote.id,
        personId: b.personId,
        choice: b.choice,
        receipt: newReceiptCode(),
        now,
      });
      if (choice) {
        await this.audit.record(tx, {
          actor,
          action: 'meeting.record_choice',
          targetType: 'vote',
          targetId: c.vote.id,
          targetDivision: c.p.village_code,
          // An open ballot is named: the record of who chose what is the ballot itself.
          details: { proposalId, personId: b.personId, choice: b.choice },
        });
      }
      return choice;
    });
    const [row] = await this.rows(em, c.vote.id, [b.personId]);
    if (!stored) {
      if (!row) throw DeliberationErrors.notInElectorate();
      if (row.took !== 'onsite') throw DeliberationErrors.notSignedIn(row.name);
      throw DeliberationErrors.onsiteStepClosed('登记现场表决', '现场表决已结束');
    }
    return row;
  }

  /**
   * A teller's independent count of the paper ballots. The first entry ends sign-in (ballots issued
   * must equal those signed in) and is kept unseen; the second, by another teller, is accepted only if
   * every figure matches — otherwise both are void and the ballots are recounted. Each entry must add
   * up: returned = yes + no + abstain + spoiled, and returned ≤ issued = signed in.
   */
  async enterPaper(actor: Actor, proposalId: string, b: PaperTotalsBody): Promise<PaperEntryAnswer> {
    const now = this.clock.now();
    const r = await this.db.transaction(async (em) => {
      const c = await this.onsiteContext(em, actor, proposalId, true);
      this.requireDuty(c, 'teller');
      if (c.vote.ballotType !== 'secret') throw DeliberationErrors.onsiteMethodMismatch('记名表决（逐人登记表决意见）');
      this.requireOnsiteOpen(c, '录入纸质票数', now);
      if (c.onsite.state === 'entered')
        throw DeliberationErrors.onsiteStepClosed('录入纸质票数', '两名计票人的录入已经一致，等待监票人确认');
      const repsRequired = this.representativesYesRequired(c.p, c.vote);
      const entry: PaperTotals = {
        issued: b.issued,
        returned: b.returned,
        yes: b.yes,
        no: b.no,
        abstain: b.abstain,
        spoiled: b.spoiled,
        representativesYes: repsRequired ? (b.representativesYes ?? null) : null,
      };
      const problems = paperProblems(entry, c.onsite.signedIn, repsRequired);
      if (problems.length) throw DeliberationErrors.paperTotalsInconsistent(problems);
      const entries = await this.repo.paperEntries(em, c.vote.id);
      const teller = actor.personId!;
      const audit = (
        action: 'meeting.paper_entry' | 'meeting.paper_mismatch' | 'meeting.paper_accepted',
        details: Record<string, unknown>,
      ) =>
        this.audit.record(em, {
          actor,
          action,
          targetType: 'vote',
          targetId: c.vote.id,
          targetDivision: c.p.village_code,
          details: { proposalId, ...details },
        });
      if (!entries.length) {
        await this.repo.addPaperEntry(em, c.vote.id, { ...entry, entryNo: 1, tellerPersonId: teller }, this.account(actor), now);
        await this.repo.setOnsiteState(em, c.vote.id, 'counting');
        await audit('meeting.paper_entry', { entryNo: 1 });
        return { kind: 'first' as const };
      }
      if (entries[0].tellerPersonId === teller) throw DeliberationErrors.paperSameTeller();
      if (!totalsEqual(entries[0], entry)) {
        // Both entries are void; the state stays 'counting' (sign-in does not reopen).
        await this.repo.clearPaperEntries(em, c.vote.id);
        await audit('meeting.paper_mismatch', { first: entries[0], second: entry });
        return { kind: 'mismatch' as const };
      }
      await this.repo.addPaperEntry(em, c.vote.id, { ...entry, entryNo: 2, tellerPersonId: teller }, this.account(actor), now);
      await this.repo.acceptPaper(em, c.vote.id, entry);
      await audit('meeting.paper_accepted', { totals: entry });
      return { kind: 'accepted' as const, totals: entry };
    });
    // The mismatch is committed (both entries void) before it is reported.
    if (r.kind === 'mismatch') throw DeliberationErrors.paperTotalsMismatch();
    if (r.kind === 'first') return { entries: 1, state: 'counting', totals: null };
    return { entries: 2, state: 'entered', totals: r.totals };
  }

  /** The photo of the signed 计票单: stored among the proposal's attachments and linked to the on-site part. */
  async attachSheet(actor: Actor, proposalId: string, b: TallySheetBody): Promise<MeetingView> {
    const content = Buffer.from(b.contentBase64, 'base64');
    const isImage =
      (b.contentType === 'image/jpeg' && content.subarray(0, 3).equals(JPEG)) ||
      (b.contentType === 'image/png' && content.subarray(0, 8).equals(PNG));
    if (!isImage || content.length > MAX_SHEET_BYTES) throw DeliberationErrors.tallySheetInvalid();
    return this.db.transaction(async (em) => {
      const c = await this.onsiteContext(em, actor, proposalId, true);
      if (!c.staff && !c.duties.length) throw DeliberationErrors.meetingDutyRequired('村民委员会工作人员、计票人或监票人');
      const now = this.clock.now();
      this.requireOnsiteOpen(c, '上传计票单', now);
      const attachmentId = await this.proposals.insertAttachment(em, {
        proposalId,
        name: `现场计票单（${c.vote.ballotType === 'secret' ? '无记名投票' : '记名表决'}）`,
        url: null,
        content,
        contentType: b.contentType,
        reportKind: null,
        at: now,
      });
      await this.repo.attachSheet(em, c.vote.id, attachmentId);
      await this.audit.record(em, {
        actor,
        action: 'meeting.tally_sheet',
        targetType: 'vote',
        targetId: c.vote.id,
        targetDivision: c.p.village_code,
        details: { proposalId, attachmentId, bytes: content.length },
      });
      return this.view(em, actor, c.p, c.m);
    });
  }

  /**
   * The scrutineer's confirmation: the on-site part is final, and the vote can be tallied at its close.
   * Secret: the two tellers' totals matched; open: every signed-in elector's choice is recorded. The
   * photo of the signed 计票单 is attached in both.
   */
  async confirm(actor: Actor, proposalId: string): Promise<MeetingView> {
    return this.db.transaction(async (em) => {
      const c = await this.onsiteContext(em, actor, proposalId, true);
      this.requireDuty(c, 'scrutineer');
      const now = this.clock.now();
      this.requireOnsiteOpen(c, '确认现场表决结果', now);
      const missing: string[] = [];
      if (c.vote.ballotType === 'open' && c.onsite.choicesRecorded < c.onsite.signedIn)
        missing.push(`还有 ${c.onsite.signedIn - c.onsite.choicesRecorded} 名签到村民的表决未登记`);
      if (c.vote.ballotType === 'secret' && c.onsite.state !== 'entered') missing.push('纸质票数须由两名计票人分别录入且一致');
      if (!c.onsite.tallySheetId) missing.push('请先上传签字的计票单照片');
      if (missing.length) throw DeliberationErrors.onsiteNotReady(missing);
      await this.repo.confirm(em, c.vote.id, this.account(actor), now);
      await this.audit.record(em, {
        actor,
        action: 'meeting.confirm',
        targetType: 'vote',
        targetId: c.vote.id,
        targetDivision: c.p.village_code,
        details: { proposalId, signedIn: c.onsite.signedIn, totals: c.onsite.totals },
      });
      return this.view(em, actor, c.p, c.m);
    });
  }

  /** Live turnout for the chair: who has taken part by which channel, and how many more the quorum needs. Never a choice. */
  async turnout(actor: Actor, proposalId: string): Promise<LiveTurnoutView> {
    const em = this.db.manager;
    const p = await this.proposal(em, actor, proposalId);
    const m = await this.repo.meeting(em, proposalId);
    if (!actor.can('proposal.write', p.village_code) && !this.dutiesOf(actor, m).length && m?.chairPersonId !== actor.personId)
      throw DeliberationErrors.meetingDutyRequired('主持人、村民委员会工作人员、计票人或监票人');
    const vote = await this.repo.decisionVote(em, proposalId);
    if (!vote) throw DeliberationErrors.noOpenVote();
    const part = await this.votes.participation(em, vote.id);
    const t = {
      signedIn: part.onsite,
      votedOnline: part.online - part.assisted,
      assisted: part.assisted,
      participants: part.participants,
      represented: part.represented,
    };
    const counts = {
      electorate: vote.electorate,
      households: vote.households,
      participants: t.participants,
      householdsRepresented: vote.body === 'villagers_meeting' ? t.represented : 0,
      yes: 0,
      no: 0,
      abstain: 0,
      spoiled: t.participants,
    };
    const met = quorumMet(vote.body, counts);
    const electors = await this.repo.electorate(em, vote.id);
    const offlineNotYet = await this.cards.offlineAmong(
      em,
      electors.filter((e) => !e.channel).map((e) => e.personId),
    );
    return {
      voteId: vote.id,
      body: vote.body,
      bodyName: BODY_NAMES[vote.body],
      status: vote.status,
      closesAt: vote.closesAt.toISOString(),
      electorate: vote.electorate,
      households: vote.households,
      signedIn: t.signedIn,
      votedOnline: t.votedOnline,
      assisted: t.assisted,
      participants: t.participants,
      householdsRepresented: counts.householdsRepresented,
      quorumRule: quorumText(vote.body, p.category),
      quorumMet: met,
      shortBy: met ? 0 : Math.max(0, quorumNeed(vote.body, vote.electorate) - t.participants),
      householdsShortBy:
        vote.body === 'villagers_meeting' ? (met ? 0 : Math.max(0, householdsNeeded(vote.households) - t.represented)) : null,
      offlineNotYet,
    };
  }

  /**
   * 代投: a villager at the village office votes on a staff device (the villager taps the choice on a
   * private screen). The participation row records who assisted; a secret ballot's choice row carries
   * nothing of either. Audited, and listed for the scrutineers.
   */
  async assist(actor: Actor, proposalId: string, b: AssistedBallotBody): Promise<BallotReceiptView> {
    const now = this.clock.now();
    const res = await this.db.transaction(async (em) => {
      const p = await this.proposal(em, actor, proposalId);
      if (!actor.can('proposal.write', p.village_code)) throw DeliberationErrors.meetingDutyRequired('村民委员会工作人员');
      const vote = await this.repo.decisionVote(em, proposalId);
      if (!vote || vote.status !== 'open') throw DeliberationErrors.noOpenVote();
      const receipt = await this.repo.castAssisted(em, {
        voteId: vote.id,
        personId: b.personId,
        choice: b.choice,
        receipt: newReceiptCode(),
        now,
        day: shanghaiDay(now),
        assistedBy: this.account(actor),
      });
      if (receipt) {
        await this.audit.record(em, {
          actor,
          action: 'ballot.assisted',
          targetType: 'vote',
          targetId: vote.id,
          targetDivision: p.village_code,
          // Who was helped, by whom: never the choice of a secret ballot (an open ballot is named anyway).
          details:
            vote.ballotType === 'open' ? { proposalId, personId: b.personId, choice: b.choice } : { proposalId, personId: b.personId },
        });
      }
      return { receipt, vote };
    });
    if (res.receipt) return { receiptCode: res.receipt, changed: false };
    const v = res.vote;
    if (now < v.opensAt) throw DeliberationErrors.voteNotYetOpen();
    if (now >= v.closesAt) throw DeliberationErrors.voteClosed();
    if (!v.onlinePart) throw DeliberationErrors.onlinePartNotHeld();
    const s = await this.repo.standing(this.db.manager, v.id, b.personId);
    if (!s.elector) throw DeliberationErrors.notInElectorate();
    if (s.channel === 'onsite') throw DeliberationErrors.signedInOnSite();
    throw DeliberationErrors.alreadyVoted();
  }

  /** The assisted ballots, for the scrutineers and the committee: who, assisted by whom, on which day. */
  async assisted(actor: Actor, proposalId: string): Promise<AssistedBallotView[]> {
    const em = this.db.manager;
    const p = await this.proposal(em, actor, proposalId);
    const m = await this.repo.meeting(em, proposalId);
    if (!actor.can('proposal.write', p.village_code) && !this.dutiesOf(actor, m).length)
      throw DeliberationErrors.meetingDutyRequired('村民委员会工作人员、计票人或监票人');
    const vote = await this.repo.decisionVote(em, proposalId);
    if (!vote) return [];
    const rows = await this.repo.assisted(em, vote.id);
    const people = await this.names.ofPeople(
      em,
      rows.map((r) => r.personId),
    );
    const staff = await this.names.ofAccounts(
      em,
      rows.map((r) => r.assistedBy),
    );
    return rows.map((r) => ({
      personId: r.personId,
      name: people.get(r.personId) ?? '（已不在名册）',
      householdNo: r.householdNo,
      assistedBy: staff.get(r.assistedBy) ?? '（账号已注销）',
      on: r.on,
    }));
  }
}

/** Why a teller's paper totals cannot be true, figure by figure (empty when they can). */
export function paperProblems(t: PaperTotals, signedIn: number, representativesRequired: boolean): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (t.issued !== signedIn) out.push({ field: 'issued', message: `发出选票 ${t.issued} 张，应等于签到人数 ${signedIn}` });
  if (t.returned > t.issued) out.push({ field: 'returned', message: `收回选票 ${t.returned} 张，多于发出的 ${t.issued} 张` });
  const sum = t.yes + t.no + t.abstain + t.spoiled;
  if (sum !== t.returned)
    out.push({
      field: 'returned',
      message: `${CHOICE_NAMES.yes} ${t.yes}、${CHOICE_NAMES.no} ${t.no}、${CHOICE_NAMES.abstain} ${t.abstain}、废票 ${t.spoiled}，合计 ${sum}，应等于收回的 ${t.returned} 张`,
    });
  if (representativesRequired) {
    if (t.representativesYes === null)
      out.push({ field: 'representativesYes', message: '本事项以全体村民代表的三分之二计，须填写村民代表的赞成票数' });
    else if (t.representativesYes > t.yes)
      out.push({ field: 'representativesYes', message: `村民代表赞成 ${t.representativesYes} 票，多于赞成票 ${t.yes}` });
  }
  return out;
}
