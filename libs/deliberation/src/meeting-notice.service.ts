import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Conn } from '#platform';
import { broadcastScript } from './broadcast-text.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { DELIBERATION_SETTINGS, type DeliberationSettings } from './deliberation-settings.js';
import { Electorates, shanghaiDay } from './electorate.js';
import { BODY_NAMES, CATEGORY_NAMES, type Category, type DecidingBody, REPORT_KIND_NAMES, REPORT_KINDS, type ReportKind } from './names.js';
import { insertMeetingNoticeRow, MeetingNoticesRepository } from './meeting-notices.repository.js';
import { NotificationsService } from './notifications.service.js';
import { meetingNoticePage, type PrintSubject } from './meeting-notice-print.js';
import { MATTER_RULES, villagersMeetingOfMembers } from './matter-rules.js';
import { earliestVoting, STATUTORY_NOTICE } from './quorum.js';
import type { MeetingNoticeView } from './views.js';

export interface NoticeSubject {
  id: string;
  village_code: string;
  village_name: string;
  title: string;
  category: Category;
  amount_fen: string | null;
  deciding_body: DecidingBody;
  deliberation_days: number;
  meeting_place: string | null;
}

/** An instant as 长治 local time, to the minute. */
const local = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const PARTICIPATION: Record<DecidingBody, string> = {
  villagers_meeting:
    '本村年满十八周岁的村民均可参加：可在"三共"平台网上投票，也可到会场签到后现场表决，每人只参加一次；不能到会的户可由户代表参加。',
  representatives_meeting: '村民委员会成员和村民代表参加：可在"三共"平台网上投票，也可到会现场表决，每人只参加一次。',
  members_assembly:
    '本集体经济组织具有完全民事行为能力的成员均可参加：可到会、在"三共"平台网上投票，或书面委托本户具有完全民事行为能力的家庭成员代为表决（《中华人民共和国农村集体经济组织法》第二十七条）。',
  members_representatives_assembly: '成员代表参加：可在"三共"平台网上投票，也可到会现场表决，每人只参加一次。',
};

/** 村民会议 on a land matter: only the collective organization's adult members vote (matter-rules.ts `villagersMeetingOfMembers`). */
const LAND_PARTICIPATION = (source: string) =>
  `本集体经济组织年满十八周岁的成员参加表决，不论是否在本村居住：可在"三共"平台网上投票，也可到会场签到后现场表决，每人只参加一次；不是本集体经济组织成员的村民可以列席，不参加表决（${source}：须经本集体经济组织成员的村民会议三分之二以上成员同意）。`;

export interface ComposedNotice {
  earliest: Date;
  statutory: { days: number; source: string } | null;
  meetingTime: string;
  place: string;
  matters: string;
  participation: string;
  title: string;
  message: string;
}

/** The notice's text: time, place, the matters (with the Art. 46 reports) and how to take part. Pure. */
export function composeMeetingNotice(
  p: NoticeSubject,
  issuedAt: Date,
  minWindowHours: number,
  reports: { kind: ReportKind; name: string }[],
): ComposedNotice {
  const earliest = earliestVoting({
    deliberation_started_at: issuedAt,
    deliberation_days: p.deliberation_days,
    deciding_body: p.deciding_body,
  })!;
  const statutory = STATUTORY_NOTICE[p.deciding_body] ?? null;
  const meetingTime = `${local(earliest)} 以后开始表决，具体起止时间在开始表决时另行通知；表决时间不少于 ${minWindowHours} 小时`;
  const place = `${p.meeting_place ?? '现场会议地点由村民委员会另行公告'}；网上表决在"三共"平台进行`;
  const amount = p.amount_fen === null ? '' : `（涉及金额 ${(Number(p.amount_fen) / 100).toFixed(2)} 元）`;
  const reportText = reports.length
    ? `；附：${reports.map((r) => `${REPORT_KIND_NAMES[r.kind]}《${r.name}》`).join('、')}，自即日起可在议题页查阅`
    : '';
  const matters = `${CATEGORY_NAMES[p.category]}：${p.title}${amount}${reportText}`;
  const land = p.deciding_body === 'villagers_meeting' && villagersMeetingOfMembers(p.category);
  const landRule = MATTER_RULES[p.category].bodies.villagers_meeting;
  const participation = land && landRule.allowed ? LAND_PARTICIPATION(landRule.source) : PARTICIPATION[p.deciding_body];
  const basis = statutory ? `依据${statutory.source}提前${statutory.days}日通知。` : '';
  return {
    earliest,
    statutory,
    meetingTime,
    place,
    matters,
    participation,
    title: `${p.village_name}${BODY_NAMES[p.deciding_body]}通知：${p.title}`,
    message: `${basis}时间：${meetingTime}。地点：${place}。事项：${matters}。参加方式：${participation}`,
  };
}

