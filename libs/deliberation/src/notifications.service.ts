import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ElectorReads } from '#identity';
import { Inbox, OUTBOX_KINDS, Outbox, type OutboxKind, type SmsContent } from '#messaging';
import { BODY_NAMES, OUTCOME_NAMES } from './names.js';
import { type Message, NotificationsRepository, type SmsSubject } from './notifications.repository.js';

export type { NotificationKind, NotificationView } from '#messaging';

/** 长治 local time as an SMS says it: 12月11日 08:00. */
const smsTime = (at: Date) => {
  const l = new Date(at.getTime() + 8 * 3_600_000);
  return `${l.getUTCMonth() + 1}月${l.getUTCDate()}日 ${l.toISOString().slice(11, 16)}`;
};
const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** A meeting's time and place as an SMS says them, or that they will be announced. */
const when = (at: Date | null, place: string | null) => ({
  time: at ? smsTime(at) : '另行通知的时间',
  place: place ? short(place, 20) : '另行通知',
});

/** The SMS parameters of a kind from the proposal and vote it is about (short: an SMS template's variables). Pure. */
export function smsContent<K extends OutboxKind>(kind: K, s: SmsSubject): SmsContent[K];
export function smsContent(kind: OutboxKind, s: SmsSubject): SmsContent[OutboxKind] {
  const matter = short(s.title, 20);
  const body = BODY_NAMES[s.voteBody ?? s.decidingBody];
  const closes = s.closesAt ? smsTime(s.closesAt) : '截止时间见通知';
  switch (kind) {
    case 'meeting_notice':
      return { body, matter, ...when(s.earliestVoteAt, s.meetingPlace) };
    case 'meeting_arranged':
      return { body, matter, ...when(s.meetingAt, s.arrangedPlace) };
    case 'voting_opened':
      return { body, matter, closes };
    case 'closing_soon':
      return { matter, closes };
    case 'result_published':
      return { matter, outcome: s.outcome ? OUTCOME_NAMES[s.outcome] : '已公布' };
  }
}

const isSmsKind = (k: string): k is OutboxKind => (OUTBOX_KINDS as readonly string[]).includes(k);

/**
 * In-app notifications, written in the transaction of the event they announce; the four statutory
 * messages also go by SMS to the electors the app does not reach (the outbox, same transaction).
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly people: ElectorReads,
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
  ) {}

  /** In the app (opening the proposal), and by SMS to those of them the app does not reach. */
  async toPeople(em: EntityManager, personIds: readonly string[], m: Message): Promise<number> {
    if (!personIds.length) return 0;
    const n = await this.inbox.toPeople(em, personIds, { ...m, link: m.proposalId ? `/proposals/${m.proposalId}` : null });
    await this.bySms(em, m, personIds, null);
    return n;
  }

  /** Everyone holding the village committee role at the village. */
  async toCommittee(em: EntityManager, villageCode: string, m: Message): Promise<number> {
    return this.toPeople(em, await this.people.holdersOf(em, villageCode, 'village_committee'), m);
  }

  /** The frozen electorate of a vote; with onlyNonVoters, those who have not taken part yet. */
  async toElectorate(em: EntityManager, voteId: string, m: Message, onlyNonVoters = false): Promise<number> {
    const ids = await this.repo.electorIds(em, voteId, onlyNonVoters);
    const n = await this.inbox.toPeople(em, ids, { ...m, link: m.proposalId ? `/proposals/${m.proposalId}` : null });
    if (isSmsKind(m.kind)) await this.bySms(em, m, ids, voteId);
    return n;
  }

  /** The SMS twin of a statutory message, for those of `personIds` who are offline (Outbox.announceOffline). */
  private async bySms(em: EntityManager, m: Message, personIds: readonly string[], voteId: string | null): Promise<void> {
    if (!isSmsKind(m.kind) || !m.proposalId || !personIds.length) return;
    const subject = await this.repo.smsSubject(em, m.proposalId, voteId);
    if (!subject) return;
    // A meeting is told by SMS only when it has an on-site part (its time and place); each new time or place is a new message.
    if (m.kind === 'meeting_arranged' && !subject.meetingAt) return;
    const occasion = m.kind === 'meeting_arranged' ? `${subject.meetingAt!.toISOString()} ${subject.arrangedPlace ?? ''}` : undefined;
    await this.outbox.announceOffline(em, {
      kind: m.kind,
      divisionCode: subject.villageCode,
      proposalId: m.proposalId,
      voteId,
      personIds,
      content: smsContent(m.kind, subject),
      occasion,
    });
  }
}