/** Writes the composed notice of a proposal (the service's issue, and the demo seed). */
export function insertMeetingNotice(
  conn: Conn,
  proposalId: string,
  body: DecidingBody,
  issuedAt: Date,
  n: ComposedNotice,
  recipients: number,
): Promise<void> {
  return insertMeetingNoticeRow(conn, {
    proposalId,
    decidingBody: body,
    issuedAt,
    earliestVoteAt: n.earliest,
    statutoryDays: n.statutory?.days ?? null,
    statutorySource: n.statutory?.source ?? null,
    meetingTime: n.meetingTime,
    place: n.place,
    matters: n.matters,
    participation: n.participation,
    recipients,
  });
}

/**
 * The statutory notice of the meeting (村民委员会组织法 Art. 21; 农村集体经济组织法 Art. 27): time,
 * place, the matters and how to take part, to every elector of the deciding body in the register on the
 * day it is issued — the day the township approves the proposal. For a 成员大会 the Art. 46 reports are
 * attached and readable from that day.
 */
@Injectable()
export class MeetingNoticeService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly electorates: Electorates,
    private readonly repo: MeetingNoticesRepository,
    @Inject(DELIBERATION_SETTINGS) private readonly settings: DeliberationSettings,
  ) {}

  /** A 成员大会 is not noticed without the three Art. 46 reports among its attachments. */
  async requireReports(em: EntityManager, p: NoticeSubject): Promise<void> {
    if (p.deciding_body !== 'members_assembly') return;
    const have = new Set(await this.repo.reportKinds(em, p.id));
    const missing = REPORT_KINDS.filter((k) => !have.has(k));
    if (missing.length) throw DeliberationErrors.art46ReportsMissing(missing.map((k) => REPORT_KIND_NAMES[k]));
  }

  async issue(em: EntityManager, p: NoticeSubject, issuedAt: Date): Promise<void> {
    const reports = await this.repo.reports(em, p.id);
    const n = composeMeetingNotice(
      p,
      issuedAt,
      this.settings.voteMinWindowHours,
      reports.map((r) => ({ kind: r.kind, name: r.name })),
    );
    const recipients = await this.electorates.currentIds(em, p.village_code, p.deciding_body, p.category, shanghaiDay(issuedAt));
    await insertMeetingNotice(em, p.id, p.deciding_body, issuedAt, n, recipients.length);
    await this.notifications.toPeople(em, recipients, { kind: 'meeting_notice', proposalId: p.id, title: n.title, body: n.message });
  }

  /** The notice as issued, with its 村广播稿 (read aloud: numbers as spoken, the matter and place twice). */
  async view(
    em: EntityManager,
    proposalId: string,
    subject: { villageName: string; decidingBody: DecidingBody },
  ): Promise<MeetingNoticeView | null> {
    const n = await this.repo.find(em, proposalId);
    if (!n) return null;
    const reports = await this.repo.reports(em, proposalId, n.issuedAt);
    const broadcast = broadcastScript({
      villageName: subject.villageName,
      bodyName: BODY_NAMES[subject.decidingBody],
      earliestVoteAt: n.earliestVoteAt,
      statutoryDays: n.statutoryDays,
      place: n.place,
      matters: n.matters,
      participation: n.participation,
    });
    return { ...n, issuedAt: n.issuedAt.toISOString(), earliestVoteAt: n.earliestVoteAt.toISOString(), reports, broadcast };
  }

  /** The notice as the A4 page of the 村务公开栏 (meeting-notice-print.ts); it is printed only once issued. */
  async printable(em: EntityManager, proposalId: string, subject: PrintSubject): Promise<string> {
    const n = await this.view(em, proposalId, subject);
    if (!n) throw DeliberationErrors.meetingNoticeNotIssued();
    return meetingNoticePage(n, subject);
  }
}
